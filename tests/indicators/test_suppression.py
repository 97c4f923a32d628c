"""Small-cell suppression, and an attacker who tries to work suppressed cells out."""

import random

import pytest

from indicators.publish import one_way, rate_table, two_way
from indicators.suppression import (
    determined_entries,
    equations,
    pinned_by_bounds,
    suppress_1d,
    suppress_2d,
)

K = 10


def test_small_cells_are_suppressed_and_zeros_published():
    assert suppress_1d([0, 12, 30, 25, 11], K) == [False] * 5
    assert suppress_1d([3, 0, 40, 12, 25], K) == [True, False, False, True, False]
    assert suppress_1d([3, 4, 40, 12, 25], K) == [True, True, False, False, False]
    assert suppress_1d([9, 10, 0], K) == [True, True, False]


def test_a_lone_small_cell_with_nothing_else_to_hide_hides_the_whole_breakdown():
    # Total 9 in one district: hiding only that cell would give it away, and a hidden zero
    # beside it would too (published zeros make every hidden cell at least 1).
    assert suppress_1d([0, 9, 0, 0], K) == [True] * 4


def test_hidden_cells_known_to_be_at_least_one_are_not_left_to_be_worked_out():
    # Two hidden ones summing to 2 would both be 1: a third cell is hidden with them.
    mask = suppress_1d([1, 1, 30, 25, 12], K)
    assert mask == [True, True, False, False, True]
    assert suppress_1d([1, 1, 1, 30, 25], K) == [True, True, True, False, True]


def test_two_way_table_that_only_sum_reasoning_would_call_safe_is_widened():
    # One child in (north, 0-5) and one in (east, 15-17); hiding both with their lines'
    # totals leaves two hidden cells summing to 2, each at least 1.
    cells = [[0] * 6 for _ in range(6)]
    cells[1][0] = 1
    cells[3][4] = 1
    cells[0] = [12, 10, 0, 0, 10, 0]
    cells[2] = [0, 15, 0, 0, 0, 0]
    cells[4] = [0, 0, 11, 0, 0, 0]
    table = suppress_2d(cells, K)
    values, mask = table.extended()
    assert pinned_by_bounds(values, mask) == set()
    for entry, options in _feasible_values_2d(values, mask, limit=40).items():
        assert len(options) >= 2, (entry, options)


def test_a_rate_table_whose_hidden_numerators_sum_to_their_count_is_widened():
    table = rate_table("t", ["a", "b", "c"], [1, 1, 12], [12, 15, 30], K)
    mask = _rate_mask(table)
    values = _extended([[1, 11], [1, 14], [12, 18]])
    assert pinned_by_bounds(values, mask, _rate_lower(table)) == set()
    for entry, options in _feasible_values_2d(values, mask, lower=_rate_lower(table)).items():
        assert len(options) >= 2, (entry, options)


def _feasible_values_1d(values, mask):
    """What an attacker knows of each suppressed cell: the total minus the published ones,
    spread over the suppressed cells in every way that gives each at least 1 (zeros are
    published), or at least 0 when every cell is hidden."""
    hidden_sum = sum(values) - sum(v for v, m in zip(values, mask, strict=True) if not m)
    hidden = [i for i, m in enumerate(mask) if m]
    lower = 0 if all(mask) else 1
    if len(hidden) == 1:
        return {hidden[0]: {hidden_sum}}
    top = hidden_sum - lower * (len(hidden) - 1)
    return {i: set(range(lower, top + 1)) for i in hidden}


@pytest.mark.parametrize("seed", range(200))
def test_attacker_finds_no_suppressed_value_in_a_one_way_table(seed):
    rng = random.Random(seed)
    values = [rng.choice([0, 0, 1, 2, 5, 9, 10, 14, 30, 120]) for _ in range(rng.randint(2, 7))]
    mask = suppress_1d(values, K)
    for i, v in enumerate(values):
        if 0 < v < K:
            assert mask[i]
    for i, options in _feasible_values_1d(values, mask).items():
        assert len(options) >= 2, (values, mask, i)


def _extended(cells):
    rows = [[*r, sum(r)] for r in cells]
    cols = [sum(r[j] for r in cells) for j in range(len(cells[0]))]
    rows.append([*cols, sum(cols)])
    return rows


def _feasible_values_2d(values, mask, *, limit=None, lower=None):
    """Brute force: search the integer fillings of the suppressed entries that agree with
    every published entry and every row and column sum, each hidden entry at least 1 (zeros
    are published; at least 0 when every entry that may be hidden is), and collect the
    values each suppressed entry can take. Stops once every entry has shown two values."""
    n_rows, n_cols = len(values), len(values[0])
    unknowns = [(i, j) for i in range(n_rows) for j in range(n_cols) if mask[i][j]]
    eqs = equations(n_rows, n_cols)
    grand = values[-1][-1] if limit is None else limit
    if lower is None:
        everything = all(m for row in mask for m in row[:-1]) and all(mask[-1][:-1])
        lower = 0 if everything else 1
    if isinstance(lower, int):
        lower = [[lower] * n_cols for _ in range(n_rows)]
    seen = {u: set() for u in unknowns}

    def value_of(entry, assign):
        return assign.get(entry) if mask[entry[0]][entry[1]] else values[entry[0]][entry[1]]

    def search(assign) -> bool:
        """True once every unknown has two values (stop searching)."""
        # Propagate: an equation with one open entry fixes it; a full one must balance.
        assign = dict(assign)
        while True:
            progress = False
            for eq in eqs:
                open_ = [(e, c) for e, c in eq if value_of(e, assign) is None]
                known = sum(
                    c * value_of(e, assign) for e, c in eq if value_of(e, assign) is not None
                )
                if not open_ and known != 0:
                    return False
                if len(open_) == 1:
                    entry, coeff = open_[0]
                    v = -known * coeff  # coeff is +1 or -1
                    if v < lower[entry[0]][entry[1]] or v > grand:
                        return False
                    assign[entry] = v
                    progress = True
            if not progress:
                break
        free = [u for u in unknowns if u not in assign]
        if not free:
            for u in unknowns:
                seen[u].add(assign[u])
            return all(len(v) >= 2 for v in seen.values())
        entry = free[0]
        low = lower[entry[0]][entry[1]]
        return any(search({**assign, entry: v}) for v in range(low, grand + 1))

    search({})
    return seen


@pytest.mark.parametrize("seed", range(60))
def test_attacker_brute_force_finds_no_suppressed_value_in_a_small_two_way_table(seed):
    rng = random.Random(seed)
    cells = [[rng.choice([0, 1, 2, 3, 5, 6, 8]) for _ in range(3)] for _ in range(3)]
    table = suppress_2d(cells, 5)
    values, mask = table.extended()
    assert values == _extended(cells)
    for i, row in enumerate(values):
        for j, v in enumerate(row):
            if 0 < v < 5 and (i, j) != (3, 3):
                assert mask[i][j], "every small cell is suppressed"
    for entry, options in _feasible_values_2d(values, mask).items():
        if values[entry[0]][entry[1]] > 0:
            assert len(options) >= 2, f"{entry} pinned to {options} in {values} / {mask}"


@pytest.mark.parametrize("seed", range(150))
def test_attacker_linear_algebra_finds_no_suppressed_value_in_larger_tables(seed):
    rng = random.Random(1000 + seed)
    n_rows, n_cols = rng.randint(2, 7), rng.randint(2, 6)
    cells = [
        [rng.choice([0, 0, 1, 3, 7, 9, 12, 25, 40]) for _ in range(n_cols)] for _ in range(n_rows)
    ]
    table = suppress_2d(cells, K)
    values, mask = table.extended()
    # Every published combination (row and column sums minus published cells) leaves each
    # suppressed entry with at least one free direction, even knowing each is at least 1.
    assert determined_entries(mask) == set()
    everything = all(m for row in mask for m in row[:-1]) and all(mask[-1][:-1])
    pinned = pinned_by_bounds(values, mask, lower=0 if everything else 1)
    assert not {(i, j) for i, j in pinned if values[i][j] > 0}
    for i, row in enumerate(mask):
        for j in range(len(row)):
            line_row = sum(mask[i])
            line_col = sum(mask[r][j] for r in range(len(mask)))
            if mask[i][j]:
                assert line_row >= 2 and line_col >= 2


def test_a_bridge_between_two_cycles_is_closed():
    # Each line has two suppressed cells, yet the cell joining the two blocks would be
    # the difference of published sums; the algorithm must not leave it so.
    cells = [
        [3, 3, 50, 50],
        [3, 3, 50, 50],
        [50, 50, 3, 3],
        [50, 50, 3, 3],
    ]
    table = suppress_2d(cells, K)
    _values, mask = table.extended()
    assert determined_entries(mask) == set()


def test_a_rate_goes_with_its_suppressed_numerator_or_denominator():
    table = rate_table("地区別", ["a", "b", "c"], [2, 11, 30], [40, 50, 60], K)
    assert table["numerators"][0] is None
    assert table["rates"][0] is None
    assert table["rates"][2] == 50.0
    table = rate_table("地区別", ["a", "b", "c"], [0, 0, 20], [4, 50, 60], K)
    assert table["denominators"][0] is None
    assert table["rates"][0] is None
    for n in range(3):
        if table["numerators"][n] is None or table["denominators"][n] is None:
            assert table["rates"][n] is None
    assert table["numerator_total"] == 20 and table["denominator_total"] == 114


def _rate_mask(table):
    """What is published of a rate table: numerators, denominators, and (derived) their
    differences where both are shown; the numerator and denominator totals."""
    mask = [
        [num is None, num is None or den is None, den is None]
        for num, den in zip(table["numerators"], table["denominators"], strict=True)
    ]
    mask.append([False, False, False])
    return mask


def _rate_lower(table):
    """Hidden numerators and denominators are at least 1 (zeros are published), unless
    every one is hidden; a hidden difference may be 0."""
    everything = all(n is None for n in table["numerators"]) and all(
        d is None for d in table["denominators"]
    )
    low = 0 if everything else 1
    return [[low, 0, low] for _ in table["numerators"]] + [[0, 0, 0]]


@pytest.mark.parametrize("seed", range(100))
def test_attacker_finds_no_numerator_denominator_or_difference_in_a_rate_table(seed):
    rng = random.Random(5000 + seed)
    big = seed % 2 == 0
    choices = [0, 2, 8, 12, 30, 55] if big else [0, 1, 2, 3, 5, 9, 11]
    dens = [rng.choice(choices) for _ in range(rng.randint(2, 6 if big else 4))]
    nums = [rng.randint(0, d) for d in dens]
    table = rate_table("t", [str(n) for n in range(len(dens))], nums, dens, K)
    mask = _rate_mask(table)
    values = _extended([[n, d - n] for n, d in zip(nums, dens, strict=True)])
    for i, (n, d) in enumerate(zip(nums, dens, strict=True)):
        if 0 < n < K or 0 < d - n < K or 0 < d < K:
            assert mask[i][0] or mask[i][1] or mask[i][2]
            assert table["rates"][i] is None
    small = {(i, j) for i, row in enumerate(values[:-1]) for j, v in enumerate(row) if 0 < v < K}
    assert not small & determined_entries(mask), (nums, dens, mask)
    lower = _rate_lower(table)
    # A hidden zero worked out from a zero total gives no one away; anything else would.
    pinned = pinned_by_bounds(values, mask, lower)
    assert not {(i, j) for i, j in pinned if values[i][j] > 0}, (nums, dens, mask)
    if values[-1][-1] <= 25 and sum(map(sum, mask)) <= 8:  # small enough to brute-force
        for entry, options in _feasible_values_2d(values, mask, lower=lower).items():
            if entry in small:
                assert len(options) >= 2, (entry, nums, dens, mask)


def test_published_tables_carry_none_for_suppressed_cells_and_the_total():
    one = one_way("地区別", ["a", "b", "c"], [4, 30, 12], K)
    assert one["values"] == [None, 30, None]
    assert one["total"] == 46
    two = two_way("地区×年齢", ["a", "b"], ["x", "y"], [[4, 20], [15, 30]], K)
    assert two["cells"][0][0] is None
    assert two["total"] == 69


def test_the_attacker_catches_a_table_with_only_the_small_cells_hidden():
    """The attacker is real: without complementary suppression it recovers the cell."""
    cells = [[4, 20, 15], [12, 14, 30]]
    values = _extended(cells)
    mask = [
        [0 < v < K and (i, j) != (2, 3) for j, v in enumerate(row)] for i, row in enumerate(values)
    ]
    assert determined_entries(mask) == {(0, 0)}
    assert _feasible_values_2d(values, mask)[(0, 0)] == {4}
    assert _feasible_values_1d([4, 20, 15], [True, False, False]) == {0: {4}}
