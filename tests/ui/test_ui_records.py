"""Pilot: the records kept about a customer by keyboard — from the 360 view P records a
loss to a competitor (a future date refused under its field) and the class turns
prospect, O corrects the source and its list, K corrects a policy's co-insurance marks;
corporate groups with their head, members and a parent link; the prospect list."""

from datetime import date
from decimal import Decimal

from sqlmodel import select
from textual.widgets import DataTable

from tests.factories import make_customer, make_policy, make_user
from tests.ui.pilot import new_app, settle, shown, sign_in, wait_until
from tui_crm.screens.customer.prospect_list import ProspectListScreen
from tui_crm.screens.customer.view import CustomerScreen
from tui_crm.screens.records.group_members import GroupMembersScreen
from tui_crm.screens.records.groups import GroupsScreen
from tui_crm.screens.records.policy_marks import PolicyMarksScreen
from tui_crm.screens.records.prospects import ProspectsScreen
from tui_crm.screens.records.source import SourceScreen
from tui_crm.storage.models import (
    AuditLog,
    CorporateGroupHead,
    Customer,
    CustomerSourceList,
    Policy,
    ProspectFact,
    SourceList,
)
from tui_crm.widgets.form_dialog import FormDialog


async def _open_customer(pilot, username: str, phone: str) -> CustomerScreen:
    await sign_in(pilot, username)
    await pilot.press("f3")
    await settle(pilot)
    await pilot.press(*phone, "enter")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, CustomerScreen), "the 360")
    await settle(pilot)
    return pilot.app.screen


def _row(screen, index: int = 0) -> list[str]:
    table = screen if isinstance(screen, DataTable) else screen.query_one(DataTable)
    return [str(c) for c in table.get_row_at(index)]


async def test_a_loss_recorded_from_the_360_makes_a_prospect(services) -> None:
    make_user(services, "counter", "counter")
    customer = make_customer(services, "周八", phone="13812345678")
    app = new_app(services)
    async with app.run_test(size=(140, 40)) as pilot:
        await _open_customer(pilot, "counter", "13812345678")
        await pilot.press("p")
        await settle(pilot)
        assert isinstance(app.screen, ProspectsScreen)
        await pilot.press("n")
        await settle(pilot)
        await pilot.press("backspace", "backspace", *"流失", "enter")
        await pilot.press(*"2026-12-30", "enter", "enter", *"平安", "enter", *"价格", "enter")
        await settle(pilot)
        assert isinstance(app.screen, FormDialog)
        assert "晚于今天" in shown(app.screen, "#error-date")
        await pilot.press(*["backspace"] * 10, *"2026-11-01", "enter", "enter", "enter", "enter")
        await settle(pilot)
        assert isinstance(app.screen, ProspectsScreen)
        assert "已保存" in shown(app.screen, "#records-status")
        assert _row(app.screen)[:4] == ["2026-11-01", "流失至竞争对手", "平安", "价格"]
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, CustomerScreen)
        header = shown(app.screen, "#customer-header")
        assert "准客户" in header and "2026-11-01 转投平安" in header
    with services.database.session() as session:
        fact = session.exec(select(ProspectFact)).one()
        assert (fact.customer_id, fact.competitor, fact.fact_date) == (
            customer,
            "平安",
            date(2026, 11, 1),
        )
        assert session.get(Customer, customer).customer_class == "prospect"


async def test_source_and_list_corrected_from_the_360(services) -> None:
    make_user(services, "counter", "counter")
    customer = make_customer(services, "王五", phone="13812345678")
    app = new_app(services)
    async with app.run_test(size=(140, 40)) as pilot:
        await _open_customer(pilot, "counter", "13812345678")
        await pilot.press("o")
        await settle(pilot)
        assert isinstance(app.screen, SourceScreen)
        assert _row(app.screen)[0] == "核心业务系统"
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press(*["backspace"] * 8, *"车商", "enter", *"4S 店名单", "enter")
        await pilot.press(*"2026-13-01", "enter")
        await settle(pilot)
        assert "YYYY-MM-DD" in shown(app.screen, "#error-list_date")
        await pilot.press(*["backspace"] * 10, *"2026-03-01", "enter")
        await settle(pilot)
        assert isinstance(app.screen, SourceScreen)
        assert _row(app.screen) == ["车商", "4S 店名单", "2026-03-01"]
    with services.database.session() as session:
        assert session.get(Customer, customer).source == "dealer"
        listed = session.exec(select(SourceList)).one()
        assert session.get(CustomerSourceList, customer).list_id == listed.id
        assert session.exec(select(AuditLog).where(AuditLog.action == "source")).one()


async def test_policy_marks_corrected_from_the_policies_tab(services) -> None:
    make_user(services, "uw", "underwriter")
    customer = make_customer(services, "孙七", phone="13812345678")
    policy_id = make_policy(services, customer, date(2026, 3, 1))
    app = new_app(services)
    async with app.run_test(size=(140, 40)) as pilot:
        await _open_customer(pilot, "uw", "13812345678")
        await pilot.press("1", "k")
        await settle(pilot)
        assert isinstance(app.screen, PolicyMarksScreen)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press(*["enter"] * 5, *"0.5", "enter")  # a share on a policy not co-insured
        await settle(pilot)
        assert isinstance(app.screen, FormDialog)
        assert "共保" in shown(app.screen, "#error-coinsurance")
        await pilot.press("backspace", *"是", "enter", "enter", "enter", "enter")
        await settle(pilot)
        assert isinstance(app.screen, PolicyMarksScreen)
        assert _row(app.screen)[4:] == ["是", "否", "50.00%"]
    with services.database.session() as session:
        policy = session.get(Policy, policy_id)
        assert policy.coinsurance and policy.coinsurance_share == Decimal("0.5")
        audit = session.exec(select(AuditLog).where(AuditLog.entity == "policy")).one()
        assert audit.detail == "marks"


async def test_a_group_with_members_and_a_parent_link(services) -> None:
    make_user(services, "am", "account_manager")
    head = make_customer(services, "嘉兴钢铁集团", kind="corporate")
    child = make_customer(services, "嘉兴钢铁物流", kind="corporate")
    app = new_app(services)
    async with app.run_test(size=(140, 40)) as pilot:
        await sign_in(pilot, "am")
        await pilot.press("ctrl+p")
        await settle(pilot)
        await pilot.press(*"jituan", "enter")
        await settle(pilot)
        assert isinstance(app.screen, GroupsScreen)
        await pilot.press("n")
        await settle(pilot)
        await pilot.press(*"嘉兴钢铁", "enter", *"abc", "enter")
        await settle(pilot)
        assert "客户编号" in shown(app.screen, "#error-head")
        await pilot.press("backspace", "backspace", "backspace", *str(head), "enter")
        await settle(pilot)
        assert isinstance(app.screen, GroupsScreen)
        assert _row(app.screen)[1:4] == ["嘉兴钢铁", f"嘉兴钢铁集团 ({head})", "1"]
        await pilot.press("m")
        await settle(pilot)
        assert isinstance(app.screen, GroupMembersScreen)
        await pilot.press("n")
        await settle(pilot)
        await pilot.press(*str(child), "enter")
        await settle(pilot)
        assert app.screen.query_one(DataTable).row_count == 2
        names = [_row(app.screen, i)[1] for i in range(2)]
        await pilot.press(*["down"] * names.index("嘉兴钢铁物流"), "l")
        await settle(pilot)
        await pilot.press(*str(child), "enter")  # its own parent: refused under the field
        await settle(pilot)
        assert "自己的母公司" in shown(app.screen, "#error-parent")
        await pilot.press(*["backspace"] * len(str(child)), *str(head), "enter")
        await settle(pilot)
        assert isinstance(app.screen, GroupMembersScreen)
        actor = services.auth.actor_for("am")
        await app.push_screen(CustomerScreen(services, actor, child))  # the child's 360 view
        await settle(pilot)
        await pilot.press("8")
        await settle(pilot)
        summary = shown(app.screen, "#summary-group")
        assert "嘉兴钢铁" in summary and "母公司：嘉兴钢铁集团" in summary
        table = app.screen.query_one("#table-group", DataTable)
        roles = {tuple(_row(table, i)[:2]) for i in range(2)}
        assert roles == {("嘉兴钢铁集团", "集团总部"), ("嘉兴钢铁物流", "下属公司")}
    with services.database.session() as session:
        row = session.get(Customer, child)
        assert row.parent_customer_id == head and row.group_id is not None
        assert session.get(CorporateGroupHead, row.group_id).customer_id == head


async def test_the_prospect_list_of_the_units(services) -> None:
    clerk = make_user(services, "counter", "counter")
    customer = make_customer(services, "吴九", phone="13812345678")
    services.prospects.declare_intent(clerk, customer, note="比价中")
    app = new_app(services)
    async with app.run_test(size=(140, 40)) as pilot:
        await sign_in(pilot, "counter")
        await pilot.press("ctrl+p")
        await settle(pilot)
        await pilot.press(*"zhunkehu", "enter")
        await settle(pilot)
        assert isinstance(app.screen, ProspectListScreen)
        assert _row(app.screen)[1:] == [
            str(customer),
            "吴九",
            "330402",
            "投保意向",
            "",
            "比价中",
            "准客户",
        ]
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, CustomerScreen), "the 360")
