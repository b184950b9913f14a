"""A permission new in a release reaches the roles that have it by default once, on the
book's next preparation; what the branch revoked stays revoked."""

from sqlmodel import col, delete, select

from tui_crm.services.setup.seed import SEEN_PERMISSION, seed_reference_data
from tui_crm.storage.models import BookMeta, RolePermission


def _roles_with(database, permission: str) -> set[str]:
    with database.session() as session:
        rows = session.exec(
            select(RolePermission.role).where(RolePermission.permission == permission)
        ).all()
    return set(rows)


def _as_a_book_from_before(database, permission: str) -> None:
    """The book as the previous release left it: the permission unknown, nothing recorded."""
    with database.session() as session:
        session.execute(delete(RolePermission).where(col(RolePermission.permission) == permission))
        session.execute(delete(BookMeta).where(col(BookMeta.key).startswith(SEEN_PERMISSION)))
        session.commit()


def test_a_new_permission_is_granted_once_and_a_revocation_sticks(services) -> None:
    database = services.database
    _as_a_book_from_before(database, "adjuster.edit")
    assert _roles_with(database, "adjuster.edit") == set()
    seed_reference_data(database)
    assert _roles_with(database, "adjuster.edit") == {"claims", "supervisor", "manager", "admin"}
    with database.session() as session:
        session.execute(
            delete(RolePermission).where(
                col(RolePermission.role) == "claims",
                col(RolePermission.permission) == "adjuster.edit",
            )
        )
        session.commit()
    seed_reference_data(database)
    assert _roles_with(database, "adjuster.edit") == {"supervisor", "manager", "admin"}
