"""A new snapshot, audited jointly with every snapshot a reader may hold.

For each breakdown of the new snapshot, the reader's tables are: that breakdown in every
other version of the same fiscal year (every version was the latest draft once, so someone
may have seen it), and, for a cumulative indicator, the same breakdown in every snapshot of
the other years. Breakdowns of one indicator share only its grand total (always published),
and the year-based indicators have no relation between years, so nothing else links them.
`indicators.audit` then widens the new breakdown until the protection level holds.
"""

from __future__ import annotations

import itertools
import time
from typing import Any, cast

from django.conf import settings

from indicators.audit import Problem, Table, Target, protect
from indicators.definitions import INDICATORS, PLAN_FIRST_FY, Period
from indicators.publish import percent

DEFAULT_WIDTH = 3
MARGIN = "計"
CUMULATIVE = {i.code for i in INDICATORS if i.period == Period.CUMULATIVE}


def protection_width() -> int:
    return int(getattr(settings, "INDICATORS_PROTECTION_WIDTH", DEFAULT_WIDTH))


def table_from(breakdown: dict[str, Any], raw: list[int] | None = None, **kw: Any) -> Table | None:
    """A published breakdown (None for a hidden entry) as an audit table; `raw`, the true
    values of the new one (flat, margins last)."""
    if breakdown["kind"] == "1d":
        published = [*breakdown["values"], breakdown["total"]]
        keys = [*breakdown["labels"], MARGIN]
        lines = [list(range(len(published)))]
    elif breakdown["kind"] == "2d":
        rows = [*breakdown["row_labels"], MARGIN]
        cols = [*breakdown["col_labels"], MARGIN]
        grid = [[*r, t] for r, t in zip(breakdown["cells"], breakdown["row_totals"], strict=True)]
        grid.append([*breakdown["col_totals"], breakdown["total"]])
        published = [v for row in grid for v in row]
        keys = [(r, c) for r in rows for c in cols]
        width = len(cols)
        lines = [[i * width + j for j in range(width)] for i in range(len(rows))]
        lines += [[i * width + j for i in range(len(rows))] for j in range(width)]
    elif breakdown["kind"] == "rate":
        return _rate_table(breakdown, raw, **kw)
    else:
        return None
    hidden = [v is None for v in published]
    return Table(
        name=breakdown["title"],
        keys=keys,
        values=list(raw) if raw is not None else published,
        hidden=hidden,
        lines=lines,
        **kw,
    )


RATE_COLUMNS = ("参加", "不参加", MARGIN)  # in the activity, not in it, the denominator


def rate_entries(numerators: list[int | None], denominators: list[int | None]) -> list[int | None]:
    """A rate breakdown as a table, flat: per district its numerator, the rest of its
    denominator and the denominator; the last row their totals. None where not known."""
    flat = []
    for n, d in zip(numerators, denominators, strict=True):
        flat += [n, None if n is None or d is None else d - n, d]
    return flat


def _rate_table(breakdown: dict[str, Any], raw: list[int] | None = None, **kw: Any) -> Table:
    """Only numerators and denominators are published; the rest is known where both are.
    The last row (the indicator's numerator and denominator) is always published."""
    rows = [*breakdown["labels"], MARGIN]
    numerator, denominator = breakdown["numerator_total"], breakdown["denominator_total"]
    published = rate_entries(breakdown["numerators"], breakdown["denominators"])
    published += [numerator, denominator - numerator, denominator]
    width = len(RATE_COLUMNS)
    size = len(published)
    lines = [[i * width + j for j in range(width)] for i in range(len(rows))]
    lines += [[i * width + j for i in range(len(rows))] for j in range(width)]
    last_row = set(range(size - width, size))
    return Table(
        name=breakdown["title"],
        keys=[(r, c) for r in rows for c in RATE_COLUMNS],
        values=list(raw) if raw is not None else published,
        hidden=[v is None for v in published],
        lines=lines,
        fixed=[n in last_row for n in range(size)],
        free_zero=[n % width == 1 for n in range(size)],
        tie=_tie_rate,
        **kw,
    )


def _tie_rate(table: Table) -> None:
    """A rate's parts go together: with its numerator or denominator hidden, what is not in
    the activity is unknown too; hidden on its own, it takes the denominator with it."""
    width = len(RATE_COLUMNS)
    for row in range(len(table.values) // width - 1):
        num, rest, den = (row * width + j for j in range(width))
        if table.hidden[rest] and not table.hidden[num]:
            table.hidden[den] = True
        if table.hidden[num] or table.hidden[den]:
            table.hidden[rest] = True


def write_back(breakdown: dict[str, Any], table: Table) -> None:
    masked = [None if h else v for v, h in zip(table.values, table.hidden, strict=True)]
    if table.total_only:
        breakdown["total_only"] = True
    if breakdown["kind"] == "1d":
        breakdown["values"] = masked[:-1]
        return
    if breakdown["kind"] == "rate":
        width = len(RATE_COLUMNS)
        rows = [masked[i : i + width] for i in range(0, len(masked) - width, width)]
        breakdown["numerators"] = [row[0] for row in rows]
        breakdown["denominators"] = [row[2] for row in rows]
        # A rate would give its hidden part away: it goes with either.
        breakdown["rates"] = [
            None if n is None or d is None else percent(n, d) for n, _rest, d in rows
        ]
        return
    width = len(breakdown["col_labels"]) + 1
    grid = [masked[i : i + width] for i in range(0, len(masked), width)]
    breakdown["cells"] = [row[:-1] for row in grid[:-1]]
    breakdown["row_totals"] = [row[-1] for row in grid[:-1]]
    breakdown["col_totals"] = grid[-1][:-1]


def _pairs(problem: Problem, a: int, b: int, kind: str, *, link: bool, target: bool) -> None:
    ta, tb = problem.tables[a], problem.tables[b]
    position = {key: n for n, key in enumerate(tb.keys)}
    for n, key in enumerate(ta.keys):
        m = position.get(key)
        if m is None:
            continue
        if link:
            problem.links.append(((a, n), (b, m)))
        if target and ta.hideable(n) and tb.hideable(m):
            problem.targets.append(Target((a, n), (b, m), kind))


def build_problem(
    code: str, index: int, new: Table, others: list[tuple[int, dict[str, Any]]]
) -> Problem:
    """`others`: (fiscal year, breakdown) of every other snapshot the reader may hold."""
    problem = Problem(tables=[new], links=[], targets=[])
    for fy, breakdown in others:
        table = table_from(breakdown, fiscal_year=fy)
        if table is not None:
            problem.tables.append(table)
    # Before the plan a cumulative indicator counts its year alone: no never-falls there.
    years = sorted({t.fiscal_year for t in problem.tables if t.fiscal_year >= PLAN_FIRST_FY})
    # Every pair, old ones too: the new table can narrow what two older ones give away
    # together (through never-falls), and the audit holds them to what they had.
    by_year: dict[int, list[int]] = {}
    for t, table in enumerate(problem.tables):
        by_year.setdefault(table.fiscal_year, []).append(t)
    for a, b in itertools.combinations(by_year[new.fiscal_year], 2):
        earlier, later = (b, a) if a == 0 else (a, b)  # the new table is the latest
        _pairs(problem, earlier, later, "version", link=False, target=True)
    if code in CUMULATIVE:
        for earlier, later in itertools.pairwise(years):
            for a in by_year[earlier]:
                for b in by_year[later]:
                    _pairs(problem, a, b, "year", link=True, target=True)
    return problem


def protect_document(
    document: dict[str, Any],
    raw: dict[tuple[str, int], list[int]],
    held: list[tuple[int, dict[str, Any]]],
    k: int,
) -> dict[str, Any]:
    """Widen the new document's breakdowns against `held` (fiscal year, document) pairs.
    Records in the document what was audited and how long it took."""
    started = time.perf_counter()
    width = protection_width()
    fy = document["fiscal_year"]
    shortfalls = 0
    for code, entry in document["indicators"].items():
        for n, breakdown in enumerate(entry.get("breakdowns", [])):
            if (code, n) not in raw:
                continue
            new = table_from(breakdown, raw[(code, n)], editable=True, fiscal_year=fy)
            if new is None:
                continue
            # Start again from the primaries alone: every complement is then chosen by the
            # audit's positional rule, never by the size of a value.
            new.hidden = [
                0 < v < k and new.hideable(e)
                for e, v in enumerate(cast("list[int]", new.values))  # true values, from `raw`
            ]
            new.tied()
            if code not in CUMULATIVE or fy < PLAN_FIRST_FY:
                held_here = [(y, d) for y, d in held if y == fy]
            else:
                held_here = [(y, d) for y, d in held if y == fy or y >= PLAN_FIRST_FY]
            others = []
            for y, doc in held_here:
                old = doc.get("indicators", {}).get(code, {}).get("breakdowns", [])
                if n < len(old) and old[n].get("kind") == breakdown["kind"]:
                    others.append((y, old[n]))
            problem = build_problem(code, n, new, others)
            shortfalls += len(protect(problem, k, width))
            write_back(breakdown, new)
    document["audit"] = {
        "protection_width": width,
        "versions_held": len(held),
        "shortfalls": shortfalls,
        "seconds": round(time.perf_counter() - started, 3),
    }
    return document
