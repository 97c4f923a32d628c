"""`manage.py indicators_audit_benchmark`: time the joint audit on the plan's table shapes.

No database. Seeded random figures shaped like the plan's breakdowns (7 districts; P1-3a
7 x 6 and P1-3b 7 x 5 district x age; cumulative P1-2a / P1-2b by district over --years
years; the rate P2-1b by district; --versions versions of the year) are published one after
another, each audited against everything published before, and the time of each step is
printed.
A benchmark, not a test: it asserts nothing.
"""

from __future__ import annotations

import random
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from indicators.joint import protect_document
from indicators.publish import _flat_2d, one_way, rate_raw, rate_table, suppression_k, two_way

DISTRICTS = ["北部", "中央", "東部", "南部", "西部", "区全域", "地区不明"]


def _noisy(rng: random.Random, cells: list[list[int]], changes: int) -> list[list[int]]:
    out = [list(r) for r in cells]
    for _ in range(changes):
        i, j = rng.randrange(len(out)), rng.randrange(len(out[0]))
        out[i][j] = max(0, out[i][j] + rng.choice([-1, 1, 2]))
    return out


class Command(BaseCommand):
    help = "Time the joint small-cell audit on tables of the plan's shapes."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--years", type=int, default=4)
        parser.add_argument("--versions", type=int, default=3)
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args: Any, **options: Any) -> None:
        rng = random.Random(options["seed"])
        k = suppression_k()
        held: list[tuple[int, dict[str, Any]]] = []
        started = time.perf_counter()
        cumulative = {
            c: [rng.choice([0, 3, 8, 15, 30]) for _ in DISTRICTS] for c in ("P1-2a", "P1-2b")
        }
        for y in range(options["years"]):
            fy = 2022 + y
            base = {
                "P1-3a": [
                    [rng.choice([0, 0, 1, 2, 5, 9, 14, 30]) for _ in range(6)] for _ in DISTRICTS
                ],
                "P1-3b": [
                    [rng.choice([0, 0, 0, 1, 2, 4, 12]) for _ in range(5)] for _ in DISTRICTS
                ],
            }
            dens = [rng.choice([0, 2, 6, 15, 40]) for _ in DISTRICTS]
            nums = [rng.randint(0, d) for d in dens]
            for code in cumulative:
                cumulative[code] = [v + rng.choice([0, 1, 3, 6, 12]) for v in cumulative[code]]
            for v in range(options["versions"]):
                doc: dict[str, Any]
                raw: dict[tuple[str, int], list[int]]
                doc, raw = {"fiscal_year": fy, "indicators": {}}, {}
                for code, cells in base.items():
                    cells = _noisy(rng, cells, 2 * v)
                    cols = [str(j) for j in range(len(cells[0]))]
                    doc["indicators"][code] = {
                        "breakdowns": [two_way("t", DISTRICTS, cols, cells, k)]
                    }
                    raw[(code, 0)] = _flat_2d(cells)
                i = rng.randrange(len(DISTRICTS))
                dens[i] += v
                doc["indicators"]["P2-1b"] = {
                    "breakdowns": [rate_table("t", DISTRICTS, nums, dens, k)]
                }
                raw[("P2-1b", 0)] = rate_raw(nums, dens)
                for code, values in cumulative.items():
                    doc["indicators"][code] = {"breakdowns": [one_way("t", DISTRICTS, values, k)]}
                    raw[(code, 0)] = [*values, sum(values)]
                step = time.perf_counter()
                protect_document(doc, raw, list(held), k)
                held.append((fy, doc))
                self.stdout.write(
                    f"FY{fy} v{v + 1}: {time.perf_counter() - step:.2f} s "
                    f"(held {len(held) - 1}, shortfalls {doc['audit']['shortfalls']})"
                )
        self.stdout.write(f"total {time.perf_counter() - started:.2f} s, k={k}")
