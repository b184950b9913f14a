"""A name with a character read more than one way (乐 le / yue, 行 xing / hang, 长 chang /
zhang, 重 zhong / chong) is found by each reading's initials and full pinyin, on both
databases; the surname keeps its one reading and the readings stored per name are capped."""

from sqlalchemy import text

from tests.factories import make_customer, make_user
from tui_crm.services.core.heteronyms import MAX_VARIANTS, pinyin_variants
from tui_crm.services.customers import CustomerInput
from tui_crm.services.customers.pinyin_variants import refresh_pinyin_variants
from tui_crm.storage.models import BookMeta


def names(page) -> list[str]:
    return [h.name for h in page.hits]


def _variants(services, customer_id: int) -> list[tuple[str, str]]:
    with services.database.session() as session:
        rows = session.connection().execute(
            text("SELECT pinyin, initials FROM customer_pinyin WHERE customer_id = :c ORDER BY id"),
            {"c": customer_id},
        )
        return [(p, i) for p, i in rows.all()]


def test_each_reading_finds_the_customer(services) -> None:
    counter = make_user(services, "counter", "counter")
    create = services.customers.create
    le = create(counter, CustomerInput(kind="individual", name="张乐", mobile="13800000001"))
    create(counter, CustomerInput(kind="individual", name="李行长", mobile="13800000002"))
    create(counter, CustomerInput(kind="individual", name="王重阳", mobile="13800000003"))
    for query in ("zl", "zy", "zhangle", "zhangyue"):
        assert names(services.search.search(counter, query)) == ["张乐"], query
    for query in ("lxz", "lhz", "lxc", "lihangchang"):
        assert names(services.search.search(counter, query)) == ["李行长"], query
    assert names(services.search.search(counter, "wcy")) == ["王重阳"]
    assert names(services.search.search(counter, "yzy")) == []  # 王 as a surname is wang
    assert names(services.search.search(counter, "zy 0001")) == ["张乐"]  # with another token
    hit = services.search.search(counter, "zy").hits[0]
    assert hit.id == le and "pinyin_initials" in hit.matched_on


def test_other_county_does_not_find_by_another_reading(services) -> None:
    counter = make_user(services, "counter", "counter")
    elsewhere = make_user(services, "counter_xz", "counter", "330411")
    services.customers.create(counter, CustomerInput(kind="individual", name="张乐"))
    assert names(services.search.search(elsewhere, "zy")) == []


def test_renaming_replaces_the_readings(services) -> None:
    counter = make_user(services, "counter", "counter")
    customer = services.customers.create(counter, CustomerInput(kind="individual", name="张乐"))
    assert _variants(services, customer) == [("zhangyue", "zy")]
    form = services.customers.edit_form(counter, customer)
    services.customers.update(
        counter, customer, CustomerInput(kind="individual", name="张三"), version=form.version
    )
    assert _variants(services, customer) == []
    assert names(services.search.search(counter, "zy")) == []


def test_readings_are_capped_per_name() -> None:
    many = pinyin_variants("长乐行重朝传", person=False)
    assert len(many) == MAX_VARIANTS
    assert len(set(many)) == len(many)
    assert pinyin_variants("张三", person=True) == ()


def test_an_older_book_gets_the_readings_once(services) -> None:
    counter = make_user(services, "counter", "counter")
    customer = make_customer(services, "赵长风")  # written as an older book did: no readings
    assert _variants(services, customer) == []
    with services.database.session() as session:
        marker = session.get(BookMeta, "pinyin_variants")
        if marker is not None:
            session.delete(marker)
            session.commit()
    assert refresh_pinyin_variants(services.database) == 1
    assert _variants(services, customer) == [("zhaochangfeng", "zcf")]
    assert names(services.search.search(counter, "zcf")) == ["赵长风"]
    assert refresh_pinyin_variants(services.database) == 0  # done: not again
