"""Pilot: a clerk types fragments, moves with the keyboard, opens the 360 view, switches
tabs, edits with a validation error next to the field; customer text is shown literally."""

from datetime import date

from sqlmodel import select
from textual.widgets import DataTable, Static, TabbedContent

from tests.factories import make_customer, make_policy, make_user, make_vehicle
from tests.ui.pilot import new_app, settle, shown, sign_in, wait_until
from tui_crm.screens.customer.form import CustomerFormScreen
from tui_crm.screens.customer.view import CustomerScreen
from tui_crm.screens.home import HomeScreen
from tui_crm.screens.search import SearchScreen
from tui_crm.storage.models import AuditLog, Customer


async def _searched(pilot, screen: SearchScreen) -> None:
    """Wait until the box's query is shown: no keystroke waiting out the debounce, no
    deeper look inside names still to come."""
    await wait_until(
        pilot,
        lambda: (
            screen._timer is None
            and not screen._loading_more
            and screen.shown_query == screen.page_query()
        ),
        f"the results of {screen.box.value!r}",
    )


async def _opened(pilot) -> CustomerScreen:
    """Wait until Enter has opened a customer's 360 view and it has loaded."""
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, CustomerScreen), "the 360 view")
    return pilot.app.screen


async def _sign_in_and_search(pilot) -> SearchScreen:
    await sign_in(pilot, "counter")
    assert isinstance(pilot.app.screen, HomeScreen)
    await pilot.press("f3")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, SearchScreen)
    assert screen.focused is screen.box  # focus starts in the search box
    return screen


def _names(screen: SearchScreen) -> list[str]:
    table = screen.table
    return [table.get_row_at(i)[0].plain for i in range(table.row_count)]


def _status(screen) -> str:
    return shown(screen, "#search-status")


def _book(services):
    make_user(services, "counter", "counter")
    zhang = make_customer(services, "张三", id_number="330402199001011234", phone="13812345678")
    make_customer(services, "张三丰", phone="13611112222")
    wang = make_customer(services, "王建国", phone="13912345678")
    make_vehicle(services, zhang, "浙F12345", "LSVAB2BJ4EN123456")
    make_policy(services, zhang, date(2025, 1, 1))
    return zhang, wang


async def test_type_move_open_switch_tabs_and_back(services) -> None:
    zhang, _wang = _book(services)
    app = new_app(services)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await _sign_in_and_search(pilot)
        await pilot.press("z", "s")
        await _searched(pilot, screen)
        assert _names(screen) == ["张三", "张三丰"]
        assert "共 2 位客户" in _status(screen)
        await pilot.press("down", "up", "down", "up")  # keys move the results, box keeps focus
        assert screen.focused is screen.box and screen.box.value == "zs"
        await pilot.press("enter")
        customer = await _opened(pilot)
        assert isinstance(customer, CustomerScreen) and customer.customer_id == zhang
        header = str(customer.query_one("#customer-header", Static).render())
        assert "张三" in header and "330402********1234" in header
        policies = customer.query_one("#table-policies", DataTable)
        assert policies.get_row_at(0)[0].plain.startswith("PDAA2025")
        await pilot.press("2")
        assert customer.query_one(TabbedContent).active == "tab-vehicles"
        vehicles = customer.query_one("#table-vehicles", DataTable)
        assert vehicles.get_row_at(0)[0].plain == "浙F12345"
        await pilot.press("3")
        assert customer.query_one(TabbedContent).active == "tab-claims"
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen and screen.box.value == "zs"


async def test_combined_fragments_and_escape_clears_then_goes_back(services) -> None:
    _book(services)
    app = new_app(services)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await _sign_in_and_search(pilot)
        await pilot.press(*"张 5678")
        await _searched(pilot, screen)
        assert _names(screen) == ["张三"]
        await pilot.press("escape")
        await settle(pilot)
        assert screen.box.value == ""
        assert isinstance(app.screen, SearchScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)


async def test_id_card_reader_enter_opens_the_customer_directly(services) -> None:
    zhang, _wang = _book(services)
    app = new_app(services)
    async with app.run_test(size=(140, 40)) as pilot:
        await _sign_in_and_search(pilot)
        await pilot.press(*"330402199001011234", "enter")  # typed in one burst
        await _opened(pilot)
        assert isinstance(app.screen, CustomerScreen) and app.screen.customer_id == zhang


async def test_recently_viewed_list_and_reveal_in_results(services) -> None:
    zhang, wang = _book(services)
    app = new_app(services)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await _sign_in_and_search(pilot)
        for query in ("13912345678", "13812345678"):
            await pilot.press(*query, "enter")
            await _opened(pilot)
            assert isinstance(app.screen, CustomerScreen)
            await pilot.press("escape")
            await settle(pilot)
            await pilot.press("escape")  # clear the box: the recent list shows
            await settle(pilot)
        assert _names(screen) == ["张三", "王建国"]
        assert "最近查看" in _status(screen)
        row = screen.table.get_row_at(0)
        assert row[4].plain == "330402********1234"
        await pilot.press("ctrl+r")
        await settle(pilot)
        row = screen.table.get_row_at(0)
        assert row[4].plain == "330402199001011234" and row[5].plain == "13812345678"
    with services.database.session() as session:
        audit = session.exec(select(AuditLog).where(AuditLog.action == "reveal")).all()
        assert [a.entity_id for a in audit] == [str(zhang)]
    assert wang


async def test_edit_shows_the_error_under_the_field_and_saves_nothing(services) -> None:
    zhang, _wang = _book(services)
    app = new_app(services)
    async with app.run_test(size=(140, 40)) as pilot:
        await _sign_in_and_search(pilot)
        await pilot.press(*"13812345678", "enter")
        await _opened(pilot)
        await pilot.press("e")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, CustomerFormScreen)
        mobile = form.field("mobile")
        assert mobile.value == "138****5678"
        mobile.input.focus()
        mobile.value = ""
        await pilot.press(*"1381234")
        await pilot.pause()
        assert "11位" in mobile.message and mobile.has_class("-invalid")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is form
        assert "标红" in str(form.query_one("#form-status", Static).render())
        # Fix it and change the name: saved, the 360 view shows it.
        mobile.value = ""
        await pilot.press(*"13800001111")
        name = form.field("name")
        name.value = "张三改"
        await pilot.press("ctrl+s")
        await _opened(pilot)
        header = str(app.screen.query_one("#customer-header", Static).render())
        assert "张三改" in header and "138****1111" in header
    with services.database.session() as session:
        customer = session.get(Customer, zhang)
        assert customer is not None and customer.name == "张三改" and customer.version == 2


async def test_new_customer_with_duplicate_warning(services) -> None:
    _book(services)
    app = new_app(services)
    async with app.run_test(size=(140, 40)) as pilot:
        await sign_in(pilot, "counter")
        await pilot.press("2")  # home: new customer
        await settle(pilot)
        form = app.screen
        assert isinstance(form, CustomerFormScreen)
        await pilot.press(*"李梅")
        form.field("mobile").input.focus()
        await pilot.press(*"13812345678")  # 张三's phone
        await pilot.press("ctrl+s")
        await settle(pilot)
        status = str(form.query_one("#form-status", Static).render())
        assert "可能重复" in status and "张三" in status and "Ctrl+S" in status
        await pilot.press("ctrl+s")  # the clerk confirms it is someone else
        await _opened(pilot)
        assert "李梅" in str(app.screen.query_one("#customer-header", Static).render())


async def test_markup_and_escape_characters_are_shown_literally(services) -> None:
    make_user(services, "counter", "counter")
    markup = make_customer(services, "[bold red]x[/]", phone="13800001357")
    escape = make_customer(services, "王\x1b[31m五", phone="13900001357")
    app = new_app(services)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await _sign_in_and_search(pilot)
        await pilot.press(*"1357")
        await _searched(pilot, screen)
        cells = {screen.table.get_row_at(i)[0].plain for i in range(screen.table.row_count)}
        assert cells == {"[bold red]x[/]", "王␛[31m五"}
        for i in range(screen.table.row_count):
            assert not screen.table.get_row_at(i)[0].spans  # no style came from the name
        screen.box.value = "13800001357"
        await pilot.press("enter")
        await _opened(pilot)
        header = app.screen.query_one("#customer-header", Static)
        text = header.render()
        assert str(text).startswith("[bold red]x[/]")
        assert app.screen.customer_id == markup
        await pilot.press("escape")
        await settle(pilot)
        screen.box.value = "13900001357"
        await pilot.press("enter")
        await _opened(pilot)
        header_text = str(app.screen.query_one("#customer-header", Static).render())
        assert "王␛[31m五" in header_text and "\x1b" not in header_text
        assert app.screen.customer_id == escape


async def test_manager_moves_the_customer_and_counter_quotes_a_vehicle(services) -> None:
    zhang, _wang = _book(services)
    make_user(services, "manager", "manager", "3304")
    app = new_app(services)
    async with app.run_test(size=(140, 40)) as pilot:
        await sign_in(pilot, "manager")
        await pilot.press("f3")
        await settle(pilot)
        await pilot.press(*"13812345678", "enter")
        await _opened(pilot)
        assert isinstance(app.screen, CustomerScreen)
        await pilot.press("m")
        await settle(pilot)
        await pilot.press(*"330411", "enter", *"搬家", "enter")
        await settle(pilot)
        assert isinstance(app.screen, CustomerScreen)
        header = str(app.screen.query_one("#customer-header", Static).render())
        assert "330411" in header
    with services.database.session() as session:
        customer = session.get(Customer, zhang)
        assert customer is not None and customer.version == 2
    app = new_app(services)
    async with app.run_test(size=(140, 40)) as pilot:
        await _sign_in_and_search(pilot)  # counter: 张三 is now another county's customer
        await pilot.press(*"13912345678", "enter")
        await _opened(pilot)
        assert isinstance(app.screen, CustomerScreen)
        await pilot.press("2", "t")  # premium trial from the vehicles tab
        await settle(pilot)
        assert type(app.screen).__module__ == "tui_crm.screens.premium.trial"


async def test_columns_fit_each_page_of_results(services) -> None:
    _book(services)
    long_name = "嘉兴市南湖区七星街道东进村" + "新能源汽车零部件制造销售服务" * 2 + "有限公司"
    make_customer(services, long_name, kind="corporate")
    app = new_app(services)
    async with app.run_test(size=(120, 32)) as pilot:
        screen = await _sign_in_and_search(pilot)
        table = screen.table
        await pilot.press(*"东进村")
        await settle(pilot)
        assert _names(screen) == [long_name]
        first = table.ordered_columns[0]
        assert first.content_width >= len(long_name) * 2  # the long name is shown whole
        await pilot.press("escape")
        await pilot.press("z", "s")
        await settle(pilot)
        assert _names(screen) == ["张三", "张三丰"]
        first = table.ordered_columns[0]
        assert first.content_width == len("张三丰") * 2  # shrunk back to this page
        widths = [column.get_render_width(table) for column in table.ordered_columns]
        assert sum(widths) <= 120  # 客户经理 and 匹配 are on screen again
