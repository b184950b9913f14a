"""The classification rules (see `classification_rules`) vectorised over a frame of
per-customer facts: class, flags, blacklist candidate and the reasons with their numbers.

Pure pandas/numpy: no database, no Textual. The reason texts: `classification_text`.
"""

import json
from decimal import Decimal
from fractions import Fraction
from typing import Any

import numpy as np
import pandas as pd

from tui_crm.domain import CustomerClass
from tui_crm.services.classification.rules import REASON_LABELS, ClassThresholds, Window
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


def _exceeds(numerator: np.ndarray, denominator: np.ndarray, limit: Decimal) -> np.ndarray:
    """numerator / denominator > limit, exactly, in integers (0 / 0 is not above)."""
    frac = Fraction(limit)
    return numerator * frac.denominator > denominator * frac.numerator


def _below(numerator: np.ndarray, denominator: np.ndarray, limit: Decimal) -> np.ndarray:
    frac = Fraction(limit)
    return numerator * frac.denominator < denominator * frac.numerator


def _col(frame: pd.DataFrame, name: str, fill: Any = 0) -> np.ndarray:
    return frame[name].fillna(fill).to_numpy()


# --- the rules ---------------------------------------------------------------------------


def classify_frame(facts: pd.DataFrame, t: ClassThresholds, window: Window) -> pd.DataFrame:
    """Class, flags, candidate and reasons (JSON text) for every row of `facts`."""
    n = len(facts)
    y0, d = window.year_start.isoformat(), window.as_of.isoformat()
    span = f'"from":"{y0}","to":"{d}"'
    i64 = np.int64

    in_force = _col(facts, "in_force_n").astype(i64) > 0
    written = _col(facts, "written_year").astype(i64)
    interm = _col(facts, "interm_written").astype(i64)
    tender = _col(facts, "tender_max").astype(i64)
    key_premium = written >= t.key_premium_fen
    key_interm = interm >= t.key_intermediary_fen
    key_tender = tender >= t.key_tender_fen
    key = in_force & (key_premium | key_interm | key_tender)

    streak = _col(facts, "cf_streak").astype(i64)
    q_years = streak >= t.claim_free_years
    inc_total = _col(facts, "incurred_total").astype(i64)
    earned_total = _col(facts, "earned_total").astype(i64)
    no_overdue = facts["overdue_due"].isna().to_numpy()
    fully = _col(facts, "fully_earned_n").astype(i64) > 0
    q_lr = fully & no_overdue & _below(inc_total, earned_total, t.quality_loss_ratio)
    quality = in_force & (q_years | q_lr)

    claims_year = _col(facts, "claims_year").astype(i64)
    inc_year = _col(facts, "incurred_year").astype(i64)
    earned_year = _col(facts, "earned_year").astype(i64)
    cand_claims = (claims_year >= t.blacklist_claims) & _exceeds(
        inc_year, earned_year, t.blacklist_loss_ratio
    )
    cand_fraud = _col(facts, "fraud_n").astype(i64) > 0
    blacklisted = facts["bl_approved"].notna().to_numpy()

    started = facts["last_cover_end"].notna().to_numpy()
    future = facts["next_start"].notna().to_numpy()
    intention = _col(facts, "intention_declared", False).astype(bool)
    competitor = _col(facts, "lapsed_to_competitor", False).astype(bool)
    prospect = ~in_force & (started | future | intention | competitor)
    renewal = _col(facts, "renewal_n").astype(i64) > 0

    klass = np.select(
        [blacklisted, key, quality, in_force, prospect],
        [
            CustomerClass.BLACKLIST.value,
            CustomerClass.KEY.value,
            CustomerClass.QUALITY.value,
            CustomerClass.STANDARD.value,
            CustomerClass.PROSPECT.value,
        ],
        default=CustomerClass.FLOATING.value,
    ).astype(object)

    r = ReasonList(n)
    # blacklist entry
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
    # key
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
    # quality
    mask = in_force & q_years
    cf_from = _col(facts, "cf_from").astype(i64)[mask]
    cf_to = _col(facts, "cf_to").astype(i64)[mask]
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

    # standing: in force / lapsed / future / intention / competitor / never insured
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
            _col(facts, "in_force_n").astype(i64)[in_force],
            _col(facts, "in_force_end").astype(i64)[in_force],
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
    days = _col(facts, "last_cover_end").astype(i64)[mask]
    r.add(mask, formatted(np.zeros_like(days), days, lapsed_text))

    def future_text(_: int, day: int) -> str:
        e = iso_day(day)
        return reason_json(
            "future_policy", f"保单将于 {e} 起保", f"A policy starts on {e}", f'{{"starts":"{e}"}}'
        )

    mask = ~in_force & future
    days = _col(facts, "next_start").astype(i64)[mask]
    r.add(mask, formatted(np.zeros_like(days), days, future_text))
    mask = ~in_force & intention
    text = reason_json("intention", "已表示投保意向", "Declared an intention to insure", "{}")
    r.add(mask, [text] * int(mask.sum()))
    mask = ~in_force & competitor
    text = reason_json("lapsed_to_competitor", "已转投其他保险公司", "Moved to a competitor", "{}")
    r.add(mask, [text] * int(mask.sum()))
    mask = klass == CustomerClass.FLOATING.value
    text = reason_json("never_insured", "未在我司投保", "Never insured with us", "{}")
    r.add(mask, [text] * int(mask.sum()))
    # blacklist candidate
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

    # renewal
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
            _col(facts, "renewal_n").astype(i64)[renewal],
            _col(facts, "renewal_end").astype(i64)[renewal],
            renewal_text,
        ),
    )
    return pd.DataFrame(
        {
            "customer_class": klass,
            "class_reasons": r.json(),
            "flag_key": key,
            "flag_blacklist": blacklisted,
            "flag_renewal_due": renewal,
            "candidate": cand_claims | cand_fraud,
        },
        index=facts.index,
    )
