"""`manage.py bench_pages [--runs 12]`: server time and queries of every daily page.

Runs against whatever database DATABASE_URL points at (a bench_build world: it signs in as
bench_csw, bench_supervisor, bench_consultation and bench_officer unless told otherwise).
Each request it makes is an ordinary request: lists append their access-log rows.
A benchmark prints figures; it asserts only that the pages answer and that the first page
of 担当ケース and of the agency list shows the hand-written query's cases in its order.
"""

from __future__ import annotations

import statistics
import time
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.test.utils import override_settings
from django.utils import timezone

from bench import pages, staff
from casework.models import Case


class Command(BaseCommand):
    help = "Time every daily page for each role that uses it (in-process, DEBUG off)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--runs", type=int, default=12, help="warm runs per page")
        parser.add_argument("--csw", default=staff.CSW)
        parser.add_argument("--supervisor", default=staff.SUPERVISOR)
        parser.add_argument("--consultation", default=staff.CONSULTATION)
        parser.add_argument("--officer", default=staff.OFFICER)
        parser.add_argument("--only", default="", help="only pages whose label contains this")
        parser.add_argument("--quiet", action="store_true", help="no progress lines")

    def handle(self, *args: Any, runs: int, only: str, quiet: bool, **options: Any) -> None:
        if runs < 1:
            raise CommandError("--runs must be at least 1")
        UserModel = get_user_model()
        users = {}
        for role in ("csw", "supervisor", "consultation", "officer"):
            username = options[role]
            user = (
                UserModel.objects.select_related("membership__agency")
                .filter(username=username)
                .first()
            )
            if user is None:
                raise CommandError(
                    f"No user {username!r} in this database: run bench_build first "
                    f"(or name the {role} with --{role})."
                )
            users[role] = user
        cast = pages.Cast(users)
        sv = users["supervisor"]
        agency_cases = Case.objects.filter(owning_agency_id=sv.membership.agency_id).count()
        csw = users["csw"]
        self.stdout.write(
            f"bench_pages on {connection.vendor} ({connection.settings_dict.get('NAME')}), "
            f"{timezone.localtime():%Y-%m-%d %H:%M}, {runs} warm runs per page, DEBUG off\n"
            f"  CSW {csw.username}: {cast.open_assigned(csw)} open and "
            f"{cast.open_assigned(csw, closed=True)} closed assigned cases; supervisor "
            f"{sv.username}: {sv.membership.agency.name}, {agency_cases:,} cases "
            f"({cast.agency_open(sv):,} open); {Case.objects.count():,} cases in all"
        )
        hosts = [*settings.ALLOWED_HOSTS, "testserver"]
        with override_settings(DEBUG=False, ALLOWED_HOSTS=hosts):
            plan = [p for p in pages.plan(cast) if only in p.label]
            started = time.perf_counter()
            results = pages.measure(
                plan, cast, runs, (lambda line: None) if quiet else self._progress
            )
            elapsed = time.perf_counter() - started
        self.stdout.write("")
        for line in pages.table(results):
            self.stdout.write(line)
        slow = [r for r in results if r.server_ms and statistics.median(r.server_ms) > 50]
        failed = [r for r in results if r.status != 200]
        differ = [r for r in results if r.ids_match is False]
        ratios = [
            statistics.median(r.server_ms) / statistics.median(r.sql_ms)
            for r in results
            if r.sql_ms
        ]
        self.stdout.write(
            f"\n{len(results)} page rows in {elapsed:.0f} s; median over 50 ms: {len(slow)}; "
            f"not 200: {len(failed)}"
            + (f"; worst page/hand-SQL ratio {max(ratios):.1f}×" if ratios else "")
        )
        problems = []
        if failed:
            problems.append(
                "pages that did not answer 200: "
                + ", ".join(f"{r.page.label} ({r.page.role}: {r.status})" for r in failed)
            )
        if differ:
            problems.append(
                "first pages that differ from the hand-written query: "
                + ", ".join(f"{r.page.label} ({r.page.role})" for r in differ)
            )
        if problems:
            raise CommandError("; ".join(problems))

    def _progress(self, line: str) -> None:
        self.stderr.write(f"  {line}")
