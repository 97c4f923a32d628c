"""`manage.py bench_build --scale N [--seed S]`: a bench world of 10,000 × N cases.

At --scale 10: 100,000 cases and as many persons, 1,000,000 contact records (each with its
first version), about 300 staff in 30 agencies, and the shares, referrals, plans, visits,
reports, meetings, notifications, access-log rows and object permissions in proportion.
Written with COPY on PostgreSQL (bulk_create elsewhere) in one transaction. It refuses a
database that holds any case, person or user of its own. See docs/performance.md.
"""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.utils import translation

from bench import staff
from bench.build import LOG_INDEX, Build, refusal
from bench.verify import check_grants
from casework.models import District


class Command(BaseCommand):
    help = "Build a bench world of 10,000 × SCALE cases on an empty database."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--scale",
            type=float,
            default=1.0,
            help="10,000 cases per unit: 10 is ten times the ward; 0.02 a tiny world for tests",
        )
        parser.add_argument("--seed", type=int, default=15)
        parser.add_argument(
            "--verify",
            type=int,
            default=200,
            help="check this many (case, user) pairs against the access rules (0: none)",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even with DEBUG off. Its accounts share one published password.",
        )

    def handle(
        self, *args: Any, scale: float, seed: int, verify: int, force: bool, **options: Any
    ) -> None:
        if not settings.DEBUG and not force:
            raise CommandError(
                "bench_build refuses to run with DEBUG off: its accounts share one published "
                "password. Use --force only on a disposable bench database."
            )
        if not 0 < scale <= 1000:
            raise CommandError("--scale must be above 0 (and at most 1000)")
        why = refusal()
        if why:
            raise CommandError(why)
        if District.objects.count() == 0:
            raise CommandError("No districts: run `manage.py migrate` first.")
        started = time.perf_counter()
        build = Build(scale, seed, self.stdout)
        database = connection.settings_dict.get("NAME")
        self.stdout.write(
            f"bench_build --scale {scale:g} --seed {seed} on {connection.vendor} ({database}): "
            f"{build.sizes.cases:,} cases, {build.sizes.contacts:,} contact records, "
            f"{build.sizes.agencies} agencies"
        )
        with translation.override(settings.LANGUAGE_CODE):
            build.run()
        total = time.perf_counter() - started
        self.stdout.write(
            f"  {'total':<42} {sum(build.w.counts.values()):>10,} rows {total:8.1f} s"
        )
        self.stdout.write("\nRows written:")
        for label, count in sorted(build.w.counts.items()):
            self.stdout.write(f"  {label:<48} {count:>12,}")
        if LOG_INDEX is not None and LOG_INDEX._meta.label not in build.w.counts:
            filed = LOG_INDEX._base_manager.filter(log_id__gte=build.first_log_id).count()
            label = f"{LOG_INDEX._meta.label} (filed by the database)"
            self.stdout.write(f"  {label:<48} {filed:>12,}")
        if verify:
            checked, wrong = check_grants(sample=verify, seed=seed)
            if wrong:
                raise CommandError(
                    f"{len(wrong)} of {checked} (case, user) pairs hold other grants than the "
                    f"access rules justify, e.g. {wrong[:3]}"
                )
            self.stdout.write(
                f"\nGrants checked against the access rules: {checked} (case, user) pairs, "
                "all as sync_case_grants would store them."
            )
        self.stdout.write(
            f"\nEvery bench account's password: {staff.PASSWORD}\n"
            f"  {staff.CSW} (CSW, {build.bench_case_open()} open cases), "
            f"{staff.SUPERVISOR} (supervisor of the large agency, "
            f"{build.large_agency_cases():,} cases), {staff.CONSULTATION}, {staff.OFFICER}, "
            f"{staff.ADMIN}; the others are {staff.USER_PREFIX}aNN_<role>NN."
        )
