"""The refresh's array helpers give what numpy's general functions give."""

import numpy as np

from tui_crm.services.reports.engine.arrays import members, sorted_unique


def test_members_is_isin_for_any_integer_width() -> None:
    rng = np.random.default_rng(7)
    ids = rng.integers(0, 5_000, 300)
    for kind in ("<i8", "<i4", "<u2"):
        values = rng.integers(0, 9_000, 20_000).astype(kind)
        assert np.array_equal(members(values, ids), np.isin(values, ids))
    assert not members(np.arange(5), np.zeros(0, dtype=np.int64)).any()
    assert members(np.zeros(0, dtype=np.int64), ids).shape == (0,)


def test_sorted_unique_of_sorted_runs_is_unique() -> None:
    rng = np.random.default_rng(8)
    runs = [np.sort(rng.integers(0, 1 << 40, n)) for n in (10_000, 3, 0, 700)]
    joined = np.concatenate([*runs, runs[0][:50]])
    assert np.array_equal(sorted_unique(joined), np.unique(joined))
    assert sorted_unique(np.zeros(0, dtype=np.int64)).shape == (0,)
    assert list(sorted_unique(np.asarray([4]))) == [4]
