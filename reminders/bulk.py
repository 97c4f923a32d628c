"""Many cases at once, for the reminder benchmark and the worker tests.

Rows are inserted with bulk_create, not through the services: this builds load, it is not
how users record anything.
"""

from __future__ import annotations

import datetime
import random
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from casework.models import (
    Assessment,
    Case,
    CaseAssignment,
    CaseStatus,
    ContactRecord,
    ContactRecordVersion,
    Person,
    PlanState,
    SupportPlan,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from casework.models import Agency

BATCH = 5000


@transaction.atomic
def build_cases(
    n: int,
    *,
    agency: Agency,
    workers: list[User],
    supervisor: User,
    quiet_days: int = 0,
    with_plans: bool = False,
    contacts_per_case: int = 0,
    seed: int = 7,
) -> list[int]:
    """`n` open cases of `agency`, spread over `workers`, and return their ids.

    quiet_days: the cases were opened that many days ago and have had no contact since.
    with_plans: each case has an approved plan whose next monitoring date is spread over
    the two months around today, so every plan rule has something to find.
    contacts_per_case: contact records spread over the past year (none when quiet_days).
    """
    rng = random.Random(seed)
    today = timezone.localdate()
    now = timezone.now()
    opened = today - datetime.timedelta(days=max(quiet_days, 400))
    persons = Person.objects.bulk_create(
        [
            Person(
                family_name="負荷",
                given_name=f"{i:06d}",
                family_name_kana="ふか",
                given_name_kana="てすと",
                search_key=f"ふかてすと{i:06d}",
                registered_by_agency=agency,
            )
            for i in range(n)
        ],
        batch_size=BATCH,
    )
    cases = Case.objects.bulk_create(
        [
            Case(
                person=p,
                owning_agency=agency,
                opened_on=opened,
                status=CaseStatus.SUPPORT if with_plans else CaseStatus.INTAKE,
                main_concern="income",
                created_by=supervisor,
            )
            for p in persons
        ],
        batch_size=BATCH,
    )
    CaseAssignment.objects.bulk_create(
        [
            CaseAssignment(case=c, worker=workers[i % len(workers)], assigned_by=supervisor)
            for i, c in enumerate(cases)
        ],
        batch_size=BATCH,
    )
    if with_plans:
        assessments = Assessment.objects.bulk_create(
            [
                Assessment(
                    case=c,
                    version=1,
                    assessed_on=opened,
                    author=supervisor,
                    summary="負荷試験",
                )
                for c in cases
            ],
            batch_size=BATCH,
        )
        SupportPlan.objects.bulk_create(
            [
                SupportPlan(
                    case=c,
                    version=1,
                    state=PlanState.APPROVED,
                    assessment=a,
                    long_term_goal="負荷試験",
                    short_term_goals="負荷試験",
                    period_start=opened,
                    period_end=today + datetime.timedelta(days=365),
                    next_monitoring_on=today + datetime.timedelta(days=rng.randint(-30, 30)),
                    author=workers[0],
                    submitted_at=now,
                    approved_by=supervisor,
                    approved_at=now,
                )
                for c, a in zip(cases, assessments, strict=True)
            ],
            batch_size=BATCH,
        )
    if contacts_per_case and not quiet_days:
        rows = []
        for c in cases:
            for _ in range(contacts_per_case):
                rows.append(
                    ContactRecord(
                        case=c,
                        worker=workers[0],
                        occurred_at=now - datetime.timedelta(minutes=rng.randint(60, 525600)),
                        method="phone",
                        minutes=10,
                        summary="負荷試験",
                    )
                )
            if len(rows) >= BATCH:
                _contacts_create(rows)
                rows = []
        _contacts_create(rows)
    return [c.pk for c in cases]


def _contacts_create(rows: list[ContactRecord]) -> None:
    """Each 経過記録 with its first version, as the service writes them."""
    ContactRecord.objects.bulk_create(rows, batch_size=BATCH)
    ContactRecordVersion.objects.bulk_create(
        [
            ContactRecordVersion(
                record=r,
                number=1,
                occurred_at=r.occurred_at,
                method=r.method,
                minutes=r.minutes,
                summary=r.summary,
                next_action=r.next_action,
                author=r.worker,
            )
            for r in rows
        ],
        batch_size=BATCH,
    )
