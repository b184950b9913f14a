"""Pilot: a manager runs a report by keyboard, drills down, exports, switches the period,
sees a bad parameter named under its field, and cancels a long report."""

import threading

import openpyxl
from sqlmodel import select

from tests.reports.book import build_book
from tests.ui.pilot import new_app, settle, shown, sign_in, wait_until
from tui_crm.screens.reports.picker import ReportsScreen
from tui_crm.screens.reports.result import ReportResultScreen
from tui_crm.storage.models import AuditLog
from tui_crm.widgets.report_table import ReportTable


async def _open_product_form(pilot) -> None:
    await sign_in(pilot, "mgr")
    await pilot.press("5")
    await settle(pilot)
    assert isinstance(pilot.app.screen, ReportsScreen)
    await pilot.press(*["down"] * 7, "enter")  # 8. 产品结构分析
    await settle(pilot)


async def _type(pilot, value: str) -> None:
    await pilot.press("end", "ctrl+u", *value)


def _rows(screen) -> list[list[str]]:
    table = screen.query_one(ReportTable).table
    return [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]


async def test_run_drill_export_and_switch_period(services, tmp_path) -> None:
    build_book(services)
    app = new_app(services)
    async with app.run_test(size=(140, 45)) as pilot:
        await _open_product_form(pilot)
        await _type(pilot, "2026-01-01")
        await pilot.press("enter")
        await _type(pilot, "2026-06-30")
        await pilot.press("f5")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReportResultScreen)
        rows = _rows(screen)
        assert rows[0][0] == "企业财产险" and rows[0][3] == "36,500.00"
        assert rows[-1][0] == "合计" and rows[-1][3] == "49,500.00"
        title = shown(screen, "#title-bar")
        assert "2026-01-01 – 2026-06-30" in title
        # Drill down into the first row: the customers behind 企业财产险.
        await pilot.press("enter")
        await settle(pilot)
        drill = app.screen
        assert isinstance(drill, ReportResultScreen) and drill is not screen
        assert [r[1] for r in _rows(drill)][:1] == ["嘉兴物流有限公司"]
        # Export the drill-down by keyboard to a file of our choosing.
        target = tmp_path / "drill.xlsx"
        await pilot.press("x")
        await pilot.pause()
        await _type(pilot, str(target))
        await pilot.press("enter")
        await settle(pilot)
        assert target.exists()
        sheet = openpyxl.load_workbook(target).active
        assert sheet["A1"].value.startswith("产品结构分析：企业财产险 的客户")
        with services.database.session() as session:
            audit = session.exec(select(AuditLog).where(AuditLog.action == "export")).all()
        assert len(audit) == 1 and audit[0].actor_username == "mgr"
        # Back to the report; the previous six months with one key.
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen
        await pilot.press("left_square_bracket")
        await settle(pilot)
        title = shown(screen, "#title-bar")
        assert "2025-07-01 – 2025-12-31" in title
        first = _rows(screen)[0]
        assert first[0] == "商业车险" and first[3] == "7,300.00"  # B's policy of 2025-07-01


async def test_bad_parameter_is_named_under_its_field(services) -> None:
    build_book(services)
    app = new_app(services)
    async with app.run_test(size=(140, 45)) as pilot:
        await _open_product_form(pilot)
        await pilot.press("enter")  # to the "to" field
        await _type(pilot, "2026-02-30")
        await pilot.press("f5")
        await settle(pilot)
        assert isinstance(app.screen, ReportsScreen)
        message = shown(app.screen, "#error-to")
        assert "YYYY-MM-DD" in message and "2026-02-30" in message
        assert app.focused is not None and app.focused.id == "param-to"


async def test_escape_cancels_a_running_report(services, monkeypatch) -> None:
    from tui_crm.services.reports import ReportCancelled, ReportService

    started = threading.Event()

    def slow_run(self, actor, name, raw, *, progress=None, token=None):
        started.set()
        for _ in range(500):  # stands for a long query; the token interrupts it
            if token is not None and token.cancelled:
                raise ReportCancelled("报表已取消")
            threading.Event().wait(0.01)
        raise AssertionError("not cancelled")

    monkeypatch.setattr(ReportService, "run", slow_run)
    build_book(services)
    app = new_app(services)
    async with app.run_test(size=(140, 45)) as pilot:
        await _open_product_form(pilot)
        await pilot.press("f5")
        # validation, then the result screen starts the (slow) run
        await wait_until(
            pilot,
            lambda: isinstance(app.screen, ReportResultScreen) and started.is_set(),
            "the report to start",
            settled=False,
        )
        screen = app.screen
        assert isinstance(screen, ReportResultScreen)
        assert screen.running
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen and not screen.running
        assert "已取消" in shown(screen, "#report-status")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ReportsScreen)
