"""outreach's sections of 「今日」: the user's visits of today and those left unrecorded, and
the watch reports of their district that nobody has taken up, with their age."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.db.models import Case as DbCase
from django.db.models import F, IntegerField, Q, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _lazy

from casework.extensions import TodayItem, TodaySection, register_today
from casework.models import OPEN_STATUSES
from casework.templatetags.tsunagu import elapsed
from casework.today import first_and_total
from outreach import access_rules as outreach_access
from outreach import selectors
from outreach.models import ReportState, ReportUrgency
from outreach.views.common import UNLINKED_REPORTS, log_text

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from casework.models import StaffMembership


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


def _visits(user: User) -> TodaySection:
    """Today's visits in the order of the day, then those left unrecorded, latest first."""
    today = timezone.localdate()
    start = _start_of(today)
    late = Q(planned_at__lt=start)
    rows = (
        outreach_access.own_visits(user)
        .filter(
            Q(case__isnull=True) | Q(case__status__in=OPEN_STATUSES),
            result="",
            planned_at__lt=_start_of(today + datetime.timedelta(days=1)),
            planned_at__gte=start - selectors.VISIT_LOOKBACK,
        )
        .select_related(*selectors.VISITED_RELATED)
        .order_by(
            DbCase(When(late, then=Value(1)), default=Value(0), output_field=IntegerField()),
            DbCase(When(late, then=None), default=F("planned_at")).asc(nulls_last=True),
            F("planned_at").desc(),
            "pk",
        )
    )
    shown, total, late_total = first_and_total(rows, late)
    items, cases, persons, unregistered = [], [], [], []
    for visit in shown:
        who = selectors.visited(visit)
        overdue = visit.planned_at < start
        items.append(
            TodayItem(
                label=f"{who.name}({visit.purpose})" if visit.purpose else who.name,
                url=reverse(
                    "outreach:visit_record" if overdue else "outreach:visit_detail",
                    kwargs={"pk": visit.pk},
                ),
                when=visit.planned_at,
                overdue=overdue,
                note=str(_lazy("結果が未記録")) if overdue else "",
            )
        )
        if who.case is not None:
            cases.append(who.case)
        elif who.person is not None:
            persons.append(who.person)
        elif visit.report_id:
            # Someone not registered yet, named as the report names them.
            unregistered.append(f"No.{visit.report_id}")
    return TodaySection(
        key="visits",
        title=_lazy("今日の訪問と結果の未記録"),
        items=items,
        total=total,
        overdue_total=late_total,
        more_url=reverse("outreach:visits"),
        empty=_lazy("今日の訪問予定はありません。"),
        order=20,
        cases=cases,
        persons=persons,
        log_note=(
            log_text(UNLINKED_REPORTS, numbers="、".join(unregistered)) if unregistered else ""
        ),
    )


def _reports(user: User, membership: StaffMembership) -> TodaySection:
    now = timezone.now()
    district = membership.agency.district
    rows = selectors.triage_queue(user, district=district).filter(state=ReportState.NEW)
    urgent_since = now - selectors.URGENT_REPORT_AFTER
    late = Q(urgency=ReportUrgency.URGENT, received_at__lte=urgent_since) | Q(
        received_at__lte=now - selectors.REPORT_AFTER
    )
    shown, total, late_total = first_and_total(rows, late)
    items = []
    for report in shown:
        items.append(
            TodayItem(
                label=f"No.{report.pk} {report.get_urgency_display()}",
                url=reverse("outreach:report_detail", kwargs={"pk": report.pk}),
                when=report.received_at,
                overdue=selectors.report_is_late(report, now),
                note=str(_lazy("受付から%(age)s") % {"age": elapsed(report.received_at)}),
            )
        )
    unlinked = [f"No.{r.pk}" for r in shown if not r.case_id and not r.person_id]
    return TodaySection(
        key="reports",
        title=_lazy("未対応の見守り通報"),
        items=items,
        total=total,
        overdue_total=late_total,
        more_url=reverse("outreach:reports"),
        empty=_lazy("未対応の見守り通報はありません。"),
        order=25,
        cases=[r.case_id for r in shown if r.case_id],
        persons=[r.person_id for r in shown if r.person_id],
        log_note=log_text(UNLINKED_REPORTS, numbers="、".join(unlinked)) if unlinked else "",
    )


@register_today
def outreach_sections(user: User, membership: StaffMembership) -> list[TodaySection]:
    if not membership.handles_cases:
        return []
    return [_visits(user), _reports(user, membership)]
