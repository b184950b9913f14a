"""People are found by their surname's reading as a surname (曾 zeng, 单 shan), on both
databases, and books written with the everyday reading are brought up to date."""

from sqlalchemy import text

from tests.factories import make_customer, make_user
from tui_crm.services.customers.surname_pinyin import refresh_surname_pinyin


def names(page) -> list[str]:
    return [h.name for h in page.hits]


def test_polyphonic_surnames_are_found_by_their_surname_reading(services) -> None:
    counter = make_user(services, "counter", "counter")
    make_customer(services, "曾超斌")
    make_customer(services, "单雄信")
    make_customer(services, "尉迟恭")
    for query in ("zcb", "zengchaobin", "zengc"):
        assert names(services.search.search(counter, query)) == ["曾超斌"], query
    assert names(services.search.search(counter, "sxx")) == ["单雄信"]
    assert names(services.search.search(counter, "yuchigong")) == ["尉迟恭"]


def stored(services, name: str) -> tuple[str, str]:
    with services.database.session() as session:
        row = session.connection().execute(
            text("SELECT name_pinyin, name_initials FROM customer WHERE name = :n"), {"n": name}
        )
        full, initials = row.one()
    return full, initials


def test_existing_books_get_the_surname_reading_on_start(services) -> None:
    make_customer(services, "曾超斌")
    make_customer(services, "曾氏五金有限公司", kind="corporate")
    make_customer(services, "张三")
    with services.database.session() as session:  # as an older book stored it
        session.connection().execute(
            text("UPDATE customer SET name_pinyin = 'cengchaobin', name_initials = 'ccb'"
                 " WHERE name = '曾超斌'")
        )  # fmt: skip
        session.commit()
    company_before = stored(services, "曾氏五金有限公司")
    assert refresh_surname_pinyin(services.database) == 1
    assert stored(services, "曾超斌") == ("zengchaobin", "zcb")
    assert stored(services, "曾氏五金有限公司") == company_before  # not a person's name
    assert stored(services, "张三") == ("zhangsan", "zs")
    assert refresh_surname_pinyin(services.database) == 0  # up to date: nothing rewritten
