"""python manage.py reminders_benchmark [--cases 100000]

Prints how long one reminder scan takes, and how many queries it issues, over that many
open cases with approved plans and contact records. It fills the configured database, so
it refuses one that already holds cases: point DATABASE_URL at an empty database.
A benchmark prints figures; it is not a test and asserts nothing about time.
"""

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.test.utils import CaptureQueriesContext

from casework.models import Agency, Case, Role, StaffMembership
from reminders import bulk, services
from reminders.models import Reminder


class Command(BaseCommand):
    help = "Time one reminder scan over many open cases and plans."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--cases", type=int, default=100_000)
        parser.add_argument("--contacts-per-case", type=int, default=3)
        parser.add_argument("--repeat", type=int, default=3)

    def handle(
        self, *args: Any, cases: int, contacts_per_case: int, repeat: int, **options: Any
    ) -> None:
        if Case.objects.exists():
            raise CommandError("this database already holds cases: use an empty one")
        from django.contrib.auth import get_user_model

        User = get_user_model()
        agency = Agency.objects.create(name="負荷試験機関", kind=Agency.Kind.CSW)
        supervisor = User.objects.create(username="bench_sv")
        StaffMembership.objects.create(user=supervisor, agency=agency, role=Role.SUPERVISOR)
        workers = []
        for i in range(50):
            worker = User.objects.create(username=f"bench_csw{i:02d}")
            StaffMembership.objects.create(user=worker, agency=agency, role=Role.CSW)
            workers.append(worker)

        self.stdout.write(f"database: {connection.vendor}")
        started = time.perf_counter()
        bulk.build_cases(
            cases,
            agency=agency,
            workers=workers,
            supervisor=supervisor,
            with_plans=True,
            contacts_per_case=contacts_per_case,
        )
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("ANALYZE")
        self.stdout.write(
            f"built {cases:,} open cases with approved plans and "
            f"{cases * contacts_per_case:,} contact records in "
            f"{time.perf_counter() - started:.1f} s"
        )
        for run in range(1, repeat + 1):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                added = services.reminder_scan()
                elapsed = time.perf_counter() - started
            self.stdout.write(
                f"scan {run}: {elapsed:.2f} s, {len(queries)} queries, "
                f"{sum(added.values()):,} new reminders "
                f"({', '.join(f'{k} {v:,}' for k, v in added.items())})"
            )
        self.stdout.write(f"reminders in the table: {Reminder.objects.count():,}")
