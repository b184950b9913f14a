"""Pilot: a supervisor reviews duplicate candidates worst first, keeps the other record's
ID number, merges by keyboard, then undoes the merge."""

from sqlmodel import select
from textual.widgets import DataTable

from tests.duplicates.book import NEW_ID, OLD_ID, build
from tests.factories import make_user
from tests.ui.pilot import new_app, settle, shown, sign_in
from tui_crm.screens.duplicates.merge import MergeScreen
from tui_crm.screens.duplicates.review import DuplicatesScreen
from tui_crm.storage.models import Customer, CustomerMerge, Policy


async def test_review_merge_and_undo_by_keyboard(services) -> None:
    book = build(services)
    make_user(services, "supervisor", "supervisor")
    app = new_app(services)
    async with app.run_test(size=(120, 40)) as pilot:
        await sign_in(pilot, "supervisor")
        await pilot.press("ctrl+p")
        await settle(pilot)
        await pilot.press(*"chongfu", "enter")
        await settle(pilot)
        assert isinstance(app.screen, DuplicatesScreen)
        table = app.screen.query_one(DataTable)
        assert table.row_count == 4
        first = [str(cell) for cell in table.get_row_at(0)]
        assert first[0] == "95" and "15位与18位" in first[1] and "王建国" in first[2]
        assert OLD_ID not in " ".join(first)  # masked
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, MergeScreen)
        assert f"{book.old} 王建国" in shown(app.screen, "#merge-heads")
        await pilot.press("down", "space", "m")
        assert "再按 m" in shown(app.screen, "#merge-status")
        await pilot.press("m")
        await settle(pilot)
        assert "已合并" in shown(app.screen, "#merge-status")
        with services.database.session() as session:
            assert session.get(Customer, book.old).id_number == NEW_ID
            merge = session.exec(select(CustomerMerge)).one()
            assert (merge.survivor_id, merge.merged_id) == (book.old, book.new)
            assert session.exec(select(Policy.customer_id)).all() == [book.old]
        await pilot.press("u")
        await settle(pilot)
        assert "已撤销合并" in shown(app.screen, "#merge-status")
        with services.database.session() as session:
            assert session.get(Customer, book.old).id_number == OLD_ID
            assert session.exec(select(CustomerMerge)).one().unmerged_at is not None
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, DuplicatesScreen)


async def test_counter_cannot_open_duplicates(services) -> None:
    build(services)
    make_user(services, "counter", "counter")
    app = new_app(services)
    async with app.run_test(size=(120, 40)) as pilot:
        await sign_in(pilot, "counter")
        app.open_area("duplicates")
        await settle(pilot)
        assert not isinstance(app.screen, DuplicatesScreen)
