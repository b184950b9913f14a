"""Which gateway the dispatcher uses: the HTTP provider when its URL is configured, else
the loopback spool (so the demo book works out of the box). Credentials come from the
environment only."""

from collections.abc import Mapping
from pathlib import Path

from tui_crm.i18n import tr
from tui_crm.services.core.errors import ValidationFailed
from tui_crm.services.sms.gateway import Gateway
from tui_crm.services.sms.http_gateway import HttpGateway
from tui_crm.services.sms.spool import SpoolGateway


def gateway_from_env(environ: Mapping[str, str], spool_default: Path) -> Gateway:
    """The HTTP gateway when TUI_CRM_SMS_GATEWAY_URL is set, else the loopback spool."""
    url = environ.get("TUI_CRM_SMS_GATEWAY_URL", "").strip()
    if not url:
        return SpoolGateway(Path(environ.get("TUI_CRM_SMS_SPOOL") or spool_default))
    key_id = environ.get("TUI_CRM_SMS_KEY_ID", "").strip()
    secret = environ.get("TUI_CRM_SMS_SECRET", "")
    if not key_id or not secret:
        raise ValidationFailed(
            tr(
                "已配置短信网关地址，但缺少 TUI_CRM_SMS_KEY_ID 或 TUI_CRM_SMS_SECRET",
                "TUI_CRM_SMS_GATEWAY_URL is set without TUI_CRM_SMS_KEY_ID or TUI_CRM_SMS_SECRET",
            ),
            field="gateway",
        )
    try:
        timeout = float(environ.get("TUI_CRM_SMS_TIMEOUT") or 5)
    except ValueError:
        raise ValidationFailed(
            tr("TUI_CRM_SMS_TIMEOUT 应为秒数", "TUI_CRM_SMS_TIMEOUT must be seconds"),
            field="gateway",
        ) from None
    return HttpGateway(url, key_id, secret, timeout=timeout)
