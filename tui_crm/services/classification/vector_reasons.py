"""The reasons of each class rule, one function per section of the rules, over the
masks and columns `vector.classify_frame` computed (`Frame`)."""

import json
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from tui_crm.domain import CustomerClass
from tui_crm.services.classification.rules import REASON_LABELS, ClassThresholds
from tui_crm.services.classification.texts import (
    ReasonList,
    formatted,
    iso_day,
    iso_days,
    money_text,
    plain_money,
    ratio_number,
    ratio_of,
    reason_json,
    safe,
    threshold_money,
)
from tui_crm.services.core.earned import format_ratio


def col(frame: pd.DataFrame, name: str, fill: Any = 0) -> np.ndarray:
    return frame[name].fillna(fill).to_numpy()


@dataclass
class Frame:
    """The facts, the thresholds, the year's window as text and the rule masks."""

    facts: pd.DataFrame
    t: ClassThresholds
    y0: str
    d: str
    span: str

    in_force: np.ndarray
    written: np.ndarray
    interm: np.ndarray
    tender: np.ndarray
    key_premium: np.ndarray
    key_interm: np.ndarray
    key_tender: np.ndarray
    key: np.ndarray
    streak: np.ndarray
    q_years: np.ndarray
    inc_total: np.ndarray
    earned_total: np.ndarray
    q_lr: np.ndarray
    claims_year: np.ndarray
    inc_year: np.ndarray
    earned_year: np.ndarray
    cand_claims: np.ndarray
    cand_fraud: np.ndarray
    blacklisted: np.ndarray
    started: np.ndarray
    future: np.ndarray
    intention: np.ndarray
    competitor: np.ndarray
    renewal: np.ndarray
    klass: np.ndarray


def blacklist_entry_reasons(r: ReasonList, f: Frame) -> None:
    """The approved blacklist entry and its reasons."""
    facts = f.facts
    blacklisted = f.blacklisted
    if blacklisted.any():
        rows = facts.loc[blacklisted]
        dates = iso_days(rows["bl_approved"].to_numpy())
        values = []
        for day, codes_text in zip(dates, rows["bl_reasons"].fillna(""), strict=True):
            codes = [c for c in str(codes_text).split(",") if c]
            zh = "、".join(REASON_LABELS.get(c, (c, c))[0] for c in codes)
            en = ", ".join(REASON_LABELS.get(c, (c, c))[1] for c in codes)
            values.append(
                reason_json(
                    "blacklist_entry",
                    f"{day} 经审核列入黑名单（{zh}）",
                    f"Blacklisted on {day} after review ({en})",
                    f'{{"approved_on":"{day}","reasons":{json.dumps(codes)}}}',
                )
            )
        r.add(blacklisted, values)


def key_reasons(r: ReasonList, f: Frame) -> None:
    """Key customer: premium, intermediary business, tender; the group roll-up."""
    facts = f.facts
    t = f.t
    y0 = f.y0
    d = f.d
    span = f.span
    written = f.written
    interm = f.interm
    tender = f.tender
    key_premium = f.key_premium
    key_interm = f.key_interm
    key_tender = f.key_tender
    key = f.key
    for mask, amounts, code, limit, zh_t, en_t in (
        (
            key & key_premium,
            written,
            "key_premium",
            t.key_premium_fen,
            "{y0} 至 {d} 起保保单保费 {w} 元 ≥ {t} 元",
            "Premium of policies starting {y0} to {d}: {w} ≥ {t} yuan",
        ),
        (
            key & key_interm,
            interm,
            "key_intermediary",
            t.key_intermediary_fen,
            "作为中介机构，{y0} 至 {d} 业务保费 {w} 元 ≥ {t} 元",
            "As an intermediary, business starting {y0} to {d}: {w} ≥ {t} yuan",
        ),
        (
            key & key_tender,
            tender,
            "key_tender",
            t.key_tender_fen,
            "{y0} 至 {d} 单笔招标保单保费 {w} 元 ≥ {t} 元",
            "Single tender policy starting {y0} to {d}: premium {w} ≥ {t} yuan",
        ),
    ):
        limit_text = threshold_money(limit)
        r.add(
            mask,
            [
                reason_json(
                    code,
                    zh_t.format(y0=y0, d=d, w=money_text(v), t=limit_text),
                    en_t.format(y0=y0, d=d, w=money_text(v), t=limit_text),
                    f'{{"amount":"{plain_money(v)}","threshold":"{plain_money(limit)}",{span}}}',
                )
                for v in amounts[mask]
            ],
        )
    group_written = facts["group_written"].to_numpy()
    grouped = ~pd.isna(group_written)
    r.add(
        grouped,
        [
            reason_json(
                "group_rollup",
                f"所属集团 {y0} 至 {d} 保费合计 {money_text(v)} 元（仅供参考，不计入分类）",
                f"Group total {y0} to {d}: {money_text(v)} yuan (reference only, "
                "not used for the class)",
                f'{{"amount":"{plain_money(v)}",{span}}}',
            )
            for v in group_written[grouped]
        ],
    )


def quality_reasons(r: ReasonList, f: Frame) -> None:
    """Quality: claim-free years, or a low earned loss ratio with nothing overdue."""
    facts = f.facts
    t = f.t
    in_force = f.in_force
    streak = f.streak
    q_years = f.q_years
    inc_total = f.inc_total
    earned_total = f.earned_total
    q_lr = f.q_lr
    i64 = np.int64
    mask = in_force & q_years
    cf_from = col(facts, "cf_from").astype(i64)[mask]
    cf_to = col(facts, "cf_to").astype(i64)[mask]
    r.add(
        mask,
        [
            reason_json(
                "quality_claim_free",
                f"保单年度 {a}–{b} 连续 {k} 年无赔款（≥ {t.claim_free_years} 年）",
                f"{k} consecutive claim-free policy years {a}–{b} (≥ {t.claim_free_years})",
                f'{{"years":{k},"from_year":{a},"to_year":{b},"threshold":{t.claim_free_years}}}',
            )
            for a, b, k in zip(cf_from, cf_to, streak[mask], strict=True)
        ],
    )
    mask = in_force & q_lr
    q_limit = t.quality_loss_ratio
    q_shown = format_ratio(q_limit)
    values = []
    for inc, earned in zip(inc_total[mask], earned_total[mask], strict=True):
        ratio = ratio_of(inc, earned)
        shown = format_ratio(ratio, against=q_limit)
        values.append(
            reason_json(
                "quality_loss_ratio",
                f"累计满期赔付率 {shown} < {q_shown}，无逾期超过 {t.max_overdue_days} 天的应收保费",
                f"Cumulative earned loss ratio {shown} < {q_shown}, "
                f"no premium overdue over {t.max_overdue_days} days",
                f'{{"loss_ratio":{ratio_number(ratio)},"threshold":"{q_limit}",'
                f'"incurred":"{plain_money(inc)}",'
                f'"earned":"{plain_money(earned)}"}}',
            )
        )
    r.add(mask, values)


def standing_reasons(r: ReasonList, f: Frame) -> None:
    """Standing: in force, lapsed, future policy, intention, competitor, never insured."""
    facts = f.facts
    in_force = f.in_force
    started = f.started
    future = f.future
    intention = f.intention
    competitor = f.competitor
    klass = f.klass
    i64 = np.int64

    def in_force_text(k: int, day: int) -> str:
        e = iso_day(day)
        return reason_json(
            "in_force",
            f"有效保单 {k} 份，最晚至 {e}",
            f"{k} {'policy' if k == 1 else 'policies'} in force, the last until {e}",
            f'{{"policies":{k},"until":"{e}"}}',
        )

    r.add(
        in_force,
        formatted(
            col(facts, "in_force_n").astype(i64)[in_force],
            col(facts, "in_force_end").astype(i64)[in_force],
            in_force_text,
        ),
    )

    def lapsed_text(_: int, day: int) -> str:
        e = iso_day(day)
        return reason_json(
            "lapsed",
            f"曾在我司投保，最后保障止于 {e}，目前无有效保单",
            f"Was insured with us until {e}; no policy in force",
            f'{{"until":"{e}"}}',
        )

    mask = ~in_force & started
    days = col(facts, "last_cover_end").astype(i64)[mask]
    r.add(mask, formatted(np.zeros_like(days), days, lapsed_text))

    def future_text(_: int, day: int) -> str:
        e = iso_day(day)
        return reason_json(
            "future_policy", f"保单将于 {e} 起保", f"A policy starts on {e}", f'{{"starts":"{e}"}}'
        )

    mask = ~in_force & future
    days = col(facts, "next_start").astype(i64)[mask]
    r.add(mask, formatted(np.zeros_like(days), days, future_text))
    prospect_reasons(r, facts, ~in_force & intention, ~in_force & competitor)
    mask = klass == CustomerClass.FLOATING.value
    text = reason_json("never_insured", "未在我司投保", "Never insured with us", "{}")
    r.add(mask, [text] * int(mask.sum()))


def prospect_reasons(
    r: ReasonList, facts: pd.DataFrame, intention: np.ndarray, competitor: np.ndarray
) -> None:
    """A declared intention and a loss to a competitor, dated (and named) when a prospect
    fact says so."""
    intent_day = facts["intent_day"].to_numpy() if "intent_day" in facts else None
    lost_day = facts["lost_day"].to_numpy() if "lost_day" in facts else None
    rival = facts["lost_competitor"].to_numpy() if "lost_competitor" in facts else None
    values = []
    for i in np.flatnonzero(intention):
        if intent_day is None or pd.isna(intent_day[i]):
            values.append(
                reason_json("intention", "已表示投保意向", "Declared an intention to insure", "{}")
            )
            continue
        e = iso_day(int(intent_day[i]))
        values.append(
            reason_json(
                "intention",
                f"{e} 表示投保意向",
                f"Declared an intention to insure on {e}",
                f'{{"date":"{e}"}}',
            )
        )
    r.add(intention, values)
    values = []
    for i in np.flatnonzero(competitor):
        if lost_day is None or pd.isna(lost_day[i]):
            values.append(
                reason_json(
                    "lapsed_to_competitor", "已转投其他保险公司", "Moved to a competitor", "{}"
                )
            )
            continue
        e = iso_day(int(lost_day[i]))
        name = "" if rival is None or pd.isna(rival[i]) else safe(rival[i])
        zh = f"{e} 转投{name or '其他保险公司'}"
        en = f"Moved to {name or 'a competitor'} on {e}"
        values.append(
            reason_json("lapsed_to_competitor", zh, en, f'{{"date":"{e}","competitor":"{name}"}}')
        )
    r.add(competitor, values)


def candidate_reasons(r: ReasonList, f: Frame) -> None:
    """Blacklist candidates: many claims far above the premium earned, or fraud."""
    facts = f.facts
    t = f.t
    y0 = f.y0
    d = f.d
    span = f.span
    claims_year = f.claims_year
    inc_year = f.inc_year
    earned_year = f.earned_year
    cand_claims = f.cand_claims
    cand_fraud = f.cand_fraud
    values = []
    b_limit = t.blacklist_loss_ratio
    b_shown = format_ratio(b_limit)
    for k, inc, earned in zip(
        claims_year[cand_claims], inc_year[cand_claims], earned_year[cand_claims], strict=True
    ):
        ratio = ratio_of(inc, earned)
        if ratio is None:
            zh_ratio = f"赔款 {money_text(inc)} 元，期间无满期保费"
            en_ratio = f"claims {money_text(inc)} yuan with no premium earned"
        else:
            shown = format_ratio(ratio, against=b_limit)
            zh_ratio = f"满期赔付率 {shown} > {b_shown}"
            en_ratio = f"earned loss ratio {shown} > {b_shown}"
        values.append(
            reason_json(
                "candidate_claims",
                f"黑名单候选：{y0} 至 {d} 出险 {k} 次，{zh_ratio}",
                f"Blacklist candidate: {k} claims {y0} to {d}, {en_ratio}",
                f'{{"claims":{k},"loss_ratio":{ratio_number(ratio)},"threshold":"{b_limit}",'
                f'"claims_threshold":{t.blacklist_claims},'
                f'"incurred":"{plain_money(inc)}",'
                f'"earned":"{plain_money(earned)}",{span}}}',
            )
        )
    r.add(cand_claims, values)
    claim_nos = facts["fraud_claim_no"].to_numpy()[cand_fraud]
    r.add(
        cand_fraud,
        [
            reason_json(
                "candidate_fraud",
                f"黑名单候选：赔案 {safe(no)} 有欺诈嫌疑",
                f"Blacklist candidate: claim {safe(no)} flagged for fraud",
                f'{{"claim_no":{json.dumps(str(no), ensure_ascii=False)}}}',
            )
            for no in claim_nos
        ],
    )


def renewal_reasons(r: ReasonList, f: Frame) -> None:
    """Policies due for renewal."""
    t = f.t
    facts = f.facts
    renewal = f.renewal
    i64 = np.int64

    def renewal_text(k: int, day: int) -> str:
        e = iso_day(day)
        return reason_json(
            "renewal_due",
            f"{k} 份保单待续保，最早 {e} 到期",
            f"{k} {'policy' if k == 1 else 'policies'} due for renewal, the first ends {e}",
            f'{{"policies":{k},"first_end":"{e}","window_days":{t.renewal_window_days}}}',
        )

    r.add(
        renewal,
        formatted(
            col(facts, "renewal_n").astype(i64)[renewal],
            col(facts, "renewal_end").astype(i64)[renewal],
            renewal_text,
        ),
    )
