"""`manage.py seed_indicators`: demo survey and reported figures and a snapshot per plan
year (approved up to last year, a draft for this year), computed from the demo records.

Run by seed_demo after the other seeders. Idempotent: once any indicator figure or snapshot
exists it does nothing. Refuses DEBUG off unless --force.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from casework.models import Role
from casework.wareki import fiscal_year_bounds
from indicators import services
from indicators.definitions import PLAN_FIRST_FY
from indicators.models import ReportedFigure, Snapshot, SurveyResult
from indicators.selectors import current_fiscal_year

OFFICER = "shihyo_keikaku"
# (code, percent in FY2022, yearly change): the resident survey, taken each July.
SURVEYS = [
    ("P1", Decimal("37.2"), Decimal("1.8")),
    ("P1-1a", Decimal("51.5"), Decimal("1.2")),
    ("P1-1b", Decimal("21.9"), Decimal("0.4")),
    ("P2", Decimal("40.1"), Decimal("1.5")),
    ("P2-2a", Decimal("38.0"), Decimal("2.6")),
]
# (code, reporting body, count in FY2022, yearly change), as of April 1.
REPORTS = [
    ("P2-2b", "目黒区老人クラブ連合会", 3810, 35),
    ("P2-2c", "公益社団法人目黒区シルバー人材センター", 1240, 48),
]


class Command(BaseCommand):
    help = "Create demo indicator figures and snapshots (after seed_demo)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--force", action="store_true", help="Run even with DEBUG off.")

    def handle(self, *args: Any, force: bool = False, **options: Any) -> None:
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_indicators refuses to run with DEBUG off. Use --force only on a "
                "disposable demo database."
            )
        if (
            Snapshot.objects.exists()
            or SurveyResult.objects.exists()
            or ReportedFigure.objects.exists()
        ):
            self.stdout.write("Indicator demo data exists already: nothing to do.")
            return
        officer = (
            get_user_model()
            .objects.filter(username=OFFICER, membership__role=Role.INDICATOR_OFFICER)
            .first()
        )
        if officer is None:
            raise CommandError("Run seed_demo first: the demo indicator officer is missing.")
        this_year = current_fiscal_year()
        years = range(PLAN_FIRST_FY, this_year + 1)
        with transaction.atomic():
            for n, fy in enumerate(years):
                start, _end = fiscal_year_bounds(fy)
                survey_day = datetime.date(fy, 7, 15)
                if fy < this_year:
                    for code, first, step in SURVEYS:
                        services.survey_record(
                            actor=officer,
                            indicator=code,
                            percent=first + step * n,
                            respondents=1400 + 37 * n,
                            survey_name="目黒区区民意識調査",
                            surveyed_on=survey_day,
                        )
                for code, body, count, change in REPORTS:
                    services.reported_record(
                        actor=officer,
                        indicator=code,
                        value=count + change * n,
                        reporting_body=body,
                        as_of=start,
                        note="4月1日現在の会員数",
                    )
            for fy in years:
                snapshot = services.snapshot_compute(actor=officer, fiscal_year=fy)
                if fy < this_year:
                    services.snapshot_approve(actor=officer, snapshot=snapshot)
        self.stdout.write(
            f"Created indicator figures and {len(years)} snapshots "
            f"(approved up to FY{this_year - 1}, a draft for FY{this_year})."
        )
