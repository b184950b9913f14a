"""Wrong passwords tried in parallel each count towards the lock (no lost updates)."""

from concurrent.futures import ThreadPoolExecutor

from sqlmodel import select

from tests.factories import make_user
from tui_crm.services.container import make_services
from tui_crm.services.core.errors import AccountLocked, AuthFailed, ServiceError
from tui_crm.storage.models import StaffUser, Threshold


def _try_in_parallel(services, attempts: int) -> list[type]:
    def attempt(_: int) -> type:
        try:
            services.auth.sign_in("counter", "wrong")
        except ServiceError as refusal:
            return type(refusal)
        return object

    with ThreadPoolExecutor(max_workers=attempts) as pool:
        return list(pool.map(attempt, range(attempts)))


def _set_threshold(services, code: str, value: str) -> None:
    with services.database.session() as session:
        row = session.get(Threshold, code)
        assert row is not None
        row.value = value
        session.commit()


def _user(services) -> StaffUser:
    with services.database.session() as session:
        return session.exec(select(StaffUser).where(StaffUser.username == "counter")).one()


def test_nine_parallel_failures_count_nine(committed_database) -> None:
    services = make_services(committed_database, fast_hash=True)
    make_user(services, "counter", "counter")
    _set_threshold(services, "auth.max_failures", "10")
    outcomes = _try_in_parallel(services, 9)
    assert outcomes == [AuthFailed] * 9
    assert _user(services).failed_attempts == 9


def test_parallel_failures_lock_at_the_limit(committed_database) -> None:
    services = make_services(committed_database, fast_hash=True)
    make_user(services, "counter", "counter")
    outcomes = _try_in_parallel(services, 12)
    # The fifth counted failure locks; the rest are refused as failures or as locked.
    assert outcomes.count(AccountLocked) >= 1
    assert _user(services).locked_until is not None
