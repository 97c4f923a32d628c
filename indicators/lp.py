"""One component of the joint audit's program, kept loaded in HiGHS between objectives."""

from __future__ import annotations

import math
import os
import sys
from collections.abc import Mapping
from typing import TypeAlias

import highspy
import numpy as np

INF = math.inf

# A variable's identity across problems: (id of its table, entry).
Name: TypeAlias = tuple[int, int]
# A component as `indicators.audit` keys it: (variables as (name, lower bound), rows as
# (terms as (name, coefficient), lo, hi)).
Fingerprint: TypeAlias = tuple[
    tuple[tuple[Name, int], ...],
    tuple[tuple[tuple[tuple[Name, int], ...], float, float], ...],
]


class LinearModel:
    """One component as a HiGHS linear program, kept loaded so that each new objective
    starts from the last basis (HiGHS's own interface: SciPy's wrapper builds and solves the
    model anew on every call, which costs ten times as long on these small programs)."""

    def __init__(self, fingerprint: Fingerprint) -> None:
        """`fingerprint`: (variables as (name, lower bound), rows as (terms, lo, hi)), the
        form `indicators.audit` keys its components by."""
        variables, rows = fingerprint
        self.local = {name: i for i, (name, _low) in enumerate(variables)}
        self.size = size = len(self.local)
        self.highs = _highs()
        self.highs.addVars(
            size,
            np.array([low for _name, low in variables], dtype=float),
            np.full(size, highspy.kHighsInf),
        )
        for terms, lo, hi in rows:
            index = np.array([self.local[name] for name, _c in terms], dtype=np.int32)
            self.highs.addRow(
                -highspy.kHighsInf if lo == -INF else lo,
                hi,
                len(index),
                index,
                np.array([c for _name, c in terms], dtype=float),
            )
        self.columns = np.arange(size, dtype=np.int32)

    def optimum(self, sub: Mapping[Name, float], sign: float) -> float | None:
        """sign * min(sign * form) when the LP's optimum is integral, else None."""
        objective = np.zeros(self.size)
        for name, c in sub.items():
            objective[self.local[name]] = sign * c
        self.highs.changeColsCost(self.size, self.columns, objective)
        self.highs.run()
        if self.highs.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            return None
        values = np.array(self.highs.getSolution().col_value)
        if np.abs(values - np.round(values)).max(initial=0.0) > 1e-7:
            return None
        return sign * float(objective @ np.round(values))


_banner_shown = False


def _highs() -> highspy.Highs:
    """A silent HiGHS instance. HiGHS prints its banner to the process's standard output
    when the first instance is made, before any option can be set: that one is made with
    the output pointed at /dev/null."""
    global _banner_shown
    if _banner_shown:
        highs = highspy.Highs()
    else:
        sys.stdout.flush()
        saved = os.dup(1)
        try:
            with open(os.devnull, "w") as null:
                os.dup2(null.fileno(), 1)
                highs = highspy.Highs()
        finally:
            os.dup2(saved, 1)
            os.close(saved)
        _banner_shown = True
    highs.setOptionValue("output_flag", False)
    return highs
