"""Local dates and times of the branch (Asia/Shanghai), injectable for tests."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

BRANCH_TZ = ZoneInfo("Asia/Shanghai")


class Clock:
    def now(self) -> datetime:
        return datetime.now(BRANCH_TZ)

    def today(self) -> date:
        return self.now().date()


class FixedClock(Clock):
    def __init__(self, moment: datetime) -> None:
        self.moment = moment if moment.tzinfo else moment.replace(tzinfo=BRANCH_TZ)

    def now(self) -> datetime:
        return self.moment

    def advance(self, **delta: float) -> None:
        from datetime import timedelta

        self.moment = self.moment + timedelta(**delta)
