"""The start of a plate finds the vehicle's owner (with or without the province), on both
databases; a plate fragment that finds nothing says how plates are typed."""

import pytest

from tests.factories import make_customer, make_user, make_vehicle


@pytest.fixture
def owners(services):
    zhang = make_customer(services, "张三")
    wang = make_customer(services, "王建国")
    make_vehicle(services, zhang, "浙F12345", "LSVAB2BJ4EN123456")
    make_vehicle(services, wang, "浙FD56789", "LFV3A23C8K3098765")
    return make_user(services, "counter", "counter")


def names(page) -> list[str]:
    return [h.name for h in page.hits]


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("浙F", ["张三", "王建国"]),
        ("浙f1", ["张三"]),
        ("浙FD5", ["王建国"]),
        ("fd56", ["王建国"]),
        ("FD567", ["王建国"]),
        ("f123", ["张三"]),
        ("浙F D56", ["王建国"]),
    ],
)
def test_the_start_of_a_plate_finds_its_owner(services, owners, query, found) -> None:
    page = services.search.search(owners, query)
    assert sorted(names(page)) == sorted(found), query
    assert all("plate" in h.matched_on for h in page.hits)
    assert page.hint is None


@pytest.mark.parametrize("query", ["fdf53", "浙FDF5", "浙G"])
def test_a_plate_fragment_that_finds_nothing_says_how_to_type_plates(
    services, owners, query
) -> None:
    page = services.search.search(owners, query)
    assert page.hits == []
    assert page.hint == "车牌请输入完整或后 4 位"
