"""The joint audit: what a reader of every published table can work out, together.

A reader who sees several tables (this snapshot's breakdowns, the other years of a cumulative
indicator, every version of the same year) writes one integer program over all of them:

- every published entry as a constant, every hidden entry as an unknown integer;
- each table's sums (a line's entries add up to its margin; a 1-D breakdown to its total);
- a hidden entry is at least 1 where zeros are published, at least 0 where they are not;
- cumulative indicators never fall: a district's figure of a year is at most its figure of
  any later year (the reader assumes it; where published figures break it, it is dropped).

From it the reader bounds each hidden entry, and each *target*: a derived figure such as a
cumulative indicator's single-year figure (this year minus last year, per district) or what
changed in a cell between two versions of one year. SciPy's `milp` (HiGHS) gives the exact
integer smallest and largest value of each.

The protection level: every hidden entry, and every target whose true value is from 1 to
k-1 (or unknown), must have a feasible interval at least `width` wide whose top reaches k
(a negative change: whose bottom reaches -k). An entry or target of an older table is held
to the same level or, if it was already below it before this table came, to what it had.

Only the new table may change. While something falls short, one more entry of the new table
is hidden, chosen by a fixed rule that looks at positions, never at values: the violating
entry's own position if it is published, else the first (row-major) published nonzero entry
sharing a line with it, else the first published nonzero entry of the table. When nothing is
left, every entry but the grand total is hidden, zeros included ("only the total").
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp

INF = math.inf


@dataclass
class Table:
    """One published table, its entries flat. `keys` name entries across versions and years
    (a district label, or a (row, column) pair; margins as "計"); the last entry is the grand
    total, always published. `values` are the true values where known (the new table), the
    published value or None (an older table's hidden entry)."""

    name: str
    keys: list
    values: list[int | None]
    hidden: list[bool]
    lines: list[list[int]]  # each: entries whose sum is the line's last entry
    zero_hidden: list[bool] = field(default_factory=list)  # lower bound 0 instead of 1
    editable: bool = False
    fiscal_year: int = 0

    def __post_init__(self):
        if not self.zero_hidden:
            self.zero_hidden = [False] * len(self.values)

    @property
    def total_only(self) -> bool:
        return all(self.hidden[:-1])

    def lower(self, n: int) -> int:
        return 0 if (self.total_only or self.zero_hidden[n]) else 1

    def equations(self):
        for line in self.lines:
            yield [(e, 1) for e in line[:-1]] + [(line[-1], -1)]


@dataclass
class Target:
    """A derived figure: `later` minus `earlier` (two entries of two tables)."""

    earlier: tuple[int, int]  # (table index, entry)
    later: tuple[int, int]
    kind: str  # "year" (never negative) or "version"


@dataclass
class Problem:
    tables: list[Table]
    links: list[tuple[tuple[int, int], tuple[int, int]]]  # (a, b): a <= b
    targets: list[Target]


def _value(problem: Problem, ref):
    table = problem.tables[ref[0]]
    return None if table.hidden[ref[1]] else table.values[ref[1]]


class Solver:
    """The integer program of one problem; bounds of linear forms over it."""

    def __init__(self, problem: Problem, *, use_links: bool = True):
        self.problem = problem
        self.index: dict[tuple[int, int], int] = {}
        lows = []
        for t, table in enumerate(problem.tables):
            for n, hidden in enumerate(table.hidden):
                if hidden:
                    self.index[(t, n)] = len(lows)
                    lows.append(table.lower(n))
        self.size = len(lows)
        rows, lo, hi = [], [], []
        for t, table in enumerate(problem.tables):
            for eq in table.equations():
                row, rhs = np.zeros(self.size), 0.0
                for e, c in eq:
                    if (t, e) in self.index:
                        row[self.index[(t, e)]] += c
                    else:
                        rhs -= c * table.values[e]
                if row.any():
                    rows.append(row)
                    lo.append(rhs)
                    hi.append(rhs)
        if use_links:
            for a, b in problem.links:
                row, rhs = np.zeros(self.size), 0.0
                for ref, c in ((a, 1), (b, -1)):
                    if ref in self.index:
                        row[self.index[ref]] += c
                    else:
                        rhs -= c * problem.tables[ref[0]].values[ref[1]]
                if row.any():
                    rows.append(row)
                    lo.append(-INF)
                    hi.append(rhs)  # a - b <= 0
        self.constraints = (
            [LinearConstraint(np.array(rows), np.array(lo), np.array(hi))] if rows else []
        )
        self.bounds = Bounds(np.array(lows, dtype=float), np.full(self.size, INF))

    def bound(self, form: dict[tuple[int, int], int], *, integer=True) -> tuple[float, float]:
        """Smallest and largest value of sum(c * entry) over the integer fillings (over the
        real ones, an outer bound, when not `integer`)."""
        constant, vector = 0.0, np.zeros(self.size)
        for ref, c in form.items():
            if ref in self.index:
                vector[self.index[ref]] += c
            else:
                constant += c * self.problem.tables[ref[0]].values[ref[1]]
        if not vector.any():
            return constant, constant
        found = []
        for sign in (1.0, -1.0):
            result = milp(
                sign * vector,
                constraints=self.constraints,
                bounds=self.bounds,
                integrality=np.ones(self.size) if integer else None,
            )
            if result.status == 0:
                found.append(round(sign * result.fun + constant, 6))
            elif result.status == 2:  # infeasible: the reader's model does not hold
                raise Infeasible
            else:  # unbounded
                found.append(-sign * INF)
        return found[0], found[1]


class Infeasible(Exception):
    pass


def make_solver(problem: Problem) -> Solver:
    solver = Solver(problem)
    try:
        if solver.size:
            solver.bound({next(iter(solver.index)): 1})
        return solver
    except Infeasible:
        # Records were edited so that a figure fell: the reader cannot use never-falls.
        return Solver(problem, use_links=False)


def _meets(low: float, high: float, true: int | None, k: int, width: int) -> bool:
    if high - low < width:
        return False
    if true is None:
        return high >= k or low <= -k
    return high >= k if true >= 0 else low <= -k


def _sensitive(true: int | None, k: int) -> bool:
    return true is None or 0 < abs(true) < k


def items(problem: Problem):
    """What the reader must not narrow: (label, form, true value or None, new-table entry
    the item rests on or None)."""
    for t, table in enumerate(problem.tables):
        for n, hidden in enumerate(table.hidden):
            if hidden and not table.total_only:
                yield ("entry", t, n), {(t, n): 1}, table.values[n], (t, n)
    for target in problem.targets:
        a, b = target.earlier, target.later
        va = problem.tables[a[0]].values[a[1]]
        vb = problem.tables[b[0]].values[b[1]]
        true = None if va is None or vb is None else vb - va
        yield ("target", a, b), {a: -1, b: 1}, true, None


def violations(problem: Problem, k: int, width: int, baseline=None, *, first=False, integer=True):
    """Items whose interval falls short of the protection level (or of `baseline`, what
    the item had before the new table came, when that was already below the level).
    Without `integer`, the intervals are the linear relaxation's: wider, so what falls
    short there falls short in integers too (a quick first pass)."""
    solver = make_solver(problem)
    found = []
    for label, form, true, _ref in items(problem):
        # Every hidden entry that holds someone is protected (a complement too, so none is
        # pinned); a derived figure when it is small and not zero.
        if label[0] == "entry" and true == 0:
            continue
        if label[0] == "target" and not _sensitive(true, k):
            continue
        low, high = solver.bound(form, integer=integer)
        if _meets(low, high, true, k, width):
            continue
        if baseline is not None and label in baseline:
            b_low, b_high = baseline[label]
            if (
                high - low >= min(width, b_high - b_low)
                and high >= min(k, b_high)
                and (low <= max(-k, b_low))
            ):
                continue
        found.append((label, form, (low, high)))
        if first:
            break
    return found


def intervals(problem: Problem) -> dict:
    solver = make_solver(problem)
    return {label: solver.bound(form) for label, form, _t, _r in items(problem)}


def _same_position(problem: Problem, new: int, ref) -> int | None:
    table = problem.tables[ref[0]]
    key = table.keys[ref[1]]
    target = problem.tables[new]
    return target.keys.index(key) if key in target.keys else None


def _pick(problem: Problem, new: int, form: dict) -> int | None:
    """The next entry of the new table to hide (by position only), or None."""
    table = problem.tables[new]
    spots = []
    for ref in form:
        n = ref[1] if ref[0] == new else _same_position(problem, new, ref)
        if n is not None:
            spots.append(n)
    grand = len(table.values) - 1
    for n in sorted(spots):
        if n != grand and not table.hidden[n]:
            return n
    for n in sorted(spots):
        for line in table.lines:
            if n in line:
                for m in sorted(line):
                    if m != grand and not table.hidden[m] and table.values[m]:
                        return m
    for m in range(grand):
        if not table.hidden[m] and table.values[m]:
            return m
    return None


def hide_small_total_zeros(table: Table, k: int) -> None:
    """A total below k: only the total. A line whose hidden part is below k: its zeros are
    hidden too (and a hidden entry of that line may then be 0). Recomputed from the current
    mask each time, so the reader can apply the same rule to what is published."""
    grand = len(table.values) - 1
    if table.values[grand] < k and any(table.hidden[:grand]):
        table.hidden = [True] * grand + [False]
        return
    if table.total_only:
        return
    for e in range(grand):
        if table.zero_hidden[e] and table.values[e] == 0:
            table.hidden[e] = False
    table.zero_hidden = [False] * len(table.values)
    for line in table.lines:
        # Only where the line's margin is published can a reader tell the rule applies.
        if table.hidden[line[-1]]:
            continue
        hidden_part = sum(table.values[e] for e in line[:-1] if table.hidden[e])
        if any(table.hidden[e] for e in line[:-1]) and hidden_part < k:
            for e in line:
                if e != grand:
                    table.zero_hidden[e] = True
    for e in range(grand):
        if table.zero_hidden[e] and table.values[e] == 0:
            table.hidden[e] = True


def protect(problem: Problem, k: int, width: int) -> list:
    """Widen the editable table until the joint audit passes; return what is still short
    (only when only the total is left, the shortfall the published totals themselves give)."""
    new = next(t for t, table in enumerate(problem.tables) if table.editable)
    others = Problem(
        tables=[t for t in problem.tables if not t.editable],
        links=[],
        targets=[],
    )
    remap = {old: n for n, old in enumerate(t for t in range(len(problem.tables)) if t != new)}
    others.links = [
        ((remap[a[0]], a[1]), (remap[b[0]], b[1]))
        for a, b in problem.links
        if a[0] != new and b[0] != new
    ]
    others.targets = [
        Target((remap[x.earlier[0]], x.earlier[1]), (remap[x.later[0]], x.later[1]), x.kind)
        for x in problem.targets
        if new not in (x.earlier[0], x.later[0])
    ]
    inverse = {v: old for old, v in remap.items()}

    def relabel(label):
        if label[0] == "entry":
            return ("entry", inverse[label[1]], label[2])
        return ("target", (inverse[label[1][0]], label[1][1]), (inverse[label[2][0]], label[2][1]))

    baseline = {relabel(lab): iv for lab, iv in intervals(others).items()}
    table = problem.tables[new]
    hide_small_total_zeros(table, k)
    for _round in range(4 * len(table.values) + 4):
        short = violations(problem, k, width, baseline, first=True, integer=False)
        short = short or violations(problem, k, width, baseline, first=True)
        if not short:
            return []
        pick = _pick(problem, new, short[0][1])
        if pick is None:
            break
        table.hidden[pick] = True
        hide_small_total_zeros(table, k)
    table.hidden = [True] * (len(table.values) - 1) + [False]
    return violations(problem, k, width, baseline)
