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
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, TypeAlias, cast

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp

from indicators.lp import Fingerprint, LinearModel

INF = math.inf

Ref: TypeAlias = tuple[int, int]  # (table index, entry)
Key: TypeAlias = str | tuple[str, str]  # a district label, or a (row, column) pair
Form: TypeAlias = dict[Ref, int]  # sum(c * entry)
Interval: TypeAlias = tuple[float, float]
Label: TypeAlias = tuple[Literal["entry"], int, int] | tuple[Literal["target"], Ref, Ref]
Shortfall: TypeAlias = tuple[Label, Form, Interval, int]  # (label, form, interval, position)
Row: TypeAlias = tuple[dict[int, int], float, float]  # (variable -> coefficient, lo, hi)
# Shared by the solvers of one audit: a component's bound (float, or None when infeasible)
# keyed by (fingerprint, form, sign), and its LinearModel keyed by ("model", fingerprint).
AuditCache: TypeAlias = dict[tuple[object, ...], Any]


@dataclass
class Table:
    """One published table, its entries flat. `keys` name entries across versions and years
    (a district label, or a (row, column) pair; margins as "計"); the last entry is the grand
    total, always published. `values` are the true values where known (the new table), the
    published value or None (an older table's hidden entry)."""

    name: str
    keys: list[Key]
    values: list[int | None]
    hidden: list[bool]
    lines: list[list[int]]  # each: entries whose sum is the line's last entry
    zero_hidden: list[bool] = field(default_factory=list)  # lower bound 0 instead of 1
    editable: bool = False
    fiscal_year: int = 0
    # Entries published whatever happens (besides the grand total): a rate's numerator and
    # denominator totals.
    fixed: list[bool] = field(default_factory=list)
    # Entries the reader never assumes to be at least 1 (a rate's "not in the activity",
    # which is never published itself): their zeros need not be hidden.
    free_zero: list[bool] = field(default_factory=list)
    # Entries that go together, applied after every change to the mask (a rate's parts).
    tie: Callable[[Table], None] | None = None

    def __post_init__(self) -> None:
        size = len(self.values)
        self.zero_hidden = self.zero_hidden or [False] * size
        self.fixed = self.fixed or [False] * size
        self.free_zero = self.free_zero or [False] * size

    def hideable(self, n: int) -> bool:
        return n != len(self.values) - 1 and not self.fixed[n]

    @property
    def total_only(self) -> bool:
        return all(h for n, h in enumerate(self.hidden) if self.hideable(n))

    def hide_all(self) -> None:
        self.hidden = [self.hideable(n) for n in range(len(self.values))]

    def lower(self, n: int) -> int:
        return 0 if (self.total_only or self.zero_hidden[n] or self.free_zero[n]) else 1

    def tied(self) -> None:
        if self.tie is not None:
            self.tie(self)

    def equations(self) -> Iterator[list[tuple[int, int]]]:
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


def _value(problem: Problem, ref: Ref) -> int | None:
    table = problem.tables[ref[0]]
    return None if table.hidden[ref[1]] else table.values[ref[1]]


class Solver:
    """The integer program of one problem; bounds of linear forms over it.

    The program falls apart into components (entries tied together by some sum or link);
    a form's bound is the sum of its parts' bounds over each component. Components are
    fingerprinted by their content, so a `cache` shared by the solvers of one audit solves
    each component's bounds once, however often the new table is widened around it."""

    def __init__(
        self, problem: Problem, *, use_links: bool = True, cache: AuditCache | None = None
    ) -> None:
        self.problem = problem
        self.cache = {} if cache is None else cache
        self.index: dict[tuple[int, int], int] = {}
        self.lows: list[int] = []
        self.names: list[tuple[int, int]] = []  # a variable's identity across problems
        for t, table in enumerate(problem.tables):
            for n, hidden in enumerate(table.hidden):
                if hidden:
                    self.index[(t, n)] = len(self.lows)
                    self.lows.append(table.lower(n))
                    self.names.append((id(table), n))
        self.size = len(self.lows)
        self.rows: list[tuple[dict[int, int], float, float]] = []
        for t, table in enumerate(problem.tables):
            for eq in table.equations():
                self._row([((t, e), c) for e, c in eq])
        if use_links:
            for a, b in problem.links:
                self._row([(a, 1), (b, -1)], upper_only=True)  # a - b <= 0
        parent = list(range(self.size))

        def find(v: int) -> int:
            while parent[v] != v:
                parent[v] = parent[parent[v]]
                v = parent[v]
            return v

        for terms, _lo, _hi in self.rows:
            first, *rest = terms
            for v in rest:
                parent[find(v)] = find(first)
        groups: dict[int, list[int]] = {}
        for v in range(self.size):
            groups.setdefault(find(v), []).append(v)
        self.component = [0] * self.size
        self.parts: list[_Component] = []
        members: dict[int, list[int]] = {}
        for c, variables in enumerate(groups.values()):
            for v in variables:
                self.component[v] = c
            members[c] = variables
            self.parts.append(_Component(variables))
        for row in self.rows:
            self.parts[self.component[next(iter(row[0]))]].rows.append(row)
        for part in self.parts:
            part.fingerprint = (
                tuple((self.names[v], self.lows[v]) for v in part.variables),
                tuple(
                    (tuple((self.names[v], c) for v, c in terms.items()), lo, hi)
                    for terms, lo, hi in part.rows
                ),
            )

    def _row(self, terms: list[tuple[Ref, int]], *, upper_only: bool = False) -> None:
        row: dict[int, int] = {}
        rhs = 0.0
        for ref, c in terms:
            if ref in self.index:
                v = self.index[ref]
                row[v] = row.get(v, 0) + c
            else:
                # Not hidden, so known: a published value, or a true value of the new table.
                rhs -= c * cast(int, self.problem.tables[ref[0]].values[ref[1]])
        row = {v: c for v, c in row.items() if c}
        if row:
            self.rows.append((row, -INF if upper_only else rhs, rhs))

    def check(self) -> None:
        """Raise Infeasible if some component has no filling at all."""
        for part in self.parts:
            self._solve(part, {}, 1.0)

    def _solve(self, part: _Component, sub: Mapping[int, float], sign: float) -> float:
        """The optimum of sign * form over one component, cached. Min of -x is -(max of
        x): forms are kept with their first coefficient positive, so a derived figure's
        parts share the cache with the entries' own bounds."""
        terms = sorted((self.names[v], c) for v, c in sub.items())
        flip = -1.0 if terms and terms[0][1] < 0 else 1.0
        key = (part.fingerprint, tuple((n, c * flip) for n, c in terms), sign * flip)
        if key not in self.cache:
            self.cache[key] = self._milp(part, {v: c * flip for v, c in sub.items()}, sign * flip)
        found = self.cache[key]
        if found is None:
            raise Infeasible
        return flip * found

    def _milp(self, part: _Component, sub: Mapping[int, float], sign: float) -> float | None:
        """The linear program first, warm-started on the component's own model: where its
        optimum is an integer filling (always, for one table's sums, a network), that is
        the integer optimum too. Otherwise, or when the LP does not end cleanly, the integer
        program itself."""
        model = self.cache.get(("model", part.fingerprint))
        if model is None:
            model = self.cache["model", part.fingerprint] = LinearModel(part.fingerprint)
        found = model.optimum({self.names[v]: c for v, c in sub.items()}, sign)
        if found is not None:
            return found
        return self._integer(part, sub, sign)

    def _integer(self, part: _Component, sub: Mapping[int, float], sign: float) -> float | None:
        local = {v: i for i, v in enumerate(part.variables)}
        size = len(local)
        objective = np.zeros(size)
        for v, c in sub.items():
            objective[local[v]] = sign * c
        constraints = []
        if part.rows:
            matrix = np.zeros((len(part.rows), size))
            for r, (terms, _lo, _hi) in enumerate(part.rows):
                for v, c in terms.items():
                    matrix[r, local[v]] = c
            lo = np.array([row[1] for row in part.rows])
            hi = np.array([row[2] for row in part.rows])
            constraints = [LinearConstraint(matrix, lo, hi)]
        lows = np.array([self.lows[v] for v in part.variables], dtype=float)
        result = milp(
            objective,
            constraints=constraints,
            bounds=Bounds(lows, np.full(size, INF)),
            integrality=np.ones(size),
        )
        if result.status == 0:
            return sign * result.fun
        if result.status == 2:  # infeasible: the reader's model does not hold
            return None
        return -sign * INF  # unbounded

    def bound(self, form: dict[tuple[int, int], int]) -> tuple[float, float]:
        """Smallest and largest value of sum(c * entry) over the integer fillings."""
        constant = 0.0
        by_part: dict[int, dict[int, int]] = {}
        for ref, c in form.items():
            if ref in self.index:
                v = self.index[ref]
                by_part.setdefault(self.component[v], {})[v] = c
            else:
                # Not hidden, so known: a published value, or a true value of the new table.
                constant += c * cast(int, self.problem.tables[ref[0]].values[ref[1]])
        low = high = constant
        for c, sub in by_part.items():
            low += self._solve(self.parts[c], sub, 1.0)
            high += self._solve(self.parts[c], sub, -1.0)
        return round(low, 6), round(high, 6)


@dataclass
class _Component:
    variables: list[int]
    rows: list[Row] = field(default_factory=list)
    fingerprint: Fingerprint = ()  # type: ignore[assignment]  # Solver sets it on creation


class Infeasible(Exception):
    pass


def make_solver(problem: Problem, cache: AuditCache | None = None) -> Solver:
    solver = Solver(problem, cache=cache)
    try:
        solver.check()
        return solver
    except Infeasible:
        # Records were edited so that a figure fell: the reader cannot use never-falls.
        return Solver(problem, use_links=False, cache=cache)


def _meets(low: float, high: float, k: int, width: int, *, entry: bool) -> bool:
    """The protection level, read from the interval alone (never from the true value, which
    the reader does not have). A hidden entry's interval is `width` wide and its top reaches
    k. A derived figure's: where it holds a small rise (1 to k-1) its top reaches k, where
    it holds a small fall its bottom reaches -k, and it is `width` wide; one that holds no
    small figure (0 exactly, or k or more either way) gives no one away."""
    if entry:
        return high - low >= width and high >= k
    small_rise = low <= k - 1 and high >= 1
    small_fall = low <= -1 and high >= -(k - 1)
    if not (small_rise or small_fall):
        return True
    if high - low < width:
        return False
    return (high >= k or not small_rise) and (low <= -k or not small_fall)


def items(problem: Problem) -> Iterator[tuple[Label, Form]]:
    """What the reader must not narrow: (label, form). Every hidden entry (of a table that
    publishes more than its total) and every derived figure."""
    for t, table in enumerate(problem.tables):
        for n, hidden in enumerate(table.hidden):
            if hidden and not table.total_only:
                yield ("entry", t, n), {(t, n): 1}
    for target in problem.targets:
        a, b = target.earlier, target.later
        yield ("target", a, b), {a: -1, b: 1}


def _meets_baseline(
    low: float, high: float, before: tuple[float, float], width: int, k: int
) -> bool:
    """An older table's item that already fell short before the new table came is held to
    what it had: no narrower, no lower top, no higher bottom."""
    b_low, b_high = before
    return (
        high - low >= min(width, b_high - b_low)
        and high >= min(k, b_high)
        and low <= max(-k, b_low)
    )


def violations(
    problem: Problem,
    k: int,
    width: int,
    baseline: dict[Label, Interval] | None = None,
    *,
    first: bool = False,
    cache: AuditCache | None = None,
    start: int = 0,
) -> list[Shortfall]:
    """Items whose interval falls short of the protection level (or of `baseline`, what
    the item had before the new table came, when that was already below the level).
    Whether an item is checked, and whether it passes, depends on its interval alone, so
    the widening below decides from what the reader could work out, not from hidden values.
    The items are scanned from the `start`-th on, round the end back to the first.
    """
    solver = make_solver(problem, cache)
    found = []
    every = list(items(problem))
    start = start % len(every) if every else 0
    for position, (label, form) in enumerate(every[start:] + every[:start]):
        low, high = solver.bound(form)
        if _meets(low, high, k, width, entry=label[0] == "entry"):
            continue
        before = (baseline or {}).get(label)
        if before is not None and _meets_baseline(low, high, before, width, k):
            continue
        found.append((label, form, (low, high), (start + position) % len(every)))
        if first:
            break
    return found


def intervals(problem: Problem, cache: AuditCache | None = None) -> dict[Label, Interval]:
    solver = make_solver(problem, cache)
    return {label: solver.bound(form) for label, form in items(problem)}


def _same_position(problem: Problem, new: int, ref: Ref) -> int | None:
    table = problem.tables[ref[0]]
    key = table.keys[ref[1]]
    target = problem.tables[new]
    return target.keys.index(key) if key in target.keys else None


def _pick(problem: Problem, new: int, form: Form) -> int | None:
    """The next entry of the new table to hide (by position only), or None."""
    table = problem.tables[new]
    spots = []
    for ref in form:
        n = ref[1] if ref[0] == new else _same_position(problem, new, ref)
        if n is not None:
            spots.append(n)
    for n in sorted(spots):
        if table.hideable(n) and not table.hidden[n]:
            return n
    for n in sorted(spots):
        for line in table.lines:
            if n in line:
                for m in sorted(line):
                    if table.hideable(m) and not table.hidden[m] and table.values[m]:
                        return m
    for m in range(len(table.values)):
        if table.hideable(m) and not table.hidden[m] and table.values[m]:
            return m
    return None


def hide_small_total_zeros(table: Table, k: int) -> None:
    """A total below k: only the total. A line whose hidden part is below k: its zeros are
    hidden too (and a hidden entry of that line may then be 0). Recomputed from the current
    mask each time, so the reader can apply the same rule to what is published."""
    grand = len(table.values) - 1
    if cast(int, table.values[grand]) < k and any(table.hidden):  # the new table: true values
        table.hide_all()
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
        hidden_part = sum(cast(int, table.values[e]) for e in line[:-1] if table.hidden[e])
        if any(table.hidden[e] for e in line[:-1]) and hidden_part < k:
            for e in line:
                if table.hideable(e) and not table.free_zero[e]:
                    table.zero_hidden[e] = True
    for e in range(grand):
        if table.zero_hidden[e] and table.values[e] == 0:
            table.hidden[e] = True
    table.tied()


def protect(problem: Problem, k: int, width: int) -> list[Shortfall]:
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

    def relabel(label: Label) -> Label:
        if label[0] == "entry":
            return ("entry", inverse[label[1]], label[2])
        return ("target", (inverse[label[1][0]], label[1][1]), (inverse[label[2][0]], label[2][1]))

    cache: AuditCache = {}
    baseline = {relabel(lab): iv for lab, iv in intervals(others, cache).items()}
    table = problem.tables[new]
    hide_small_total_zeros(table, k)
    # Each round scans on from where the last one stopped: what passed before is checked
    # again only after the rest, and nothing is left until one whole scan passes.
    resume = 0
    for _round in range(4 * len(table.values) + 4):
        short = violations(problem, k, width, baseline, first=True, cache=cache, start=resume)
        if not short:
            return []
        pick = _pick(problem, new, short[0][1])
        resume = short[0][3]
        if pick is None:
            break
        table.hidden[pick] = True
        hide_small_total_zeros(table, k)
    table.hide_all()
    return violations(problem, k, width, baseline, cache=cache)
