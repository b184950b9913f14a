"""The classification rules (see `classification_rules`) vectorised over a frame of
per-customer facts: class, flags, blacklist candidate and the reasons with their numbers.

Pure pandas/numpy: no database, no Textual. The reasons of each rule: `vector_reasons`;
their texts: `texts`.
"""

from decimal import Decimal
from fractions import Fraction

import numpy as np
import pandas as pd

from tui_crm.domain import CustomerClass
from tui_crm.services.classification.rules import ClassThresholds, Window
from tui_crm.services.classification.texts import ReasonList
from tui_crm.services.classification.vector_reasons import (
    Frame,
    blacklist_entry_reasons,
    candidate_reasons,
    col,
    key_reasons,
    quality_reasons,
    renewal_reasons,
    standing_reasons,
)


def _exceeds(numerator: np.ndarray, denominator: np.ndarray, limit: Decimal) -> np.ndarray:
    """numerator / denominator > limit, exactly, in integers (0 / 0 is not above)."""
    frac = Fraction(limit)
    return numerator * frac.denominator > denominator * frac.numerator


def _below(numerator: np.ndarray, denominator: np.ndarray, limit: Decimal) -> np.ndarray:
    frac = Fraction(limit)
    return numerator * frac.denominator < denominator * frac.numerator


def _has(facts: pd.DataFrame, name: str) -> np.ndarray:
    """Rows where the (optional) column holds a value."""
    if name not in facts:
        return np.zeros(len(facts), dtype=bool)
    return facts[name].notna().to_numpy()


# --- the rules ---------------------------------------------------------------------------


def _frame(facts: pd.DataFrame, t: ClassThresholds, window: Window) -> Frame:
    """The masks and columns of the rules (which rule holds for which row)."""
    y0, d = window.year_start.isoformat(), window.as_of.isoformat()
    span = f'"from":"{y0}","to":"{d}"'
    i64 = np.int64

    in_force = col(facts, "in_force_n").astype(i64) > 0
    written = col(facts, "written_year").astype(i64)
    interm = col(facts, "interm_written").astype(i64)
    tender = col(facts, "tender_max").astype(i64)
    key_premium = written >= t.key_premium_fen
    key_interm = interm >= t.key_intermediary_fen
    key_tender = tender >= t.key_tender_fen
    key = in_force & (key_premium | key_interm | key_tender)

    streak = col(facts, "cf_streak").astype(i64)
    q_years = streak >= t.claim_free_years
    inc_total = col(facts, "incurred_total").astype(i64)
    earned_total = col(facts, "earned_total").astype(i64)
    no_overdue = facts["overdue_due"].isna().to_numpy()
    fully = col(facts, "fully_earned_n").astype(i64) > 0
    q_lr = fully & no_overdue & _below(inc_total, earned_total, t.quality_loss_ratio)
    quality = in_force & (q_years | q_lr)

    claims_year = col(facts, "claims_year").astype(i64)
    inc_year = col(facts, "incurred_year").astype(i64)
    earned_year = col(facts, "earned_year").astype(i64)
    cand_claims = (claims_year >= t.blacklist_claims) & _exceeds(
        inc_year, earned_year, t.blacklist_loss_ratio
    )
    cand_fraud = col(facts, "fraud_n").astype(i64) > 0
    blacklisted = facts["bl_approved"].notna().to_numpy()

    started = facts["last_cover_end"].notna().to_numpy()
    future = facts["next_start"].notna().to_numpy()
    intention = col(facts, "intention_declared", False).astype(bool) | _has(facts, "intent_day")
    competitor = col(facts, "lapsed_to_competitor", False).astype(bool) | _has(facts, "lost_day")
    prospect = ~in_force & (started | future | intention | competitor)
    renewal = col(facts, "renewal_n").astype(i64) > 0

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
    return Frame(
        facts,
        t,
        y0,
        d,
        span,
        in_force,
        written,
        interm,
        tender,
        key_premium,
        key_interm,
        key_tender,
        key,
        streak,
        q_years,
        inc_total,
        earned_total,
        q_lr,
        claims_year,
        inc_year,
        earned_year,
        cand_claims,
        cand_fraud,
        blacklisted,
        started,
        future,
        intention,
        competitor,
        renewal,
        klass,
    )


def classify_frame(facts: pd.DataFrame, t: ClassThresholds, window: Window) -> pd.DataFrame:
    """Class, flags, candidate and reasons (JSON text) for every row of `facts`."""
    f = _frame(facts, t, window)
    r = ReasonList(len(facts))
    blacklist_entry_reasons(r, f)
    key_reasons(r, f)
    quality_reasons(r, f)
    standing_reasons(r, f)
    candidate_reasons(r, f)
    renewal_reasons(r, f)
    klass, key, blacklisted, renewal = f.klass, f.key, f.blacklisted, f.renewal
    cand_claims, cand_fraud = f.cand_claims, f.cand_fraud
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
