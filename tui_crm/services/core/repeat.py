"""The same submit twice within seconds is done once.

A clerk presses Ctrl+S twice, or Enter again because the screen seemed slow: the second
submit of the same content by the same user within `form.repeat_seconds` (a threshold,
10 s by default) is refused, naming the record the first one made. Each service calls
`claim` first in its transaction, then `made` once the record has its id; when anything
in the transaction fails, the claim goes with it.

The claim starts with a write, so on SQLite the transaction holds the write lock (and
sees every earlier commit) before it reads; on PostgreSQL two submits at the same
moment meet at the unique index and the second is refused.
"""

import hashlib
import json
from datetime import datetime, timedelta

from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from tui_crm.i18n import is_english, tr
from tui_crm.services.core.actor import Actor
from tui_crm.services.core.errors import Conflict
from tui_crm.services.core.thresholds import threshold_int
from tui_crm.storage.models import RecentSubmit

WINDOW_THRESHOLD = "form.repeat_seconds"


class RepeatedSubmit(Conflict):
    """The same content was just submitted by the same user; `entity_id` is what it made."""

    code = "repeated"

    def __init__(self, message: str, entity_id: int | None) -> None:
        super().__init__(message)
        self.entity_id = entity_id


def fingerprint(*parts: object) -> str:
    """A digest of what was submitted (JSON of `parts`, so order and types count)."""
    text = json.dumps(parts, ensure_ascii=False, default=str, sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def claim(
    session: Session, actor: Actor, kind: str, digest: str, now: datetime, what: tuple[str, str]
) -> RecentSubmit:
    """Refuse (`RepeatedSubmit`) when `actor` submitted the same `kind` and `digest` within
    the window; otherwise record this submit. `what` names the record in both languages
    (e.g. ("短信", "SMS")) for the refusal."""
    seconds = threshold_int(session, WINDOW_THRESHOLD)
    cutoff = now - timedelta(seconds=seconds)
    session.execute(  # first a write: see the header
        delete(RecentSubmit).where(
            col(RecentSubmit.staff_id) == actor.id, col(RecentSubmit.submitted_at) <= cutoff
        )
    )
    earlier = session.exec(
        select(RecentSubmit).where(
            RecentSubmit.staff_id == actor.id,
            RecentSubmit.kind == kind,
            RecentSubmit.fingerprint == digest,
        )
    ).first()
    if earlier is not None:
        raise _refusal(what, earlier.entity_id, seconds)
    row = RecentSubmit(staff_id=actor.id, kind=kind, fingerprint=digest, submitted_at=now)
    session.add(row)
    try:
        session.flush()
    except IntegrityError:  # the same submit at the same moment, committed first
        raise _refusal(what, None, seconds) from None
    return row


def made(session: Session, row: RecentSubmit, entity_id: int | None) -> None:
    """The claimed submit made record `entity_id` (named when it is submitted again)."""
    row.entity_id = entity_id
    session.add(row)


def _refusal(what: tuple[str, str], entity_id: int | None, seconds: int) -> RepeatedSubmit:
    zh, en = what
    if entity_id is None:
        message = tr(
            "同样的{w}刚刚已提交（{s} 秒内），未重复保存",
            "The same {w} was just submitted (within {s} s); not saved again",
            w=en if is_english() else zh,
            s=seconds,
        )
    else:
        message = tr(
            "同样的{w}刚刚已保存为 #{i}（{s} 秒内），未重复保存",
            "The same {w} was just saved as #{i} (within {s} s); not saved again",
            w=en if is_english() else zh,
            i=entity_id,
            s=seconds,
        )
    return RepeatedSubmit(message, entity_id)
