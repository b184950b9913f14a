"""Many customers at once for the campaign tests (one transaction, not one each)."""

from datetime import UTC, datetime

from tests.factories import unit_id
from tui_crm.services.container import Services
from tui_crm.storage.models import Contact, Customer, Vehicle


def crowd(
    services: Services,
    n: int,
    *,
    opted_out: set[int] = frozenset(),  # type: ignore[assignment]
    no_consent: set[int] = frozenset(),  # type: ignore[assignment]
    unit_code: str = "330402",
) -> list[int]:
    """`n` customers with a mobile and a car; marketing consent unless listed."""
    unit = unit_id(services, unit_code)
    with services.database.session() as session:
        customers = [
            Customer(kind="individual", name=f"群发{i:05d}", unit_id=unit) for i in range(n)
        ]
        session.add_all(customers)
        session.flush()
        for i, customer in enumerate(customers):
            assert customer.id is not None
            session.add(
                Contact(
                    customer_id=customer.id,
                    kind="mobile",
                    value=f"136{i:08d}",
                    value_norm=f"136{i:08d}",
                    is_primary=True,
                    consent_marketing_sms=i not in no_consent,
                    opted_out_at=datetime(2026, 5, 1, tzinfo=UTC) if i in opted_out else None,
                )
            )
            session.add(Vehicle(owner_customer_id=customer.id, plate=f"浙F{i:05d}", use="family"))
        session.commit()
        return [c.id or 0 for c in customers]
