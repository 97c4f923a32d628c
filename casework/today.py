"""casework's sections of 「今日」: for supervisors, what waits for them in their agency.

The sections of the other apps (visits and reports, referrals, monitoring and contact) are
registered by those apps (`casework.extensions.register_today`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Sum, Value, When, Window
from django.urls import reverse
from django.utils.translation import gettext_lazy as _lazy

from casework import selectors
from casework.extensions import TodayItem, TodaySection, register_today
from casework.models import Role

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from casework.models import StaffMembership

# Each section shows this many lines and counts the rest.
SHOWN = 10


def case_label(case: Any) -> str:
    return f"{case.number} {case.person}"


def first_and_total(rows: QuerySet[Any], late: Q | bool = False) -> tuple[list[Any], int, int]:
    """The first SHOWN of `rows`, how many there are, and how many of them all are late
    (`late`: a condition on the rows, or True for every row, False for none), in one
    statement (window aggregates over the whole result, on each row): one query a section,
    whatever the number of rows. `rows` must not be DISTINCT (the window would count the
    duplicates)."""
    rows = rows.annotate(today_total=Window(Count("pk")))
    if isinstance(late, Q):
        flag = Case(When(late, then=Value(1)), default=Value(0), output_field=IntegerField())
        rows = rows.annotate(today_late=Window(Sum(flag)))
    shown = list(rows[:SHOWN])
    if not shown:
        return shown, 0, 0
    total = shown[0].today_total
    if isinstance(late, Q):
        return shown, total, shown[0].today_late
    return shown, total, total if late else 0


def section(
    key: str, title: Any, rows: QuerySet[Any], line: Any, *, late: Q | bool = False, **fields: Any
) -> TodaySection:
    """A section of the first SHOWN `rows`, made into lines by `line(row)`, which returns
    (TodayItem, the row's case or None); `late` as for `first_and_total`."""
    shown, total, late_total = first_and_total(rows, late)
    items, cases = [], []
    for row in shown:
        item, case = line(row)
        items.append(item)
        if case is not None:
            cases.append(case)
    return TodaySection(
        key=key,
        title=title,
        items=items,
        total=total,
        overdue_total=late_total,
        cases=cases,
        **fields,
    )


@register_today
def supervisor_sections(user: User, membership: StaffMembership) -> list[TodaySection]:
    if membership.role != Role.SUPERVISOR:
        return []
    caseload = reverse("casework:caseload")
    return [
        section(
            "plans_awaiting",
            _lazy("承認待ちの支援プラン"),
            selectors.plans_awaiting_approval(user),
            lambda plan: (
                TodayItem(
                    label=f"{case_label(plan.case)} {plan}",
                    url=plan.get_absolute_url(),
                    when=plan.submitted_at,
                    note=str(plan.author.get_full_name() or plan.author.get_username()),
                ),
                plan.case,
            ),
            more_url=caseload,
            empty=_lazy("承認待ちの支援プランはありません。"),
            order=10,
        ),
        section(
            "closures_awaiting",
            _lazy("終結の承認待ち"),
            selectors.closures_awaiting_decision(user),
            lambda request: (
                TodayItem(
                    label=f"{case_label(request.case)} {request.get_reason_display()}",
                    url=request.case.get_absolute_url(),
                    when=request.requested_at,
                ),
                request.case,
            ),
            more_url=caseload,
            empty=_lazy("終結の承認待ちはありません。"),
            order=11,
        ),
        section(
            "unassigned",
            _lazy("担当者なしのケース"),
            selectors.unassigned_cases(user),
            lambda case: (
                TodayItem(label=case_label(case), url=case.get_absolute_url(), when=case.opened_on),
                case,
            ),
            more_url=reverse("casework:caseload_unassigned"),
            empty=_lazy("担当者のいないケースはありません。"),
            order=12,
        ),
    ]
