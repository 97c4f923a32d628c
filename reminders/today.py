"""The reminders app's sections of 「今日」, for everyone who works cases: monitoring due or
overdue, and cases without a 経過記録 for the agency's own number of days. The same periods
as the reminders (an agency's settings, or the defaults), so the page and the bell agree."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _lazy

from casework import access
from casework.extensions import TodayItem, TodaySection, register_today
from casework.models import CaseAssignment, ContactRecord
from casework.today import case_label, section

from .models import AgencyReminderSettings
from .rules import OPEN_STATUSES, plans_in_force, start_of_day

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from casework.models import StaffMembership


def _mine(user: User, case: str) -> Exists:
    """The case (the outer row's `case`) is assigned to the user now."""
    return Exists(
        CaseAssignment.objects.filter(case_id=OuterRef(case), worker=user, ended_at__isnull=True)
    )


def _days(membership: StaffMembership) -> AgencyReminderSettings:
    return AgencyReminderSettings.objects.filter(
        agency_id=membership.agency_id
    ).first() or AgencyReminderSettings(agency_id=membership.agency_id)


@register_today
def worker_sections(user: User, membership: StaffMembership) -> list[TodaySection]:
    if not membership.handles_cases:
        return []
    today = timezone.localdate()
    periods = _days(membership)
    readable = access.cases_readable_by(user)
    plans = (
        plans_in_force()
        .filter(
            next_monitoring_on__lte=today + datetime.timedelta(days=periods.monitoring_due_days),
            case_id__in=access.readable_case_ids(user),
        )
        .filter(_mine(user, "case_id"))
        .select_related("case__person")
        .order_by("next_monitoring_on", "pk")
    )
    quiet_since = today - datetime.timedelta(days=periods.no_contact_days)
    quiet = (
        readable.filter(status__in=OPEN_STATUSES, opened_on__lte=quiet_since)
        .filter(_mine(user, "pk"))
        .exclude(
            Exists(
                ContactRecord.objects.filter(
                    case_id=OuterRef("pk"),
                    occurred_at__gte=start_of_day(quiet_since + datetime.timedelta(days=1)),
                )
            )
        )
        .select_related("person")
        .order_by("opened_on", "pk")
    )
    my_cases = reverse("casework:my_cases")
    return [
        section(
            "monitoring",
            _lazy("モニタリングの予定と期限超過"),
            plans,
            lambda plan: (
                TodayItem(
                    label=case_label(plan.case),
                    url=plan.get_absolute_url(),
                    when=plan.next_monitoring_on,
                    overdue=plan.next_monitoring_on < today,
                    note=str(_lazy("次回モニタリング")),
                ),
                plan.case,
            ),
            more_url=my_cases,
            late=Q(next_monitoring_on__lt=today),
            empty=_lazy("近くモニタリングの予定はありません。"),
            order=30,
        ),
        section(
            "no_contact",
            _lazy("%(days)d日以上 経過記録のないケース") % {"days": periods.no_contact_days},
            quiet,
            lambda case: (
                TodayItem(
                    label=case_label(case),
                    url=case.get_absolute_url(),
                    when=case.opened_on,
                    overdue=True,
                    note=str(_lazy("受付日")),
                ),
                case,
            ),
            more_url=my_cases,
            late=True,
            empty=_lazy("しばらく接触のないケースはありません。"),
            order=40,
        ),
    ]
