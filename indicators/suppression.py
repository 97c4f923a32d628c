"""Small-cell suppression for published breakdowns (complementary suppression).

A cell from 1 to k-1 is suppressed (primary suppression). Then enough other cells are
suppressed that no suppressed value can be worked out from the published cells and the
totals (complementary suppression):

- 1-D breakdown with its total: if exactly one cell is suppressed, the next-smallest
  nonzero cell is suppressed too.
- 2-D table with row totals, column totals and the grand total: every line (a row with its
  row total, a column with its column total, the row of column totals, the column of row
  totals) holds no suppressed entry or at least two. Then every suppressed entry must lie
  on a cycle of suppressed entries; one that does not (it would be the difference of
  published sums) gets a small 4-cycle of further suppressions. The result is checked by
  solving the linear system an attacker would set up.

Zeros: a zero cell is published (that nobody is in a cell singles no one out). So an
attacker knows that every hidden entry is at least 1, and the sums alone are not the whole
story: two hidden cells of a line whose hidden part sums to 2 are both 1. The result is
therefore audited with those bounds: for every hidden entry, the smallest and the largest
value it can take given the published entries, the sums and "at least 1" are computed
(two small linear programs, SciPy's HiGHS; the tables are totally unimodular, so the
bounds are whole numbers an integer filling reaches). While an entry's bounds meet, one
more cell of its row or column is hidden. If nothing short of it protects the table, every
entry that may be hidden is hidden, zeros included, and nothing is left to reason from.
The grand total is the indicator's figure itself and is always published.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
from scipy.optimize import linprog


def is_primary(value: int, k: int) -> bool:
    return 0 < value < k


def suppress_1d(values: list[int], k: int) -> list[bool]:
    """Which cells of a 1-D breakdown (whose total is published) are suppressed.

    With m hidden cells summing to S (the total minus the published cells), each is known
    to lie between 1 and S - (m - 1): it is worked out when m is 1 or when S equals m (all
    ones). Until neither holds, the smallest published nonzero cell is hidden too.
    """
    suppressed = [is_primary(v, k) for v in values]
    if not any(suppressed):
        return suppressed
    while True:
        hidden = [v for v, m in zip(values, suppressed, strict=True) if m]
        if len(hidden) >= 2 and sum(hidden) > len(hidden):
            return suppressed
        spare = [i for i, v in enumerate(values) if v > 0 and not suppressed[i]]
        if not spare:
            # Nothing short of hiding every cell, zeros too, protects the small ones.
            return [True] * len(values)
        suppressed[min(spare, key=lambda i: (values[i], i))] = True


@dataclass
class Table2D:
    """Interior cells with their margins; masks say which entries are suppressed."""

    cells: list[list[int]]
    row_totals: list[int]
    col_totals: list[int]
    total: int
    cell_mask: list[list[bool]]
    row_mask: list[bool]
    col_mask: list[bool]

    def extended(self) -> tuple[list[list[int]], list[list[bool]]]:
        """(R+1)x(C+1) values and mask, margins in the last row and column."""
        values = [[*row, t] for row, t in zip(self.cells, self.row_totals, strict=True)]
        values.append([*self.col_totals, self.total])
        mask = [[*row, m] for row, m in zip(self.cell_mask, self.row_mask, strict=True)]
        mask.append([*self.col_mask, False])
        return values, mask


def _lines(n_rows: int, n_cols: int) -> Iterator[list[tuple[int, int]]]:
    for i in range(n_rows):
        yield [(i, j) for j in range(n_cols)]
    for j in range(n_cols):
        yield [(i, j) for i in range(n_rows)]


def equations(n_rows: int, n_cols: int) -> list[list[tuple[tuple[int, int], int]]]:
    """The linear relations of an extended table: each line's cells minus its margin = 0."""
    r, c = n_rows - 1, n_cols - 1  # index of the margin row / column
    eqs = []
    for i in range(n_rows):
        eqs.append([((i, j), 1) for j in range(c)] + [((i, c), -1)])
    for j in range(n_cols):
        eqs.append([((i, j), 1) for i in range(r)] + [((r, j), -1)])
    return eqs


def _rank(rows: list[list[Fraction]]) -> int:
    rows = [list(r) for r in rows]
    rank, n_cols = 0, len(rows[0]) if rows else 0
    for col in range(n_cols):
        pivot = next((r for r in range(rank, len(rows)) if rows[r][col] != 0), None)
        if pivot is None:
            continue
        rows[rank], rows[pivot] = rows[pivot], rows[rank]
        for r in range(len(rows)):
            if r != rank and rows[r][col] != 0:
                factor = rows[r][col] / rows[rank][col]
                rows[r] = [a - factor * b for a, b in zip(rows[r], rows[rank], strict=True)]
        rank += 1
    return rank


def determined_entries(mask: list[list[bool]]) -> set[tuple[int, int]]:
    """Suppressed entries of an extended table that the published ones pin down linearly.

    An unknown is determined exactly when its unit vector lies in the row space of the
    system restricted to the unknowns (published entries move to the right-hand side).
    """
    n_rows, n_cols = len(mask), len(mask[0])
    unknowns = [(i, j) for i in range(n_rows) for j in range(n_cols) if mask[i][j]]
    if not unknowns:
        return set()
    index = {u: n for n, u in enumerate(unknowns)}
    matrix = []
    for eq in equations(n_rows, n_cols):
        row = [Fraction(0)] * len(unknowns)
        for entry, coeff in eq:
            if entry in index:
                row[index[entry]] += coeff
        if any(row):
            matrix.append(row)
    base = _rank(matrix) if matrix else 0
    found = set()
    for u, n in index.items():
        unit = [Fraction(0)] * len(unknowns)
        unit[n] = Fraction(1)
        if (_rank([*matrix, unit]) if matrix else 1) == base:
            found.add(u)
    return found


def hidden_ranges(
    values: list[list[int]], mask: list[list[bool]], lower: int | list[list[int]] = 1
) -> dict[tuple[int, int], tuple[float, float]]:
    """What an attacker can know of each hidden entry of an extended table: its smallest
    and largest value, given the published entries, every row and column sum, and that a
    hidden entry is at least `lower` (one number, or one per entry). The largest may be
    infinite."""
    n_rows, n_cols = len(mask), len(mask[0])
    unknowns = [(i, j) for i in range(n_rows) for j in range(n_cols) if mask[i][j]]
    if not unknowns:
        return {}
    index = {u: n for n, u in enumerate(unknowns)}
    a_eq, b_eq = [], []
    for eq in equations(n_rows, n_cols):
        row = [0.0] * len(unknowns)
        rhs = 0.0
        for (i, j), coeff in eq:
            if (i, j) in index:
                row[index[(i, j)]] += coeff
            else:
                rhs -= coeff * values[i][j]
        if any(row):
            a_eq.append(row)
            b_eq.append(rhs)
    bounds = [(lower if isinstance(lower, int) else lower[i][j], None) for i, j in unknowns]
    ranges = {}
    for u, n in index.items():
        objective = np.zeros(len(unknowns))
        found = []
        for sign in (1.0, -1.0):
            objective[n] = sign
            result = linprog(
                objective,
                A_eq=np.array(a_eq) if a_eq else None,
                b_eq=np.array(b_eq) if b_eq else None,
                bounds=bounds,
                method="highs",
            )
            if result.status == 3:  # unbounded
                found.append(-math.inf if sign > 0 else math.inf)
            elif result.status != 0:
                raise ValueError(f"the published table is inconsistent: {result.message}")
            else:
                found.append(sign * result.fun)
        ranges[u] = (found[0], found[1])
    return ranges


def pinned_by_bounds(
    values: list[list[int]], mask: list[list[bool]], lower: int | list[list[int]] = 1
) -> set[tuple[int, int]]:
    """Hidden entries whose smallest and largest possible values meet."""
    return {
        entry
        for entry, (low, high) in hidden_ranges(values, mask, lower).items()
        if high - low < 0.5
    }


def _widen(
    values: list[list[int]],
    mask: list[list[bool]],
    allowed: list[list[bool]],
    entry: tuple[int, int],
) -> bool:
    """Hide the smallest published nonzero entry of `entry`'s row or column."""
    i, j = entry
    line = [(i, b) for b in range(len(values[0]))] + [(a, j) for a in range(len(values))]
    spare = [e for e in line if allowed[e[0]][e[1]] and not mask[e[0]][e[1]]]
    if not spare:
        return False
    a, b = min(spare, key=lambda e: (values[e[0]][e[1]], e))
    mask[a][b] = True
    return True


def _protect_lines(
    values: list[list[int]], mask: list[list[bool]], allowed: list[list[bool]]
) -> bool:
    """Give every line with a single suppressed entry a second one.

    Among the candidates, prefer one whose crossing line also holds a single suppressed
    entry (one suppression then protects two lines), then one whose crossing line is
    already protected, then the smallest nonzero value; a zero only as a last resort.
    """
    changed = False
    n_rows, n_cols = len(values), len(values[0])

    def crossing_count(entry: tuple[int, int], line_is_row: bool) -> int:
        i, j = entry
        if line_is_row:
            return sum(mask[r][j] for r in range(n_rows))
        return sum(mask[i])

    for n, line in enumerate(_lines(n_rows, n_cols)):
        if sum(mask[i][j] for i, j in line) != 1:
            continue
        is_row = n < n_rows
        candidates = [(i, j) for i, j in line if allowed[i][j] and not mask[i][j]]
        if not candidates:
            continue

        def rank(
            entry: tuple[int, int], is_row: bool = is_row
        ) -> tuple[bool, int, int, tuple[int, int]]:
            count = crossing_count(entry, is_row)
            priority = 0 if count == 1 else (1 if count >= 2 else 2)
            value = values[entry[0]][entry[1]]
            return (value == 0, priority, value, entry)

        i, j = min(candidates, key=rank)
        mask[i][j] = True
        changed = True
    return changed


def _close_cycle(
    values: list[list[int]],
    mask: list[list[bool]],
    allowed: list[list[bool]],
    entry: tuple[int, int],
) -> bool:
    """Suppress the cheapest 4-cycle through `entry`, so it is no longer determined."""
    i, j = entry
    n_rows, n_cols = len(values), len(values[0])
    best: tuple[int, list[tuple[int, int]]] | None = None
    for i2 in range(n_rows):
        for j2 in range(n_cols):
            if i2 == i or j2 == j:
                continue
            corners = [(i, j2), (i2, j), (i2, j2)]
            if not all(allowed[a][b] for a, b in corners):
                continue
            cost = sum(values[a][b] + 1 for a, b in corners if not mask[a][b])
            if cost and (best is None or cost < best[0]):
                best = (cost, corners)
    if best is None:
        return False
    for a, b in best[1]:
        mask[a][b] = True
    return True


def suppress_2d(cells: list[list[int]], k: int, *, publish_col_totals: bool = False) -> Table2D:
    """`publish_col_totals`: the column totals are published elsewhere (a rate's numerator
    and denominator totals) and so may not be suppressed."""
    n_rows, n_cols = len(cells), len(cells[0]) if cells else 0
    row_totals = [sum(row) for row in cells]
    col_totals = [sum(cells[i][j] for i in range(n_rows)) for j in range(n_cols)]
    total = sum(row_totals)
    values = [[*row, t] for row, t in zip(cells, row_totals, strict=True)]
    values.append([*col_totals, total])
    allowed = [[True] * (n_cols + 1) for _ in range(n_rows + 1)]
    allowed[n_rows][n_cols] = False  # the grand total is the published figure
    if publish_col_totals:
        allowed[n_rows] = [False] * (n_cols + 1)
    mask = [
        [allowed[i][j] and is_primary(v, k) for j, v in enumerate(row)]
        for i, row in enumerate(values)
    ]
    # Zeros are published: a hidden entry is then known to be at least 1, which the audit
    # below takes into account. Only nonzero entries serve as complements.
    useful = [[allowed[i][j] and v > 0 for j, v in enumerate(row)] for i, row in enumerate(values)]
    protected = not any(map(any, mask))
    for _round in range(4 * (n_rows + 1) * (n_cols + 1)):
        if protected:
            break
        while _protect_lines(values, mask, useful):
            pass
        determined = determined_entries(mask)
        if determined:
            if not _close_cycle(values, mask, useful, min(determined)):
                break
            continue
        pinned = pinned_by_bounds(values, mask)
        if not pinned:
            protected = True
        elif not _widen(values, mask, useful, min(pinned)):
            break
    if not protected:
        # Nothing smaller protects the small cells: hide every entry that may be hidden.
        mask = [list(row) for row in allowed]
    return Table2D(
        cells=[row[:n_cols] for row in values[:n_rows]],
        row_totals=row_totals,
        col_totals=col_totals,
        total=total,
        cell_mask=[row[:n_cols] for row in mask[:n_rows]],
        row_mask=[row[n_cols] for row in mask[:n_rows]],
        col_mask=mask[n_rows][:n_cols],
    )
