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

Zeros: a zero cell is published (that nobody is in a cell singles no one out). A zero is
suppressed only as a last resort complement when a line has no other nonzero cell left,
and never when it lies in a line whose total is zero (it would be known to be zero and
protect nothing). If a small cell could still be worked out (linearly, or because a line
sums to zero), every entry that may be hidden is hidden. The grand total is the indicator's
figure itself and is always published.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction


def is_primary(value: int, k: int) -> bool:
    return 0 < value < k


def _pick_complement(values: list[int], suppressed: list[bool], allowed: list[bool]) -> int | None:
    """The index of the smallest nonzero unsuppressed value, else of a zero one."""
    nonzero = [i for i, v in enumerate(values) if allowed[i] and not suppressed[i] and v > 0]
    if nonzero:
        return min(nonzero, key=lambda i: (values[i], i))
    zeros = [i for i, v in enumerate(values) if allowed[i] and not suppressed[i]]
    return zeros[0] if zeros else None


def suppress_1d(values: list[int], k: int) -> list[bool]:
    """Which cells of a 1-D breakdown (whose total is published) are suppressed."""
    suppressed = [is_primary(v, k) for v in values]
    if sum(suppressed) == 1:
        pick = _pick_complement(values, suppressed, [True] * len(values))
        if pick is not None:
            suppressed[pick] = True
    return suppressed


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


def _lines(n_rows: int, n_cols: int):
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


def pinned_entries(values: list[list[int]], mask: list[list[bool]]) -> set[tuple[int, int]]:
    """Suppressed entries an attacker can work out: those the published entries determine
    linearly, and those in a line whose published (or worked-out) total is zero."""
    n_rows, n_cols = len(mask), len(mask[0])
    r, c = n_rows - 1, n_cols - 1
    known = [[not m for m in row] for row in mask]
    changed = True
    while changed:
        changed = False
        lines = [((i, c), [(i, j) for j in range(n_cols)]) for i in range(n_rows)]
        lines += [((r, j), [(i, j) for i in range(n_rows)]) for j in range(n_cols)]
        for margin, line in lines:
            if known[margin[0]][margin[1]] and values[margin[0]][margin[1]] == 0:
                for a, b in line:
                    if not known[a][b]:
                        known[a][b] = True
                        changed = True
        for a, b in determined_entries([[not x for x in row] for row in known]):
            known[a][b] = True
            changed = True
    return {(i, j) for i in range(n_rows) for j in range(n_cols) if mask[i][j] and known[i][j]}


def _protect_lines(values, mask, allowed) -> bool:
    """Give every line with a single suppressed entry a second one.

    Among the candidates, prefer one whose crossing line also holds a single suppressed
    entry (one suppression then protects two lines), then one whose crossing line is
    already protected, then the smallest nonzero value; a zero only as a last resort.
    """
    changed = False
    n_rows, n_cols = len(values), len(values[0])

    def crossing_count(entry, line_is_row: bool) -> int:
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

        def rank(entry, is_row=is_row):
            count = crossing_count(entry, is_row)
            priority = 0 if count == 1 else (1 if count >= 2 else 2)
            value = values[entry[0]][entry[1]]
            return (value == 0, priority, value, entry)

        i, j = min(candidates, key=rank)
        mask[i][j] = True
        changed = True
    return changed


def _close_cycle(values, mask, allowed, entry) -> bool:
    """Suppress the cheapest 4-cycle through `entry`, so it is no longer determined."""
    i, j = entry
    n_rows, n_cols = len(values), len(values[0])
    best = None
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
    # A zero in a line whose total is zero is known to be zero whatever is hidden: it can
    # not protect anything, so it is never chosen as a complement.
    useful = [
        [
            allowed[i][j] and (v > 0 or (values[i][n_cols] > 0 and values[n_rows][j] > 0))
            for j, v in enumerate(row)
        ]
        for i, row in enumerate(values)
    ]
    for _round in range(4 * (n_rows + 1) * (n_cols + 1)):
        while _protect_lines(values, mask, useful):
            pass
        determined = determined_entries(mask)
        if not determined:
            break
        if not _close_cycle(values, mask, useful, min(determined)):
            break
    primary = {
        (i, j)
        for i, row in enumerate(values)
        for j, v in enumerate(row)
        if allowed[i][j] and is_primary(v, k)
    }
    if primary & pinned_entries(values, mask):
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
