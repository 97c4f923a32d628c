"""`manage.py indicators_benchmark`: time the roll-up of one fiscal year over a large ward.

PostgreSQL only. Inside one transaction that is rolled back at the end (the database is
left as it was), it generates --cases cases (and as many persons), --contacts contact
records and the programme, group and event records the indicators read, with set-based
`INSERT … SELECT generate_series` statements, then rolls one fiscal year up and prints the
time and the number of queries. A benchmark, not a test: it asserts nothing.
"""

from __future__ import annotations

import time
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from casework.models import Agency, District
from indicators import services
from indicators.rollup import roll_up
from indicators.selectors import current_fiscal_year

STATEMENTS = [
    (
        "persons",
        """
        INSERT INTO casework_person (family_name, given_name, family_name_kana, given_name_kana,
            search_key, birth_date, sex, address, district_id, phone, registered_by_agency_id,
            created_at)
        SELECT '負荷', 'テスト' || g, 'ふか', 'てすと', 'ふかてすと' || g,
            date '1935-01-01' + (g * 7919 %% 30000)::int,
            (ARRAY['male','female','other','unknown'])[1 + g %% 4],
            '', (%(districts)s)[1 + g %% 5], '', %(agency)s, now()
        FROM generate_series(1, %(cases)s) g
        """,
    ),
    (
        "cases",
        """
        INSERT INTO casework_case (person_id, owning_agency_id, opened_on, status, main_concern,
            closed_on, created_by_id, created_at)
        SELECT p.id, %(agency)s, date '2019-04-01' + (p.id %% 2500)::int, 'support', 'income',
            NULL, %(user)s, now()
        FROM casework_person p WHERE p.family_name = '負荷'
        """,
    ),
    (
        "contact records",
        """
        INSERT INTO casework_contactrecord (case_id, worker_id, occurred_at, method, minutes,
            summary, next_action, created_at)
        SELECT c.id, %(user)s,
            timestamptz '2019-04-01 09:00+09' + (g * 37 %% 2500) * interval '1 day',
            'phone', 15, '負荷試験の記録', '', now()
        FROM (SELECT id, row_number() OVER (ORDER BY id) AS n FROM casework_case
              WHERE created_by_id = %(user)s) c
        JOIN generate_series(1, %(contacts)s) g ON c.n = 1 + (g %% %(cases)s)
        """,
    ),
    (
        "programme enrolments",
        """
        INSERT INTO casework_programmeenrolment (case_id, person_id, programme, enrolled_on,
            left_on, recorded_by_id, created_at)
        SELECT c.id, c.person_id, CASE WHEN c.id %% 2 = 0 THEN 'child_study' ELSE 'employment' END,
            date '2019-04-01' + (c.id %% 2500)::int, date '2019-04-01' + (c.id %% 2500)::int + 200,
            %(user)s, now()
        FROM casework_case c WHERE c.created_by_id = %(user)s AND c.id %% 5 < 3
        """,
    ),
    (
        "programme outcomes",
        """
        INSERT INTO casework_programmeoutcome (enrolment_id, kind, achieved_on, note,
            recorded_by_id)
        SELECT e.id, CASE WHEN e.id %% 3 = 0 THEN 'income_up' ELSE 'employed' END,
            e.enrolled_on + 90, '', %(user)s
        FROM casework_programmeenrolment e
        WHERE e.recorded_by_id = %(user)s AND e.programme = 'employment'
        """,
    ),
    (
        "activity groups",
        """
        INSERT INTO outreach_activitygroup (name, kind, is_care_prevention, district_id, venue,
            capacity, supporting_agency_id, started_on, ended_on, created_by_id)
        SELECT '負荷グループ' || g, (ARRAY['exercise','salon','nutrition_oral'])[1 + g %% 3],
            g %% 2 = 0, (%(districts)s)[1 + g %% 5], '', NULL, %(agency)s, date '2019-04-01',
            NULL, %(user)s
        FROM generate_series(1, 500) g
        """,
    ),
    (
        "group sessions",
        """
        INSERT INTO outreach_groupsession (group_id, held_on, attendance, recorded_by_id)
        SELECT gr.id, date '2019-04-01' + d::int, 5 + (gr.id + d) %% 20, %(user)s
        FROM outreach_activitygroup gr CROSS JOIN generate_series(0, 2599, 13) d
        WHERE gr.created_by_id = %(user)s
        """,
    ),
    (
        "group participants",
        """
        INSERT INTO outreach_groupparticipant (group_id, person_id, joined_on, left_on,
            in_community_activity, recorded_by_id)
        SELECT gr.id, p.id, date '2019-04-01' + (p.id %% 2500)::int, NULL, p.id %% 4 = 0, %(user)s
        FROM (SELECT id, row_number() OVER (ORDER BY id) AS n FROM outreach_activitygroup
              WHERE created_by_id = %(user)s) gr
        JOIN casework_person p ON p.family_name = '負荷' AND p.id %% 500 = gr.n - 1
        WHERE p.id %% 2 = 0
        """,
    ),
    (
        "awareness events and services",
        """
        INSERT INTO outreach_awarenessevent (title, theme, category, held_on, district_id,
            participants, organizer_id, recorded_by_id, created_at)
        SELECT '負荷講演会' || g, (ARRAY['help_seeking','dementia'])[1 + g %% 2], 'lecture',
            date '2019-04-01' + (g %% 2500)::int, (%(districts)s)[1 + g %% 6], 10 + g %% 90,
            %(agency)s, %(user)s, now()
        FROM generate_series(1, 5000) g;
        INSERT INTO outreach_lifesupportservice (name, kind, district_id, created_on, council,
            supported_by_id, description, recorded_by_id)
        SELECT '負荷サービス' || g, 'watching', (%(districts)s)[1 + g %% 5],
            date '2019-04-01' + (g %% 2500)::int, '協議体', NULL, '', %(user)s
        FROM generate_series(1, 2000) g
        """,
    ),
]


class _Rollback(Exception):
    pass


class Command(BaseCommand):
    help = "Benchmark the indicators roll-up over generated records (PostgreSQL only)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--cases", type=int, default=100_000)
        parser.add_argument("--contacts", type=int, default=1_000_000)
        parser.add_argument("--fy", type=int, default=None)

    def handle(self, *args: Any, cases: int, contacts: int, fy: int | None, **options: Any) -> None:
        if connection.vendor != "postgresql":
            raise CommandError("indicators_benchmark needs PostgreSQL (DATABASE_URL=postgres://…)")
        if cases < 1 or contacts < 0:
            raise CommandError("--cases must be positive and --contacts not negative")
        fy = fy or current_fiscal_year() - 1
        try:
            with transaction.atomic():
                self._run(cases, contacts, fy)
                raise _Rollback
        except _Rollback:
            self.stdout.write("rolled back: the database is as it was")

    def _run(self, cases: int, contacts: int, fy: int) -> None:
        agency = Agency.objects.create(name="負荷試験機関", kind=Agency.Kind.OTHER)
        user = get_user_model().objects.create(username="indicators_benchmark")
        districts = list(District.objects.order_by("sort_order").values_list("pk", flat=True))
        params: dict[str, int | list[int | None]] = {
            "agency": agency.pk,
            "user": user.pk,
            "cases": cases,
            "contacts": contacts,
            "districts": [*districts[:5], None],
        }
        with connection.cursor() as cursor:
            for label, sql in STATEMENTS:
                started = time.perf_counter()
                for statement in sql.split(";"):
                    if statement.strip():
                        cursor.execute(statement, params)
                self.stdout.write(f"generated {label}: {time.perf_counter() - started:.1f}s")
            started = time.perf_counter()
            cursor.execute("ANALYZE")
            self.stdout.write(f"ANALYZE: {time.perf_counter() - started:.1f}s")
            counts = {}
            for table in (
                "casework_case",
                "casework_contactrecord",
                "casework_programmeenrolment",
                "casework_programmeoutcome",
                "outreach_groupsession",
                "outreach_groupparticipant",
                "outreach_awarenessevent",
                "outreach_lifesupportservice",
            ):
                cursor.execute(f"SELECT count(*) FROM {table}")
                counts[table] = cursor.fetchone()[0]
        for table, n in counts.items():
            self.stdout.write(f"  {table}: {n:,} rows")

        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            figures = roll_up(fy)
            elapsed = time.perf_counter() - started
        self.stdout.write(
            f"roll-up of FY{fy}: {elapsed:.3f}s, {len(queries)} queries "
            f"(children {figures.persons['P1-3a'].total:,}, "
            f"into work {figures.persons['P1-3b'].total:,}, "
            f"attendances {sum(figures.counts['P2-1a'].values()):,})"
        )
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            services.snapshot_compute(actor=None, fiscal_year=fy, via="command")
            elapsed = time.perf_counter() - started
        self.stdout.write(
            f"full snapshot (roll-up, suppression, survey and reported figures, save): "
            f"{elapsed:.3f}s, {len(queries)} queries"
        )
