"""Quiet hours (default 21:00–08:00 branch time): marketing waits for the morning."""

from datetime import datetime, time, timedelta

from sqlmodel import Session

from tui_crm.services.core.clock import BRANCH_TZ
from tui_crm.services.core.thresholds import threshold_int


def quiet_window(session: Session) -> tuple[int, int]:
    return threshold_int(session, "sms.quiet_start_hour"), threshold_int(
        session, "sms.quiet_end_hour"
    )


def is_quiet(moment: datetime, start: int, end: int) -> bool:
    hour = moment.astimezone(BRANCH_TZ).hour
    if start == end:
        return False
    if start > end:  # across midnight, the usual case
        return hour >= start or hour < end
    return start <= hour < end


def quiet_ends(moment: datetime, start: int, end: int) -> datetime:
    """When marketing may go out: `moment` itself outside quiet hours, else the next `end`."""
    if not is_quiet(moment, start, end):
        return moment
    local = moment.astimezone(BRANCH_TZ)
    morning = datetime.combine(local.date(), time(end), tzinfo=BRANCH_TZ)
    return morning if morning > local else morning + timedelta(days=1)
