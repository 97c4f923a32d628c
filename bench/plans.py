"""bench_build's assessments, support plans (with their actions and contributors) and
monitoring, as far as each case's status has gone."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from bench.names import ASSESSMENT_TEXTS, PLAN_ACTIONS, PLAN_GOALS
from bench.records import HOUR, m2m_fields
from bench.world import DAY, STATUS_PATH, CaseRow, between, office_time
from bench.writer import Ids
from casework.models import (
    Assessment,
    CaseStatus,
    GuardianshipNeed,
    MonitoringEntry,
    MonitoringKind,
    MonitoringProgress,
    PlanAction,
    PlanState,
    SupportPlan,
)

if TYPE_CHECKING:
    from bench.build import Build


ASSESSMENT_FIELDS = (
    "id",
    "case_id",
    "version",
    "assessed_on",
    "author_id",
    "health",
    "housing",
    "income",
    "family",
    "guardianship_need",
    "abuse_suspected",
    "abuse_note",
    "summary",
    "created_at",
)
PLAN_FIELDS = (
    "id",
    "case_id",
    "version",
    "revision",
    "state",
    "assessment_id",
    "long_term_goal",
    "short_term_goals",
    "services_used",
    "period_start",
    "period_end",
    "next_monitoring_on",
    "author_id",
    "created_at",
    "submitted_at",
    "approved_by_id",
    "approved_at",
    "superseded_at",
    "return_note",
)


def plans(b: Build) -> None:
    rng = b.rng
    assessments, plan_ids = Ids(Assessment), Ids(SupportPlan)
    contributors = SupportPlan.contributors.through
    contributor_fields = m2m_fields(SupportPlan, "contributors")
    action_fields = ("plan_id", "description", "agency_id", "frequency", "sort_order")
    monitoring_fields = (
        "plan_id",
        "kind",
        "monitored_on",
        "progress",
        "notes",
        "next_monitoring_on",
        "author_id",
        "created_at",
    )

    def assessment(c: CaseRow, version: int, day: datetime.date, author: int) -> int:
        pk = assessments.take()
        abuse = rng.random() < 0.03
        row = (
            pk, c.id, version, day, author, rng.choice(ASSESSMENT_TEXTS),
            rng.choice(ASSESSMENT_TEXTS), rng.choice(ASSESSMENT_TEXTS), "",
            rng.choices(GuardianshipNeed.values, (80, 12, 5, 3))[0], abuse,
            "家族からの経済的虐待の疑いがある。" if abuse else "",
            "生活の立て直しに向けて継続した支援が必要。", min(office_time(rng, day), b.now),
        )  # fmt: skip
        b.w.add(Assessment, ASSESSMENT_FIELDS, row)
        return pk

    def plan(
        c: CaseRow,
        version: int,
        state: str,
        based_on: int,
        day: datetime.date,
        author: int,
        superseded: datetime.datetime | None = None,
        next_on: datetime.date | None = None,
    ) -> int:
        pk = plan_ids.take()
        made = min(office_time(rng, day), b.now)
        submitted = made + HOUR * 4 if state != PlanState.DRAFT else None
        approved = made + DAY * rng.randint(1, 7) if state in _DECIDED else None
        if approved is not None:
            approved = min(approved, b.now)
        row = (
            pk, c.id, version, 1, state, based_on, rng.choice(PLAN_GOALS),
            "毎月の収支を確認し、必要な手続きを一緒に進める。", "家計改善支援事業", day,
            day + DAY * rng.randint(180, 365), next_on or day + DAY * 90, author, made,
            submitted, b.supervisor(c.agency) if approved else None, approved, superseded, "",
        )  # fmt: skip
        b.w.add(SupportPlan, PLAN_FIELDS, row)
        b.w.add(contributors, contributor_fields, (pk, author))
        for k, (what, how_often) in enumerate(rng.sample(PLAN_ACTIONS, rng.randint(1, 3))):
            agency = b.agency_id(rng.randrange(len(b.org.agencies)))
            b.w.add(PlanAction, action_fields, (pk, what, agency, how_often, k))
        return pk

    for c in b.world.cases:
        reach = STATUS_PATH.index(CaseStatus(c.final))
        if reach < 2:
            continue
        author = c.worker or c.creator
        end = c.end
        first_day = between(rng, c.opened_on + DAY * 3, min(c.opened_on + DAY * 30, end))
        first = assessment(c, 1, first_day, author)
        second_day = None
        if reach >= 4 and (end - c.opened_on).days > 200 and rng.random() < 0.12:
            second_day = between(rng, first_day + DAY * 120, end - DAY * 10)
            second = assessment(c, 2, second_day, author)
        if reach < 3:
            continue
        plan_day = between(rng, first_day, min(first_day + DAY * 30, end))
        if reach == 3:
            state = PlanState.SUBMITTED if c.is_open and rng.random() < 0.6 else PlanState.DRAFT
            plan(c, 1, state, first, plan_day, author)
            continue
        if c.is_open:
            next_on = b.today + DAY * rng.randint(-45, 90)
        else:
            next_on = max(plan_day + DAY, end - DAY * rng.randint(0, 60))
        if second_day is not None:
            plan(c, 1, PlanState.SUPERSEDED, first, plan_day, author,
                 superseded=min(office_time(rng, second_day + DAY * 7), b.now))  # fmt: skip
            in_force_day = min(second_day + DAY * 7, end)
            in_force = plan(c, 2, PlanState.APPROVED, second, in_force_day, author, next_on=next_on)
        else:
            in_force_day = plan_day
            in_force = plan(c, 1, PlanState.APPROVED, first, plan_day, author, next_on=next_on)
        if reach == 5:
            for _ in range(rng.randint(1, 3)):
                day = min(between(rng, in_force_day + DAY * 7, end), b.today)
                following = day + DAY * rng.randint(30, 90) if rng.random() < 0.8 else None
                b.w.add(
                    MonitoringEntry,
                    monitoring_fields,
                    (in_force, rng.choice(MonitoringKind.values), day,
                     rng.choice(MonitoringProgress.values), "目標に向けて取り組みが続いている。",
                     following, author, min(office_time(rng, day), b.now)),
                )  # fmt: skip


_DECIDED = (PlanState.APPROVED, PlanState.SUPERSEDED)
