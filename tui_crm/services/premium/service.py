"""PremiumService: the one entry point of screens and the CLI for trials."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from tui_crm.i18n import tr
from tui_crm.i18n.vocabulary import COVERAGE
from tui_crm.services.core.actor import Actor, Permission
from tui_crm.services.core.clock import Clock
from tui_crm.services.premium.errors import Problems, TrialInvalid
from tui_crm.services.premium.inputs import TrialInput, parse_form
from tui_crm.services.premium.parties import Prefill, load_prefill
from tui_crm.services.premium.tables import COMMERCIAL_BASE, known_regions, load_book
from tui_crm.services.premium.trial import TrialOutcome, TrialResult, compute
from tui_crm.storage.db import Database


@dataclass(frozen=True)
class CoverageOptions:
    """Choices the trial screen offers, from the tables in force on a date."""

    third_party_limits: list[Decimal]
    scratch_limits: list[Decimal]
    medical_limits: list[Decimal]
    seat_limit_min: Decimal
    seat_limit_max: Decimal
    coverages: dict[str, tuple[str, str]]


def _limits(entries: dict[str, Decimal], prefix: str) -> list[Decimal]:
    head = prefix + ":"
    return sorted(
        Decimal(k[len(head) :]) for k in entries if k.startswith(head) and k[len(head) :].isdigit()
    )


class PremiumService:
    def __init__(self, database: Database, clock: Clock) -> None:
        self.database = database
        self.clock = clock

    def today(self) -> date:
        return self.clock.today()

    def regions(self) -> list[str]:
        with self.database.session() as session:
            return known_regions(session)

    def evaluate(
        self, actor: Actor, trial: TrialInput, problems: Problems | None = None
    ) -> TrialOutcome:
        actor.require(Permission.QUOTE)
        problems = problems or Problems()
        today = self.clock.today()
        with self.database.session() as session:
            if trial.region not in known_regions(session):
                problems.add(
                    "region",
                    tr(
                        "未知地区“{r}”（没有该地区的费率表）",
                        "Unknown region '{r}' (no rate tables)",
                        r=trial.region,
                    ),
                )
            # an invalid (past) start is reported once; the rest is checked on today's tables
            on = trial.start if trial.start and trial.start >= today else today
            book = load_book(session, trial.region, on)
        result = compute(trial, book, today, problems)
        return TrialOutcome(result, list(problems.errors))

    def trial(self, actor: Actor, values: Mapping[str, object]) -> TrialOutcome:
        """From field text: the result, or every problem (for a screen that recomputes as
        the clerk types)."""
        actor.require(Permission.QUOTE)
        trial, problems = parse_form(values, today=self.clock.today())
        return self.evaluate(actor, trial, problems)

    def quote(self, actor: Actor, values: Mapping[str, object]) -> TrialResult:
        """From field text: the result, or TrialInvalid naming the first field to blame."""
        outcome = self.trial(actor, values)
        if outcome.result is None:
            raise TrialInvalid(outcome.errors)
        return outcome.result

    def prefill(
        self, actor: Actor, customer_id: int | None = None, vehicle_id: int | None = None
    ) -> Prefill:
        actor.require(Permission.QUOTE)
        with self.database.session() as session:
            return load_prefill(session, actor, customer_id, vehicle_id)

    def coverage_options(
        self, actor: Actor, on: date | None = None, region: str = "zhejiang"
    ) -> CoverageOptions:
        actor.require(Permission.QUOTE)
        with self.database.session() as session:
            book = load_book(session, region, on or self.clock.today(), (COMMERCIAL_BASE,))
        entries = book.table(COMMERCIAL_BASE).entries
        return CoverageOptions(
            third_party_limits=_limits(entries, "tp_limit"),
            scratch_limits=_limits(entries, "scratch"),
            medical_limits=_limits(entries, "medical_extra"),
            seat_limit_min=entries.get("seat_limit:min", Decimal(0)),
            seat_limit_max=entries.get("seat_limit:max", Decimal(0)),
            coverages=dict(COVERAGE),
        )
