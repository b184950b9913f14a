"""The report columns many reports share, each defined once.

A report names the column it wants (`col.written()`, `col.customer_name()`) instead of
spelling out its key, labels, kind and total rule again, so the screens, the CLI and the
exports read the same header and totals wherever the measure appears. What genuinely
varies between reports — a label, or whether a count is totalled — is a parameter.
"""

from tui_crm.services.reports.engine.base import (
    Column,
    Kind,
    count,
    earned_lr,
    money,
    percent,
    simple_lr,
    text,
)

__all__ = ["earned_lr", "simple_lr"]


# --- measures -------------------------------------------------------------------------


def policies() -> Column:
    return count("policies", "签单件数", "Policies")


def customers(zh: str = "客户数", en: str = "Customers", *, total: bool = False) -> Column:
    # Customers overlap between rows (one buys several lines), so no total by default.
    return count("customers", zh, en, total=total)


def written(zh: str = "签单保费", en: str = "Written premium") -> Column:
    return money("written", zh, en)


def earned() -> Column:
    return money("earned", "满期保费", "Earned premium")


def commission() -> Column:
    return money("commission", "手续费", "Commission")


def claims() -> Column:
    return count("claims", "赔案件数", "Claims")


def paid() -> Column:
    return money("paid", "已付赔款", "Paid claims")


def incurred() -> Column:
    return money("incurred", "已决+未决赔款", "Paid + outstanding")


def share(
    zh: str = "保费占比",
    en: str = "Share of premium",
    *,
    of: tuple[str, str] | None = ("written", "written"),
) -> Column:
    """A row's part of the whole; `of=None` when the whole is not the column's own total."""
    return percent("share", zh, en, of=of)


def value() -> Column:
    return money("value", "贡献", "Contribution")


def insured_growth() -> Column:
    return percent("insured_growth", "保额增长", "Growth of sum insured")


def premium_per_customer() -> Column:
    return Column("per_customer", "户均保费", "Premium per customer", Kind.MONEY)


def lines_per_customer() -> Column:
    return Column("lines_per_customer", "户均险种数", "Lines per customer", Kind.NUMBER)


def balance() -> Column:
    return money("balance", "未收余额", "Balance")


def receivables() -> Column:
    return count("receivables", "应收笔数", "Receivables")


def renewals() -> Column:
    return count("renewals", "续保件数", "Renewals")


def renewal_premium() -> Column:
    return money("renewal_premium", "续保保费", "Renewal premium")


def new_premium() -> Column:
    return money("new_premium", "新保保费", "New business premium")


# --- one row per customer -------------------------------------------------------------


def rank() -> Column:
    return count("rank", "排名", "Rank", total=False)


def customer_id() -> Column:
    return Column("customer_id", "客户号", "Customer id", Kind.ID)


def customer_name(*, masked: bool = True) -> Column:
    """Masked for individuals unless the role may see names; a list of companies only
    (`masked=False`) holds no personal names."""
    return text("name", "客户名称", "Customer", pii="name" if masked else None)


def kind_label() -> Column:
    return text("kind_label", "类型", "Kind")


def customer_kind() -> Column:
    # Kept for masking: whether the row's name is a person's.
    return text("customer_kind", "", "", hidden=True)


def class_label() -> Column:
    return text("class_label", "客户分类", "Class")


def unit() -> Column:
    return text("unit_code", "机构", "Unit")


def manager() -> Column:
    return text("manager", "客户经理", "Account manager")


def lines() -> Column:
    return count("lines", "险种数", "Lines", total=False)


# --- one row per segment --------------------------------------------------------------


def segment(zh: str, en: str) -> Column:
    return text("segment", zh, en)


def month() -> Column:
    return segment("月份", "Month")


def code() -> Column:
    # The segment's code, kept for drilling down but never shown.
    return text("code", "", "", hidden=True)


def customer_identity(*, masked: bool = True) -> list[Column]:
    """Who a customer row is about, in the order every customer list shows it."""
    return [customer_id(), customer_name(masked=masked), kind_label(), unit()]
