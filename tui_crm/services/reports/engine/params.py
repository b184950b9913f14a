"""Report parameters: the common ones (period, unit subtree, line, channel), validation with
the field to blame, and the period presets and shifts the screen offers."""

from collections.abc import Mapping, Sequence
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from sqlmodel import Session, col, select

from tui_crm.domain import Channel
from tui_crm.i18n import tr
from tui_crm.services.core.actor import Actor
from tui_crm.services.core.errors import Forbidden, ValidationFailed
from tui_crm.services.reports.engine.base import Choice, Param, ParamType, ReportParams
from tui_crm.storage.models import OrgUnit, ProductLine

MAX_PERIOD_YEARS = 10

DATE_FROM = Param(
    "from",
    "起始日期",
    "From",
    ParamType.DATE,
    help_zh="YYYY-MM-DD，默认上月止的 12 个完整月",
    help_en="YYYY-MM-DD; default the 12 whole months up to last month",
)
DATE_TO = Param("to", "截止日期", "To", ParamType.DATE, help_zh="YYYY-MM-DD", help_en="YYYY-MM-DD")
UNIT = Param(
    "unit",
    "机构",
    "Unit",
    ParamType.UNIT,
    help_zh="机构代码，含下级机构；默认本机构",
    help_en="unit code, with the units below it; default your unit",
)
LINE = Param("line", "险种", "Line", ParamType.LINE, help_zh="空 = 全部", help_en="empty = all")
CHANNEL_CHOICES = (
    Choice(Channel.DIRECT, "直销", "Direct"),
    Choice(Channel.AGENCY, "代理", "Agency"),
    Choice(Channel.BROKER, "经纪", "Broker"),
    Choice(Channel.DEALER, "车商", "Car dealer"),
    Choice(Channel.BANK, "银行", "Bank"),
    Choice(Channel.PHONE, "电销", "Phone"),
    Choice(Channel.ONLINE, "网销", "Online"),
)
CHANNEL = Param(
    "channel",
    "渠道",
    "Channel",
    ParamType.CHANNEL,
    choices=CHANNEL_CHOICES,
    help_zh="空 = 全部",
    help_en="empty = all",
)
COMMON: tuple[Param, ...] = (DATE_FROM, DATE_TO, UNIT, LINE, CHANNEL)


def view(*choices: Choice) -> Param:
    return Param("view", "视图", "View", ParamType.CHOICE, choices=choices, default=choices[0].code)


def top(default: int = 20) -> Param:
    return Param(
        "top",
        "前 N 名",
        "Top N",
        ParamType.INT,
        default=str(default),
        minimum=1,
        maximum=1000,
        help_zh="1–1000",
        help_en="1–1000",
    )


def default_period(today: date) -> tuple[date, date]:
    """The 12 whole months before the current one, the window every report starts with
    (what a monthly meeting looks at; whole months are read from the report cube)."""
    end = today.replace(day=1) - timedelta(days=1)
    return end.replace(day=1) - relativedelta(months=11), end


def parse_date(value: str, key: str) -> date:
    text = value.strip().replace("/", "-")
    if len(text) == 8 and text.isdigit():
        text = f"{text[:4]}-{text[4:6]}-{text[6:]}"
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValidationFailed(
            tr("日期格式应为 YYYY-MM-DD：{v}", "Dates are YYYY-MM-DD: {v}", v=value), field=key
        ) from None


def validate(
    session: Session,
    actor: Actor,
    specs: Sequence[Param],
    raw: Mapping[str, str | None],
    today: date,
) -> ReportParams:
    """Raw text values (from a form or the CLI) → ReportParams, or ValidationFailed(field=)."""
    values = {k: (v or "").strip() for k, v in raw.items() if v is not None}
    _reject_unknown(specs, values)
    start, end = _period(values, today)
    unit, unit_ids = _unit_scope(session, actor, values.get("unit"))
    line, channel = _line_and_channel(session, values)
    options: dict[str, str] = {}
    for spec in specs:
        if spec.type is ParamType.CHOICE:
            options[spec.key] = _choice(spec, values.get(spec.key))
        elif spec.type is ParamType.INT:
            options[spec.key] = str(_integer(spec, values.get(spec.key)))
    return ReportParams(
        date_from=start,
        date_to=end,
        unit=unit.code,
        unit_name=unit.name,
        unit_ids=unit_ids,
        line=line,
        channel=channel,
        options=options,
    )


def _reject_unknown(specs: Sequence[Param], values: Mapping[str, str]) -> None:
    known = {p.key for p in specs}
    for key in values:
        if key not in known and values[key]:
            raise ValidationFailed(
                tr("此报表没有参数 {k}", "This report has no parameter {k}", k=key), field=key
            )


def _period(values: Mapping[str, str], today: date) -> tuple[date, date]:
    """From/To, defaulting to the usual period, in order and not too long."""
    start, end = default_period(today)
    if values.get("from"):
        start = parse_date(values["from"], "from")
    if values.get("to"):
        end = parse_date(values["to"], "to")
    if start > end:
        raise ValidationFailed(
            tr("起始日期不能晚于截止日期", "From must not be after To"), field="from"
        )
    if end > start + relativedelta(years=MAX_PERIOD_YEARS):
        raise ValidationFailed(
            tr(
                "期间最长 {n} 年",
                "The period may be at most {n} years",
                n=MAX_PERIOD_YEARS,
            ),
            field="to",
        )
    return start, end


def _unit_scope(
    session: Session, actor: Actor, unit_text: str | None
) -> tuple[OrgUnit, tuple[int, ...]]:
    """The chosen unit (the actor's own by default) and the ids of its subtree in scope."""
    unit_code = unit_text or actor.unit_code
    unit = session.exec(select(OrgUnit).where(OrgUnit.code == unit_code)).one_or_none()
    if unit is None or unit.id is None:
        raise ValidationFailed(tr("没有机构 {u}", "No unit {u}", u=unit_code), field="unit")
    if not actor.in_scope(unit.id):
        raise Forbidden(
            tr(
                "机构 {u} 超出本机构及下级机构的范围",
                "Unit {u} is outside your unit and the units below it",
                u=unit_code,
            ),
            field="unit",
            code="out_of_scope",
        )
    subtree = session.exec(select(OrgUnit.id).where(col(OrgUnit.path).startswith(unit.path))).all()
    unit_ids = tuple(sorted(i for i in subtree if i is not None and actor.in_scope(i)))
    return unit, unit_ids


def _line_and_channel(session: Session, values: Mapping[str, str]) -> tuple[str | None, str | None]:
    line = values.get("line") or None
    if line is not None and session.get(ProductLine, line) is None:
        codes = ", ".join(session.exec(select(ProductLine.code).order_by(ProductLine.code)).all())
        raise ValidationFailed(
            tr("没有险种 {l}（可选：{c}）", "No line {l} (one of: {c})", l=line, c=codes),
            field="line",
        )
    channel = values.get("channel") or None
    if channel is not None and channel not in {c.value for c in Channel}:
        raise ValidationFailed(
            tr(
                "没有渠道 {c}（可选：{all}）",
                "No channel {c} (one of: {all})",
                c=channel,
                all=", ".join(c.value for c in Channel),
            ),
            field="channel",
        )
    return line, channel


def _choice(spec: Param, value: str | None) -> str:
    value = value or spec.default or spec.choices[0].code
    codes = [c.code for c in spec.choices]
    if value not in codes:
        raise ValidationFailed(
            tr(
                "{p} 应为以下之一：{c}",
                "{p} must be one of: {c}",
                p=spec.label,
                c=", ".join(codes),
            ),
            field=spec.key,
        )
    return value


def _integer(spec: Param, value: str | None) -> int:
    text = value or spec.default or "0"
    try:
        number = int(text)
    except ValueError:
        raise ValidationFailed(
            tr("{p} 应为整数", "{p} must be a whole number", p=spec.label), field=spec.key
        ) from None
    low = spec.minimum if spec.minimum is not None else number
    high = spec.maximum if spec.maximum is not None else number
    if not low <= number <= high:
        raise ValidationFailed(
            tr(
                "{p} 应在 {a} 到 {b} 之间",
                "{p} must be between {a} and {b}",
                p=spec.label,
                a=low,
                b=high,
            ),
            field=spec.key,
        )
    return number


# --- period presets and shifts (the screen's quick keys) ------------------------------


def _month_end(day: date) -> date:
    return day + relativedelta(day=31)


def is_whole_months(start: date, end: date) -> bool:
    return start.day == 1 and end == _month_end(end)


def shift_period(start: date, end: date, steps: int) -> tuple[date, date]:
    """The period of the same length `steps` periods later (earlier when negative).

    Whole calendar months shift by months (so a quarter stays a quarter); any other
    period shifts by its length in days.
    """
    if is_whole_months(start, end):
        months = (end.year - start.year) * 12 + end.month - start.month + 1
        new_start = start + relativedelta(months=months * steps)
        return new_start, _month_end(new_start + relativedelta(months=months - 1))
    if start == end - relativedelta(years=1) + timedelta(days=1):
        return start + relativedelta(years=steps), end + relativedelta(years=steps)
    length = (end - start).days + 1
    return start + timedelta(days=length * steps), end + timedelta(days=length * steps)


PRESETS: tuple[Choice, ...] = (
    Choice("12m", "近12个月", "Last 12 months"),
    Choice("ytd", "本年至今", "Year to date"),
    Choice("last_year", "上年", "Last year"),
    Choice("this_month", "本月", "This month"),
    Choice("last_month", "上月", "Last month"),
    Choice("this_quarter", "本季度", "This quarter"),
)


def preset_period(code: str, today: date) -> tuple[date, date]:
    if code == "ytd":
        return date(today.year, 1, 1), today
    if code == "last_year":
        return date(today.year - 1, 1, 1), date(today.year - 1, 12, 31)
    if code == "this_month":
        return today.replace(day=1), _month_end(today)
    if code == "last_month":
        start = today.replace(day=1) - relativedelta(months=1)
        return start, _month_end(start)
    if code == "this_quarter":
        start = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
        return start, _month_end(start + relativedelta(months=2))
    return default_period(today)
