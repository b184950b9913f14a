"""The customer classification rules: their definition, version, thresholds and windows.

`classification_facts` gathers the facts with SQL aggregates per customer;
`classification_vector.classify_frame` applies these rules to them, vectorised. The
rules (RULE_VERSION; thresholds are data in table `threshold`, codes `class.*`):

Windows. "The year" is the 12 months up to and including the as-of date D
(D = 2026-11-25 → 2025-11-26 … 2026-11-25). Money and claims count as of D: policies
starting on or before D, claims reported on or before D (with their current paid and
outstanding amounts). A policy cancelled on or before D (`cancelled_on` ≤ D, or no date)
is cancelled; it writes no premium and is not in force. Claims that count are those not
withdrawn or declined; a fraud flag counts on any claim.

- In force: start ≤ D ≤ end and not cancelled by D.
- key (重要客户), needs a policy in force, any of:
  premium of the customer's own policies starting in the year ≥ class.key.annual_premium;
  the customer is an intermediary (customer.as_intermediary_id) whose business starting in
  the year ≥ class.key.intermediary_premium; a single tender policy starting in the year
  with premium ≥ class.key.tender_premium. A corporate group's total is shown beside
  (reason `group_rollup`) but never used.
- quality (优质客户), needs a policy in force, either:
  claim-free years — policies are grouped into policy years by the calendar year they
  start; a policy year is expired when all its policies ended before D; counting back
  from the latest expired policy year, at least class.quality.claim_free_years
  consecutive expired years each with a policy and no claim on its policies (a year
  without a policy, a not yet expired year or a year with a claim ends the count);
  or cumulative earned loss ratio (all claims to D / all premium earned to D) below
  class.quality.loss_ratio, with at least one policy fully earned (end ≤ D, not
  cancelled), and no receivable unpaid at D more than class.quality.max_overdue_days
  days after its due date.
- standard (标准客户): a policy in force.
- prospect (准客户), no policy in force: was insured with us (lapsed), declared an
  intention (a prospect fact dated ≤ D, or the imported flag), moved to a competitor (a
  loss recorded in the year, or the imported flag), or has a policy starting after D.
- floating (游离客户): everything else (known, never insured).
- blacklist (黑名单客户): an approved blacklist entry active at D. Wins over all others.
Precedence: blacklist > key > quality > standard > prospect > floating.

Blacklist candidate (never changes the class; claims staff nominate): at least
class.blacklist.claims_in_year claims reported in the year and earned loss ratio over
the year (claims reported in the year / premium earned inside the year) above
class.blacklist.loss_ratio (nothing earned with a claim amount counts as above); or
any claim flagged for fraud.

Flags: flag_key = the key rule holds (kept when the class is blacklist, so a blacklisted
big account is still visible as one); flag_blacklist = an active entry (same as the
class); flag_renewal_due = a policy in force ends within renewal.window_days days
(D ≤ end ≤ D + window) and has no renewal (a policy with renewal_of_id pointing at it,
or a later policy of the same customer, line and vehicle). Flags coexist with any class.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from dateutil.relativedelta import relativedelta
from sqlmodel import Session

from tui_crm.i18n.vocabulary import BLACKLIST_REASON
from tui_crm.services.core.thresholds import threshold_decimal, threshold_int
from tui_crm.storage.types import to_fen

RULE_VERSION = "2026.1"

REASON_LABELS = BLACKLIST_REASON  # the words live in the vocabulary


@dataclass(frozen=True)
class ClassThresholds:
    key_premium_fen: int
    key_intermediary_fen: int
    key_tender_fen: int
    claim_free_years: int
    quality_loss_ratio: Decimal
    max_overdue_days: int
    blacklist_claims: int
    blacklist_loss_ratio: Decimal
    renewal_window_days: int

    @classmethod
    def load(cls, session: Session) -> "ClassThresholds":
        return cls(
            key_premium_fen=to_fen(threshold_decimal(session, "class.key.annual_premium")),
            key_intermediary_fen=to_fen(
                threshold_decimal(session, "class.key.intermediary_premium")
            ),
            key_tender_fen=to_fen(threshold_decimal(session, "class.key.tender_premium")),
            claim_free_years=threshold_int(session, "class.quality.claim_free_years"),
            quality_loss_ratio=threshold_decimal(session, "class.quality.loss_ratio"),
            max_overdue_days=threshold_int(session, "class.quality.max_overdue_days"),
            blacklist_claims=threshold_int(session, "class.blacklist.claims_in_year"),
            blacklist_loss_ratio=threshold_decimal(session, "class.blacklist.loss_ratio"),
            renewal_window_days=threshold_int(session, "renewal.window_days"),
        )

    def as_dict(self) -> dict[str, Any]:
        return {k: str(v) for k, v in self.__dict__.items()}


@dataclass(frozen=True)
class Window:
    """The as-of date D and "the year" (the 12 months up to and including D)."""

    as_of: date

    @property
    def year_start(self) -> date:
        return self.as_of - relativedelta(years=1) + timedelta(days=1)
