"""outreach's sections of 「今日」: the user's visits of today and those left unrecorded, and
the watch reports of their district that nobody has taken up, with their age."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _lazy

from casework.extensions import TodayItem, TodaySection, register_today
from casework.templatetags.tsunagu import elapsed
from casework.today import first_and_total
from outreach import selectors
from outreach.models import OutreachVisit, ReportState
from outreach.views.common import UNLINKED_REPORTS, log_text

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from casework.models import StaffMembership

# As the reminders: an unrecorded visit older than this is left to the caseload review.
VISIT_LOOKBACK = datetime.timedelta(days=60)


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


def _visits(user: User) -> TodaySection:
    today = timezone.localdate()
    start = _start_of(today)
    rows = (
        OutreachVisit.objects.filter(
            staff=user,
            result="",
            planned_at__lt=_start_of(today + datetime.timedelta(days=1)),
            planned_at__gte=start - VISIT_LOOKBACK,
        )
        .select_related(*selectors.VISITED_RELATED)
        .order_by("planned_at", "pk")
    )
    shown, total = first_and_total(rows)
    items, cases, persons = [], [], []
    for visit in shown:
        who = selectors.visited(visit)
        late = visit.planned_at < start
        items.append(
            TodayItem(
                label=f"{who.name}({visit.purpose})" if visit.purpose else who.name,
                url=reverse(
                    "outreach:visit_record" if late else "outreach:visit_detail",
                    kwargs={"pk": visit.pk},
                ),
                when=visit.planned_at,
                overdue=late,
                note=str(_lazy("結果が未記録")) if late else "",
            )
        )
        if who.case is not None:
            cases.append(who.case)
        elif who.person is not None:
            persons.append(who.person)
    return TodaySection(
        key="visits",
        title=_lazy("今日の訪問と結果の未記録"),
        items=items,
        total=total,
        more_url=reverse("outreach:visits"),
        empty=_lazy("今日の訪問予定はありません。"),
        order=20,
        cases=cases,
        persons=persons,
    )


def _reports(user: User, membership: StaffMembership) -> TodaySection:
    now = timezone.now()
    district = membership.agency.district
    rows = selectors.triage_queue(user, district=district).filter(state=ReportState.NEW)
    shown, total = first_and_total(rows)
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
