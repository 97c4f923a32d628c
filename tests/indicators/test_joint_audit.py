"""The joint reader: one integer program over every table it holds, checked against the
true values. The attacker here is written apart from indicators.audit (its own equations)."""

import itertools
import random

import numpy as np
import pytest
from scipy.optimize import Bounds, LinearConstraint, milp

from indicators.joint import protect_document
from indicators.publish import _flat_2d, one_way, two_way

WIDTH = 3


def _doc(fy, code, breakdown):
    return {"fiscal_year": fy, "indicators": {code: {"breakdowns": [breakdown]}}}


def _publish(fy, code, breakdown, raw, held, k):
    doc = _doc(fy, code, breakdown)
    protect_document(doc, {(code, 0): raw}, held, k)
    return doc


def _entries(b):
    """(keys, published values, lines) of a published breakdown, margins included."""
    if b["kind"] == "1d":
        vals = [*b["values"], b["total"]]
        return [*b["labels"], "計"], vals, [list(range(len(vals)))]
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
            for n, v in enumerate(vals):
                if v is None:
                    self.var[(t, n)] = len(lows)
                    lows.append(0 if everything else 1)
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
        if all(v is None for v in vals[:-1]):
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
