"""The reminder rules. Each rule finds everything it must remind of in one query.

A rule returns candidates: (object, due date, recipient) and what the message needs. The
same query, narrowed to a few objects, decides at delivery time whether a reminder still
applies: a plan monitored, a referral answered, a visit recorded, a case closed or
reassigned, or a supervisor moved elsewhere cancels it.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypedDict, TypeVar, cast

from django.conf import settings
from django.db.models import (
    Case as DbCase,
)
from django.db.models import (
    DateField,
    DateTimeField,
    ExpressionWrapper,
    F,
    Model,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from casework.models import (
    CASE_ROLES,
    Case,
    CaseStatus,
    ContactRecord,
    PlanState,
    Role,
    SupportPlan,
)
from casework.selectors.plans import monitored_since_due
from outreach.models import OutreachVisit, ReportState, ReportUrgency, WatchReport
from outreach.selectors import REPORT_AFTER, URGENT_REPORT_AFTER, VISIT_LOOKBACK
from referrals.models import Referral, ReferralState
from rights.models import RequestState, RightsRequest

from .due import AddDays, setting, unknown
from .models import AgencyReminderSettings, Rule

if TYPE_CHECKING:
    from django.db.models import Field

_M = TypeVar("_M", bound=Model)

OPEN_STATUSES = [s.value for s in CaseStatus if s != CaseStatus.CLOSED]


class Facts(TypedDict, total=False):
    """What a reminder's message says, by rule."""

    case_id: int
    date: datetime.date
    days: int
    at: datetime.datetime
    urgent: bool
    sender: bool
    kind: str


@dataclass(frozen=True)
class Candidate:
    rule: str
    object_id: int
    due_on: datetime.date
    recipient_id: int
    facts: Facts = field(default_factory=Facts, compare=False, hash=False)

    @property
    def key(self) -> tuple[str, int, datetime.date, int]:
        return (self.rule, self.object_id, self.due_on, self.recipient_id)


@dataclass
class ScanContext:
    """The moment of a scan, in Asia/Tokyo, and the agencies' own periods."""

    now: datetime.datetime
    settings: dict[int, AgencyReminderSettings]

    @classmethod
    def load(cls, now: datetime.datetime | None = None) -> ScanContext:
        return cls(
            now=now or timezone.now(),
            settings={s.agency_id: s for s in AgencyReminderSettings.objects.all()},
        )

    @property
    def today(self) -> datetime.date:
        return timezone.localdate(self.now)

    @property
    def zone(self) -> datetime.tzinfo:
        """The ward's time zone: local dates are taken in it, in Python and in SQL."""
        return timezone.get_current_timezone()

    def value(self, agency_id: int, attribute: str) -> int:
        own = self.settings.get(agency_id)
        if own is not None:
            return getattr(own, attribute)
        return cast("Field[int, int]", AgencyReminderSettings._meta.get_field(attribute)).default

    def per_agency(self, attribute: str, agency_path: str, condition: Callable[[int], Q]) -> Q:
        """`condition(days)` for each agency, with each agency's own number of days.

        Agencies sharing a value share one branch, so the query has as many branches as
        there are distinct settings (usually one or two), not one per agency.
        """
        default = cast("Field[int, int]", AgencyReminderSettings._meta.get_field(attribute)).default
        groups: dict[int, list[int]] = {}
        for agency_id, own in self.settings.items():
            groups.setdefault(getattr(own, attribute), []).append(agency_id)
        custom = [pk for value, ids in groups.items() if value != default for pk in ids]
        query = ~Q(**{f"{agency_path}__in": custom}) & condition(default)
        for value, ids in groups.items():
            if value != default:
                query |= Q(**{f"{agency_path}__in": ids}) & condition(value)
        return query


def start_of_day(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _narrow(queryset: QuerySet[_M], object_ids: Iterable[int] | None) -> QuerySet[_M]:
    return queryset if object_ids is None else queryset.filter(pk__in=list(object_ids))


# --- support plans ---------------------------------------------------------------------------
# Every rule takes `new_only`: the scan asks only for keys not stored yet (due.unknown);
# delivery and resolution, narrowed to a few objects, ask for every key that holds.


def plans_in_force() -> QuerySet[SupportPlan]:
    """Approved plans of open cases whose next monitoring date is not done yet."""
    return SupportPlan.objects.filter(
        state=PlanState.APPROVED,
        next_monitoring_on__isnull=False,
        case__status__in=OPEN_STATUSES,
    ).filter(~monitored_since_due())


def plan_monitoring_due(
    ctx: ScanContext, object_ids: Iterable[int] | None = None, *, new_only: bool = False
) -> list[Candidate]:
    """Assigned workers, N days before the next monitoring date and on the day."""
    today = ctx.today
    agency = "case__owning_agency_id"
    window = ctx.per_agency(
        "monitoring_due_days", agency, lambda n: Q(next_monitoring_on__lte=today + _days(n))
    ) & ctx.per_agency(
        "monitoring_overdue_days", agency, lambda m: Q(next_monitoring_on__gt=today - _days(m))
    )
    early = AddDays(
        F("next_monitoring_on"), setting(ctx.settings, "monitoring_due_days", agency, factor=-1)
    )
    rows = (
        _narrow(plans_in_force(), object_ids)
        .filter(window)
        .filter(
            case__assignments__ended_at__isnull=True,
            case__assignments__worker__is_active=True,
            case__assignments__worker__membership__role__in=CASE_ROLES,
        )
        # F() after filter() reuses its join: the worker of that assignment.
        .annotate(
            recipient=F("case__assignments__worker_id"),
            due=DbCase(
                When(next_monitoring_on__gt=today, then=early),
                default=F("next_monitoring_on"),
                output_field=DateField(),
            ),
        )
    )
    if new_only:
        rows = unknown(rows, Rule.PLAN_MONITORING_DUE, recipient="recipient")
    return [
        Candidate(
            Rule.PLAN_MONITORING_DUE, pk, due_on, worker_id, {"case_id": case_id, "date": planned}
        )
        for pk, planned, case_id, due_on, worker_id in rows.values_list(
            "pk", "next_monitoring_on", "case_id", "due", "recipient"
        )
    ]


def plan_monitoring_overdue(
    ctx: ScanContext, object_ids: Iterable[int] | None = None, *, new_only: bool = False
) -> list[Candidate]:
    """The agency's supervisors, M days after a monitoring date that passed unmonitored."""
    today = ctx.today
    agency = "case__owning_agency_id"
    late = ctx.per_agency(
        "monitoring_overdue_days", agency, lambda m: Q(next_monitoring_on__lte=today - _days(m))
    )
    rows = (
        _narrow(plans_in_force(), object_ids)
        .filter(late)
        .filter(
            case__owning_agency__memberships__role=Role.SUPERVISOR,
            case__owning_agency__memberships__user__is_active=True,
        )
        .annotate(
            recipient=F("case__owning_agency__memberships__user_id"),
            due=AddDays(
                F("next_monitoring_on"), setting(ctx.settings, "monitoring_overdue_days", agency)
            ),
        )
    )
    if new_only:
        rows = unknown(rows, Rule.PLAN_MONITORING_OVERDUE, recipient="recipient")
    found = []
    for pk, planned, case_id, agency_id, due_on, supervisor_id in rows.values_list(
        "pk", "next_monitoring_on", "case_id", agency, "due", "recipient"
    ):
        days = ctx.value(agency_id, "monitoring_overdue_days")
        facts: Facts = {"case_id": case_id, "date": planned, "days": days}
        found.append(Candidate(Rule.PLAN_MONITORING_OVERDUE, pk, due_on, supervisor_id, facts))
    return found


# --- referrals -------------------------------------------------------------------------------


def referral_unanswered(
    ctx: ScanContext, object_ids: Iterable[int] | None = None, *, new_only: bool = False
) -> list[Candidate]:
    """The receiving agency's supervisors on the answer-by date and daily after it; from
    the day after, the sending side too: the workers now assigned to the referred case
    (the sender, while it is still theirs)."""
    today = ctx.today
    waiting = _narrow(
        Referral.objects.filter(state=ReferralState.SENT, answer_by__lte=today), object_ids
    ).annotate(due=Value(today, output_field=DateField()))
    supervisors = waiting.filter(
        receiving_agency__memberships__role=Role.SUPERVISOR,
        receiving_agency__memberships__user__is_active=True,
    ).annotate(recipient=F("receiving_agency__memberships__user_id"))
    senders = waiting.filter(
        answer_by__lt=today,
        case__assignments__ended_at__isnull=True,
        case__assignments__worker__is_active=True,
    ).annotate(recipient=F("case__assignments__worker_id"))
    if new_only:
        supervisors = unknown(supervisors, Rule.REFERRAL_UNANSWERED, recipient="recipient")
        senders = unknown(senders, Rule.REFERRAL_UNANSWERED, recipient="recipient")
    found: dict[tuple[str, int, datetime.date, int], Candidate] = {}
    # A supervisor who is also the sender is reminded once, as the receiving side.
    for rows, sender in ((supervisors, False), (senders, True)):
        for pk, answer_by, recipient_id in rows.values_list("pk", "answer_by", "recipient"):
            facts: Facts = {"date": answer_by, "sender": True} if sender else {"date": answer_by}
            candidate = Candidate(Rule.REFERRAL_UNANSWERED, pk, today, recipient_id, facts)
            found.setdefault(candidate.key, candidate)
    return list(found.values())


# --- outreach --------------------------------------------------------------------------------


def _visits_open() -> QuerySet[OutreachVisit]:
    return OutreachVisit.objects.filter(result="").filter(
        Q(case__isnull=True) | Q(case__status__in=OPEN_STATUSES)
    )


def visit_tomorrow(
    ctx: ScanContext, object_ids: Iterable[int] | None = None, *, new_only: bool = False
) -> list[Candidate]:
    """The visiting staff, the day before a planned visit."""
    tomorrow = ctx.today + _days(1)
    rows = (
        _narrow(_visits_open(), object_ids)
        .filter(
            planned_at__gte=start_of_day(tomorrow),
            planned_at__lt=start_of_day(tomorrow + _days(1)),
            staff__is_active=True,
            staff__membership__role__in=CASE_ROLES,
        )
        .annotate(due=Value(ctx.today, output_field=DateField()))
    )
    if new_only:
        rows = unknown(rows, Rule.VISIT_TOMORROW, recipient="staff")
    return [
        Candidate(Rule.VISIT_TOMORROW, pk, ctx.today, staff_id, {"at": planned})
        for pk, planned, staff_id in rows.values_list("pk", "planned_at", "staff")
    ]


def visit_not_recorded(
    ctx: ScanContext, object_ids: Iterable[int] | None = None, *, new_only: bool = False
) -> list[Candidate]:
    """The visiting staff, from the day after a planned visit that has no result."""
    rows = (
        _narrow(_visits_open(), object_ids)
        .filter(
            planned_at__lt=start_of_day(ctx.today),
            planned_at__gte=start_of_day(ctx.today - VISIT_LOOKBACK),
            staff__is_active=True,
            staff__membership__role__in=CASE_ROLES,
        )
        .annotate(due=AddDays(TruncDate("planned_at", tzinfo=ctx.zone), 1))
    )
    if new_only:
        rows = unknown(rows, Rule.VISIT_NOT_RECORDED, recipient="staff")
    return [
        Candidate(Rule.VISIT_NOT_RECORDED, pk, due_on, staff_id, {"at": planned})
        for pk, planned, due_on, staff_id in rows.values_list("pk", "planned_at", "due", "staff")
    ]


def report_untriaged(
    ctx: ScanContext, object_ids: Iterable[int] | None = None, *, new_only: bool = False
) -> list[Candidate]:
    """The district's supervisors, 24 hours after a report that nobody has taken up;
    2 hours after an urgent one."""
    overdue = Q(urgency=ReportUrgency.URGENT, received_at__lte=ctx.now - URGENT_REPORT_AFTER) | Q(
        received_at__lte=ctx.now - REPORT_AFTER
    )
    rows = (
        _narrow(WatchReport.objects.filter(state=ReportState.NEW), object_ids)
        .filter(overdue)
        .filter(
            district__agencies__memberships__role=Role.SUPERVISOR,
            district__agencies__memberships__user__is_active=True,
        )
        .annotate(
            recipient=F("district__agencies__memberships__user_id"),
            due=DbCase(
                When(
                    urgency=ReportUrgency.URGENT,
                    then=_local_date(F("received_at") + URGENT_REPORT_AFTER, ctx),
                ),
                default=_local_date(F("received_at") + REPORT_AFTER, ctx),
                output_field=DateField(),
            ),
        )
    )
    if new_only:
        rows = unknown(rows, Rule.REPORT_UNTRIAGED, recipient="recipient")
    found = []
    for pk, received, urgency, due_on, supervisor_id in rows.values_list(
        "pk", "received_at", "urgency", "due", "recipient"
    ):
        facts: Facts = {"at": received, "urgent": urgency == ReportUrgency.URGENT}
        found.append(Candidate(Rule.REPORT_UNTRIAGED, pk, due_on, supervisor_id, facts))
    return found


def _local_date(moment: Any, ctx: ScanContext) -> TruncDate:
    return TruncDate(ExpressionWrapper(moment, output_field=DateTimeField()), tzinfo=ctx.zone)


# --- cases -----------------------------------------------------------------------------------


def no_contact(
    ctx: ScanContext, object_ids: Iterable[int] | None = None, *, new_only: bool = False
) -> list[Candidate]:
    """Assigned workers of an open case with no contact record for N days (from the last
    contact, or from the day the case was opened)."""
    today = ctx.today
    last_contact = Subquery(
        ContactRecord.objects.filter(case=OuterRef("pk"))
        .order_by("-occurred_at")
        .values("occurred_at")[:1]
    )

    def quiet_for(days: int) -> Q:
        since = today - _days(days)
        return Q(last_contact__lt=start_of_day(since + _days(1))) | Q(
            last_contact__isnull=True, opened_on__lte=since
        )

    rows = (
        _narrow(Case.objects.filter(status__in=OPEN_STATUSES), object_ids)
        .annotate(last_contact=last_contact)
        .filter(ctx.per_agency("no_contact_days", "owning_agency_id", quiet_for))
        .filter(
            assignments__ended_at__isnull=True,
            assignments__worker__is_active=True,
            assignments__worker__membership__role__in=CASE_ROLES,
        )
        .annotate(
            recipient=F("assignments__worker_id"),
            since=Coalesce(
                TruncDate("last_contact", tzinfo=ctx.zone), "opened_on", output_field=DateField()
            ),
        )
        .annotate(
            due=AddDays(F("since"), setting(ctx.settings, "no_contact_days", "owning_agency_id"))
        )
    )
    if new_only:
        rows = unknown(rows, Rule.NO_CONTACT, recipient="recipient")
    found = []
    for pk, agency_id, since, due_on, worker_id in rows.values_list(
        "pk", "owning_agency_id", "since", "due", "recipient"
    ):
        days = ctx.value(agency_id, "no_contact_days")
        facts: Facts = {"case_id": pk, "date": since, "days": days}
        found.append(Candidate(Rule.NO_CONTACT, pk, due_on, worker_id, facts))
    return found


# --- 開示・訂正・利用停止の請求 ------------------------------------------------------------------


def rights_deadline(
    ctx: ScanContext, object_ids: Iterable[int] | None = None, *, new_only: bool = False
) -> list[Candidate]:
    """The receiving agency's supervisors and the worker who registered it, N days before
    the legal deadline of an open request (TSUNAGU_RIGHTS_REMIND_DAYS) and on the day."""
    today = ctx.today
    early = settings.TSUNAGU_RIGHTS_REMIND_DAYS
    deadline = Coalesce("extended_to", "due_on", output_field=DateField())
    pending = (
        _narrow(RightsRequest.objects.filter(state=RequestState.OPEN), object_ids)
        .annotate(deadline_on=deadline)
        .filter(deadline_on__lte=today + _days(early))
        .annotate(
            due=DbCase(
                When(deadline_on__gt=today, then=AddDays(F("deadline_on"), -early)),
                default=F("deadline_on"),
                output_field=DateField(),
            )
        )
    )
    supervisors = pending.filter(
        agency__memberships__role=Role.SUPERVISOR, agency__memberships__user__is_active=True
    ).annotate(recipient=F("agency__memberships__user_id"))
    registrars = pending.filter(
        registered_by__is_active=True,
        registered_by__membership__agency_id=F("agency_id"),
        registered_by__membership__role__in=CASE_ROLES,
    ).annotate(recipient=F("registered_by_id"))
    found: dict[tuple[str, int, datetime.date, int], Candidate] = {}
    for rows in (supervisors, registrars):
        if new_only:
            rows = unknown(rows, Rule.RIGHTS_DEADLINE, recipient="recipient")
        for pk, kind, when, due_on, recipient_id in rows.values_list(
            "pk", "kind", "deadline_on", "due", "recipient"
        ):
            facts: Facts = {"date": when, "kind": kind}
            candidate = Candidate(Rule.RIGHTS_DEADLINE, pk, due_on, recipient_id, facts)
            found.setdefault(candidate.key, candidate)
    return list(found.values())


def _days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)


RULES: dict[str, Callable[..., list[Candidate]]] = {
    Rule.PLAN_MONITORING_DUE: plan_monitoring_due,
    Rule.PLAN_MONITORING_OVERDUE: plan_monitoring_overdue,
    Rule.REFERRAL_UNANSWERED: referral_unanswered,
    Rule.VISIT_TOMORROW: visit_tomorrow,
    Rule.VISIT_NOT_RECORDED: visit_not_recorded,
    Rule.REPORT_UNTRIAGED: report_untriaged,
    Rule.NO_CONTACT: no_contact,
    Rule.RIGHTS_DEADLINE: rights_deadline,
}
