"""Reads of assessments, plans, their actions and monitoring."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, QuerySet

from casework.models import (
    Assessment,
    Case,
    MonitoringEntry,
    PlanAction,
    PlanState,
    SupportPlan,
)


def monitored_since_due(plan: str = "pk") -> Exists:
    """The plan (the outer row's `plan`) has a monitoring or 評価 on or after its next
    monitoring date: that date is done, even if no next one was set. The reminders, 今日 and
    the 期限超過 marks share this rule."""
    return Exists(
        MonitoringEntry.objects.filter(
            plan_id=OuterRef(plan), monitored_on__gte=OuterRef("next_monitoring_on")
        )
    )


def latest_assessment(case: Case) -> Assessment | None:
    return case.assessments.order_by("-version").first()


def current_plan(case: Case) -> SupportPlan | None:
    """The approved plan in force, with its actions (the starting point of a revision)."""
    return case.plans.filter(state=PlanState.APPROVED).prefetch_related("actions").first()


def plan_actions(plan: SupportPlan) -> QuerySet[PlanAction]:
    return plan.actions.select_related("agency")


def plan_monitoring(plan: SupportPlan) -> QuerySet[MonitoringEntry]:
    return plan.monitoring.select_related("author")
