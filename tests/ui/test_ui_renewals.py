"""Pilot: the renewal worklist from the service screen (w): log a call, queue the renewal
SMS, set lost with a competitor, open the premium trial of the expiring policy."""

from sqlmodel import select
from textual.widgets import DataTable

from tests.ui.pilot import new_app, settle, shown, sign_in
from tests.worklists.book import build
from tui_crm.screens.premium.trial import PremiumTrialScreen
from tui_crm.screens.worklists.renewals import RenewalScreen
from tui_crm.storage.models import RenewalFollowUp, SmsMessage
from tui_crm.widgets.form_dialog import FormDialog


async def test_work_the_renewal_list_by_keyboard(services) -> None:
    book = build(services)
    app = new_app(services)
    async with app.run_test(size=(140, 40)) as pilot:
        await sign_in(pilot, "am")
        await pilot.press("6")
        await settle(pilot)
        await pilot.press("w")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, RenewalScreen)
        table = screen.query_one("#renewals", DataTable)
        assert [str(c) for c in table.get_row_at(0)][2:5] == [
            screen.items[str(book.soon)].policy_no,
            "钱多多",
            "浙F8A123",
        ]
        assert table.row_count == 2 and "2" in shown(screen, "#renewal-status")
        await pilot.press("3")  # the next 30 days only
        await settle(pilot)
        assert table.row_count == 1
        table.focus()
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, FormDialog)
        await pilot.press(*"下周来续", "enter")
        await settle(pilot)
        assert "已联系" in str(table.get_row_at(0)[-1])
        await pilot.press("s")
        await settle(pilot)
        await pilot.press("u")
        await pilot.pause()
        await pilot.press(*"lost", "enter", *"某财险", "enter", *"价格", "enter")
        await settle(pilot)
        assert "已流失（某财险）" in str(table.get_row_at(0)[-1])
        await pilot.press("t")
        await settle(pilot)
        assert isinstance(app.screen, PremiumTrialScreen)
    with services.database.session() as session:
        follow = session.exec(select(RenewalFollowUp)).one()
        sms = session.exec(select(SmsMessage)).one()
    assert (follow.policy_id, follow.status, follow.competitor) == (book.soon, "lost", "某财险")
    assert sms.template_code == "renewal_notice" and "浙F8A123" in sms.body


async def test_the_renewal_sms_to_the_whole_list_as_a_campaign(services) -> None:
    build(services)
    app = new_app(services)
    async with app.run_test(size=(140, 40)) as pilot:
        await sign_in(pilot, "am")
        await pilot.press("6")
        await settle(pilot)
        await pilot.press("w")
        await settle(pilot)
        await pilot.press("m")
        await settle(pilot)
        from tui_crm.screens.worklists.campaign_preview import CampaignPreviewDialog

        dialog = app.screen
        assert isinstance(dialog, CampaignPreviewDialog)
        # 钱多多 has a car; 孙小美 has none, so the renewal notice lacks its plate
        assert shown(dialog, "#campaign-count") == "共 2 人：发送 1，跳过 1"
        assert "缺少模板参数: 1" in shown(dialog, "#campaign-skipped")
        assert "139****1111: 尊敬的钱多多" in shown(dialog, "#campaign-samples")
        await pilot.press("enter")
        await settle(pilot)
    with services.database.session() as session:
        queued = session.exec(select(SmsMessage)).all()
    assert [m.status for m in queued] == ["queued"] and "浙F8A123" in queued[0].body
