"""The joint reader: one integer program over every table it holds, checked against the
true values. The attacker here is written apart from indicators.audit (its own equations)."""

import itertools
import random

import numpy as np
import pytest
from scipy.optimize import Bounds, LinearConstraint, milp

from indicators.joint import protect_document
from indicators.publish import _flat_2d, one_way, rate_raw, rate_table, two_way

WIDTH = 3


def _doc(fy, code, breakdown):
    return {"fiscal_year": fy, "indicators": {code: {"breakdowns": [breakdown]}}}


def _publish(fy, code, breakdown, raw, held, k):
    doc = _doc(fy, code, breakdown)
    protect_document(doc, {(code, 0): raw}, held, k)
    return doc


def _entries(b):
    """(keys, published values, lines) of a published breakdown, margins included. A rate
    is read as per district (in the activity, not in it, denominator) with the totals last;
    "not in it" is known only where both of its district's figures are."""
    if b["kind"] == "1d":
        vals = [*b["values"], b["total"]]
        return [*b["labels"], "計"], vals, [list(range(len(vals)))]
    if b["kind"] == "rate":
        rows = [*b["labels"], "計"]
        pairs = [*zip(b["numerators"], b["denominators"], strict=True)]
        pairs.append((b["numerator_total"], b["denominator_total"]))
        vals = []
        for n, d in pairs:
            vals += [n, None if n is None or d is None else d - n, d]
        lines = [[3 * i, 3 * i + 1, 3 * i + 2] for i in range(len(rows))]
        lines += [[3 * i + j for i in range(len(rows))] for j in range(3)]
        return [(r, c) for r in rows for c in "nrd"], vals, lines
    rows, cols = [*b["row_labels"], "計"], [*b["col_labels"], "計"]
    grid = [[*r, t] for r, t in zip(b["cells"], b["row_totals"], strict=True)]
    grid.append([*b["col_totals"], b["total"]])
    w = len(cols)
    lines = [[i * w + j for j in range(w)] for i in range(len(rows))]
    lines += [[i * w + j for i in range(len(rows))] for j in range(w)]
    return [(r, c) for r in rows for c in cols], [v for row in grid for v in row], lines


class Reader:
    """Every table a reader holds; never-falls links between consecutive cumulative years."""

    def __init__(self, tables, cumulative_pairs=()):
        self.var = {}
        self.tables = []
        lows = []
        for t, b in enumerate(tables):
            keys, vals, lines = _entries(b)
            everything = all(v is None for v in vals[:-1])
            zero_lines = set()
            # A rate's "not in the activity" is never published, so it may be 0.
            free = {n for n, key in enumerate(keys) if b["kind"] == "rate" and key[1] == "r"}
            if b["kind"] == "rate":
                everything = all(v is None for v in vals[:-3])
            for n, v in enumerate(vals):
                if v is None:
                    self.var[(t, n)] = len(lows)
                    lows.append(0 if everything or n in free else 1)
            self.tables.append((keys, vals, lines, zero_lines))
        self.lows = lows
        rows, lo, hi = [], [], []

        def row_of(terms):
            row, rhs = np.zeros(len(lows)), 0.0
            for (t, n), c in terms:
                if (t, n) in self.var:
                    row[self.var[(t, n)]] += c
                else:
                    rhs -= c * self.tables[t][1][n]
            return row, rhs

        for t, (_keys, _vals, lines, _z) in enumerate(self.tables):
            for line in lines:
                row, rhs = row_of([((t, e), 1) for e in line[:-1]] + [((t, line[-1]), -1)])
                if row.any():
                    rows.append(row), lo.append(rhs), hi.append(rhs)
        for a, b in cumulative_pairs:
            ka = self.tables[a][0]
            for n, key in enumerate(ka):
                m = self.tables[b][0].index(key)
                row, rhs = row_of([((a, n), 1), ((b, m), -1)])
                if row.any():
                    rows.append(row), lo.append(-np.inf), hi.append(rhs)
        self.cons = [LinearConstraint(np.array(rows), lo, hi)] if rows else []

    def interval(self, terms):
        c, const = np.zeros(len(self.lows)), 0.0
        for (t, n), w in terms:
            if (t, n) in self.var:
                c[self.var[(t, n)]] += w
            else:
                const += w * self.tables[t][1][n]
        if not c.any():
            return const, const
        out = []
        for s in (1, -1):
            r = milp(
                s * c,
                constraints=self.cons,
                bounds=Bounds(np.array(self.lows, float), np.inf),
                integrality=np.ones(len(self.lows)),
            )
            assert r.status == 0, r.message
            out.append(s * r.fun + const)
        return out[0], out[1]


def _relaxed_lows(reader, k):
    """Where a line's hidden part is below k the zeros are hidden: the reader drops its
    'at least 1' there (a weaker reader assumption; safer to attack with)."""
    for t, (_keys, vals, lines, _z) in enumerate(reader.tables):
        for line in lines:
            hidden = [e for e in line if vals[e] is None]
            if hidden and vals[line[-1]] is not None:
                part = vals[line[-1]] - sum(vals[e] for e in line[:-1] if vals[e] is not None)
                if part < k:
                    for e in hidden:
                        reader.lows[reader.var[(t, e)]] = 0


def _attack(tables, truths, k, cumulative_pairs=(), targets=()):
    """Every hidden entry of each table (true value > 0) and every target (a later entry
    minus an earlier one, true value 1..k-1) must meet the protection level, jointly.
    Tables reduced to their total are reported, not asserted."""
    reader = Reader(tables, cumulative_pairs)
    _relaxed_lows(reader, k)
    for t, b in enumerate(tables):
        if b.get("total_only"):
            continue
        _keys, vals, _lines, _z = reader.tables[t]
        if all(v is None for v in vals[: -3 if b["kind"] == "rate" else -1]):
            continue
        for n, v in enumerate(vals):
            if v is None and truths[t][n] > 0:
                low, high = reader.interval([((t, n), 1)])
                assert high - low >= WIDTH and high >= k, (t, n, truths[t][n], low, high)
    for (a, n), (b, m) in targets:
        true = truths[b][m] - truths[a][n]
        if not 0 < abs(true) < k or tables[b].get("total_only"):
            continue
        low, high = reader.interval([((b, m), 1), ((a, n), -1)])
        assert high - low >= WIDTH, ((a, n), (b, m), true, low, high)
        assert (high >= k) if true > 0 else (low <= -k), ((a, n), (b, m), true, low, high)


def test_the_issue_two_year_example_gives_no_single_year_figure_away():
    labels = ["北部", "中央", "東部", "南部", "西部", "不明"]
    first = [0, 30, 12, 25, 15, 0]
    doc1 = _publish(2024, "P1-2a", one_way("地区別", labels, first, 10), [*first, 82], [], 10)
    second = [1, 30, 12, 25, 15, 0]
    b2 = one_way("地区別", labels, second, 10)
    doc2 = _publish(2025, "P1-2a", b2, [*second, 83], [(2024, doc1)], 10)
    published = doc2["indicators"]["P1-2a"]["breakdowns"][0]
    # The ward-wide figure grew by 1: any published district would show where.
    assert published["values"] == [None] * 6 and published["total"] == 83


def _cumulative_case(rng, k):
    n = rng.randint(3, 8)
    first = [rng.choice([0, 0, 1, 3, 8, 12, 20, 40]) for _ in range(n)]
    second = [v + rng.choice([0, 0, 1, 2, 4, 9, 15]) for v in first]
    return [f"d{i}" for i in range(n)], first, second


@pytest.mark.parametrize("k", [5, 10])
@pytest.mark.parametrize("seed", range(15))
def test_two_consecutive_cumulative_years_read_together(seed, k):
    rng = random.Random(seed * 7 + k)
    labels, first, second = _cumulative_case(rng, k)
    doc1 = _publish(2024, "P1-2b", one_way("t", labels, first, k), [*first, sum(first)], [], k)
    doc2 = _publish(
        2025, "P1-2b", one_way("t", labels, second, k), [*second, sum(second)], [(2024, doc1)], k
    )
    tables = [d["indicators"]["P1-2b"]["breakdowns"][0] for d in (doc1, doc2)]
    truths = [[*first, sum(first)], [*second, sum(second)]]
    targets = [((0, i), (1, i)) for i in range(len(labels))]
    _attack(tables, truths, k, cumulative_pairs=[(0, 1)], targets=targets)


def _versions(rng, rows, cols):
    base = [[rng.choice([0, 0, 1, 2, 4, 9, 12, 25]) for _ in range(cols)] for _ in range(rows)]
    out = [base]
    for _ in range(2):
        nxt = [list(r) for r in out[-1]]
        for _ in range(rng.randint(1, 3)):
            i, j = rng.randrange(rows), rng.randrange(cols)
            nxt[i][j] = max(0, nxt[i][j] + rng.choice([-1, 1, 1, 2]))
        out.append(nxt)
    return out


@pytest.mark.parametrize("k", [5, 10])
@pytest.mark.parametrize("seed", range(6))
def test_an_approved_version_and_two_drafts_of_one_year_read_together(seed, k):
    rng = random.Random(100 + seed)
    rows, cols = rng.randint(2, 4), rng.randint(2, 4)
    versions = _versions(rng, rows, cols)
    held, tables = [], []
    for cells in versions:
        b = two_way("t", [f"r{i}" for i in range(rows)], [f"c{j}" for j in range(cols)], cells, k)
        doc = _publish(2026, "P1-3b", b, _flat_2d(cells), list(held), k)
        held.append((2026, doc))
        tables.append(doc["indicators"]["P1-3b"]["breakdowns"][0])
    truths = [_flat_2d(c) for c in versions]
    size = (rows + 1) * (cols + 1) - 1  # every entry but the grand total
    targets = [((a, n), (2, n)) for a in (0, 1) for n in range(size)]
    targets += [((0, n), (1, n)) for n in range(size)]
    _attack(tables, truths, k, targets=targets)


@pytest.mark.parametrize("k", [5, 10])
def test_a_total_below_k_publishes_only_the_total(k):
    cells = [[1, 0, 0], [0, 2, 0], [0, 0, 1]]
    b = two_way("t", ["a", "b", "c"], ["x", "y", "z"], cells, k)
    doc = _publish(2025, "P1-3b", b, _flat_2d(cells), [], k)
    out = doc["indicators"]["P1-3b"]["breakdowns"][0]
    assert out["total"] == 4
    assert all(v is None for row in out["cells"] for v in row)
    assert out["row_totals"] == [None] * 3 and out["col_totals"] == [None] * 3
    one = one_way("t", ["a", "b", "c", "d"], [2, 0, 1, 0], k)
    doc = _publish(2025, "P1-2a", one, [2, 0, 1, 0, 3], [], k)
    assert doc["indicators"]["P1-2a"]["breakdowns"][0]["values"] == [None] * 4


@pytest.mark.parametrize("k", [5, 10])
@pytest.mark.parametrize("seed", range(15))
def test_random_tables_of_several_shapes_meet_the_protection_level(seed, k):
    rng = random.Random(900 + seed)
    rows, cols = rng.randint(1, 6), rng.randint(2, 5)
    cells = [[rng.choice([0, 0, 1, 2, 3, 6, 9, 14, 30]) for _ in range(cols)] for _ in range(rows)]
    b = two_way("t", [str(i) for i in range(rows)], [str(j) for j in range(cols)], cells, k)
    doc = _publish(2025, "P1-3a", b, _flat_2d(cells), [], k)
    assert doc["audit"]["shortfalls"] == 0
    _attack([doc["indicators"]["P1-3a"]["breakdowns"][0]], [_flat_2d(cells)], k)


def _published_1d(values, k):
    doc = _publish(
        2025,
        "P1-2a",
        one_way("t", [str(i) for i in range(len(values))], values, k),
        [*values, sum(values)],
        [],
        k,
    )
    return doc["indicators"]["P1-2a"]["breakdowns"][0]["values"]


@pytest.mark.parametrize("values", [[9, 0, 14, 9, 9], [3, 12, 0, 7], [1, 1, 20, 11], [4, 15, 16]])
def test_a_reader_who_knows_the_algorithm_keeps_only_fillings_it_would_publish_alike(values):
    """Brute force: every filling of the hidden cells that matches the total and that the
    app itself would have published exactly so. Each hidden cell must still range over an
    interval of the protection width."""
    k = 10
    published = _published_1d(values, k)
    hidden = [i for i, v in enumerate(published) if v is None]
    if not hidden:
        return
    rest = sum(values) - sum(v for v in published if v is not None)
    seen = {i: set() for i in hidden}
    for filling in itertools.product(range(rest + 1), repeat=len(hidden)):
        if sum(filling) != rest:
            continue
        candidate = list(published)
        for i, v in zip(hidden, filling, strict=True):
            candidate[i] = v
        if _published_1d(candidate, k) == published:
            for i, v in zip(hidden, filling, strict=True):
                seen[i].add(v)
    for i in hidden:
        assert max(seen[i]) - min(seen[i]) >= WIDTH, (values, published, i, sorted(seen[i]))


def _rates(rng, districts):
    dens = [rng.choice([0, 1, 3, 8, 12, 20, 35]) for _ in range(districts)]
    nums = [rng.randint(0, d) for d in dens]
    return nums, dens


@pytest.mark.parametrize("k", [5, 10])
@pytest.mark.parametrize("seed", range(8))
def test_a_rate_approved_and_two_drafts_of_one_year_read_together(seed, k):
    """P2-1b: numerators and denominators of every version, read jointly: no hidden
    numerator, denominator or "not in the activity" is narrower than the protection level,
    nor what changed between two versions."""
    rng = random.Random(300 + seed)
    districts = rng.randint(3, 7)
    nums, dens = _rates(rng, districts)
    labels = [f"d{i}" for i in range(districts)]
    held, tables, truths = [], [], []
    for _version in range(3):
        doc = _publish(
            2026, "P2-1b", rate_table("t", labels, nums, dens, k), rate_raw(nums, dens), held, k
        )
        held.append((2026, doc))
        published = doc["indicators"]["P2-1b"]["breakdowns"][0]
        tables.append(published)
        truths.append(rate_raw(nums, dens))
        # What the ward knows of its people: every rate shown is its two figures' ratio,
        # and the indicator's own numerator and denominator are always there.
        assert published["numerator_total"] == sum(nums)
        assert published["denominator_total"] == sum(dens)
        for n, d, r in zip(
            published["numerators"], published["denominators"], published["rates"], strict=True
        ):
            assert (r is None) == (n is None or d is None or d == 0)
        i = rng.randrange(districts)
        dens[i] += rng.choice([1, 2])
        nums[i] = min(dens[i], nums[i] + rng.choice([0, 1]))
    size = 3 * districts
    targets = [((a, n), (b, n)) for a, b in ((0, 1), (0, 2), (1, 2)) for n in range(size)]
    _attack(tables, truths, k, targets=targets)


def _fillings(published, hidden):
    """Every filling of the hidden cells (0 or more) that adds up to every published row,
    column and grand total; a row's last hidden cell is what its published total leaves."""
    rows, cols = len(published["cells"]), len(published["cells"][0])
    total = published["total"]
    row_cap = [t if t is not None else total for t in published["row_totals"]]
    col_cap = [t if t is not None else total for t in published["col_totals"]]
    grid = [[v or 0 for v in r] for r in published["cells"]]
    last_in_row = {i: max(j for r, j in hidden if r == i) for i, _j in hidden}

    def fits():
        col_sums = [sum(grid[i][j] for i in range(rows)) for j in range(cols)]
        return all(s <= c for s, c in zip(col_sums, col_cap, strict=True)) and (
            sum(map(sum, grid)) <= total
        )

    def walk(n):
        if n == len(hidden):
            sums_ok = sum(map(sum, grid)) == total
            rows_ok = all(
                t is None or sum(grid[i]) == t for i, t in enumerate(published["row_totals"])
            )
            cols_ok = all(
                t is None or sum(grid[i][j] for i in range(rows)) == t
                for j, t in enumerate(published["col_totals"])
            )
            if sums_ok and rows_ok and cols_ok:
                yield [list(r) for r in grid]
            return
        i, j = hidden[n]
        rest = row_cap[i] - sum(grid[i])
        forced = j == last_in_row[i] and published["row_totals"][i] is not None
        for v in [rest] if forced else range(rest + 1):
            grid[i][j] = v
            if v >= 0 and fits():
                yield from walk(n + 1)
        grid[i][j] = 0

    yield from walk(0)


def _published_2d(cells, k):
    rows, cols = len(cells), len(cells[0])
    b = two_way("t", [str(i) for i in range(rows)], [str(j) for j in range(cols)], cells, k)
    return _publish(2025, "P1-3a", b, _flat_2d(cells), [], k)["indicators"]["P1-3a"]["breakdowns"][
        0
    ]


@pytest.mark.parametrize(
    "cells",
    [
        [[2, 11], [12, 3]],
        [[1, 6], [7, 2]],
        [[3, 3, 3], [3, 3, 3]],
        [[1, 9, 0], [8, 2, 6]],
        [[2, 0, 7], [0, 6, 1]],
    ],
)
def test_a_reader_who_knows_the_algorithm_reads_two_way_tables_too(cells):
    """Brute force over 2-D tables at k = 5: every filling of the hidden cells that matches
    every published entry and that the app would have published exactly so. Each hidden
    cell of the published table still ranges over at least the protection width. (Its top
    reaching k is not promised against this reader: a table whose every cell is below k is
    published as one, whatever hides it; docs/indicators.md.)"""
    k = 5
    published = _published_2d(cells, k)
    rows, cols = len(cells), len(cells[0])
    hidden = [(i, j) for i in range(rows) for j in range(cols) if published["cells"][i][j] is None]
    if not hidden:
        return
    seen = {c: set() for c in hidden}
    for candidate in _fillings(published, hidden):
        if _published_2d(candidate, k) == published:
            for i, j in hidden:
                seen[(i, j)].add(candidate[i][j])
    for i, j in hidden:
        assert cells[i][j] in seen[(i, j)]  # the truth is one of the fillings
    for c in hidden:
        assert max(seen[c]) - min(seen[c]) >= WIDTH, (cells, published, c, sorted(seen[c]))
