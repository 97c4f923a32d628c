"""Reads of assessments, plans, their actions and monitoring."""

from __future__ import annotations

from django.db.models import QuerySet

from casework.models import (
    Assessment,
    Case,
    MonitoringEntry,
    PlanAction,
    PlanState,
    SupportPlan,
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
