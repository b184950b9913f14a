"""`init_book` on an empty book of either database: the first administrator, audited;
refused once any staff account exists."""

import pytest
from sqlmodel import select

from tui_crm.services.core.errors import Conflict, NotFound
from tui_crm.services.setup import init_book
from tui_crm.storage.models import AuditLog, StaffUser


def test_init_book_once_only(database) -> None:
    with pytest.raises(NotFound):
        init_book(database, admin="root", password="first-pass-1", unit_code="999999")
    done = init_book(database, admin="root", password="first-pass-1", fast_hash=True)
    assert (done.admin, done.unit_code) == ("root", "3304")
    with pytest.raises(Conflict):
        init_book(database, admin="other", password="first-pass-1", fast_hash=True)
    with database.session() as session:
        users = session.exec(select(StaffUser)).all()
        assert [(u.username, u.role) for u in users] == [("root", "admin")]
        assert session.exec(select(AuditLog.action)).all() == ["init"]
