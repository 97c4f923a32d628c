"""Disposal of what has outlived its retention period (廃棄), in one transaction.

The periods are settings (TSUNAGU_RETENTION_*): a closed case so many years after its
closure, the access log and the security log their own. A record is disposed of only once
it has been due for TSUNAGU_DISPOSAL_NOTICE_DAYS, so the agency's supervisors see it in the
list of what is coming (保存期間と廃棄) before it goes. A legal hold, or an open 開示・訂正・
利用停止 request, keeps everything about the person.

`disposal_plan` says what a run would dispose of (the dry run prints it); `dispose` does it,
all or nothing, and writes the 廃棄簿: what class of record, how many, when, under which rule.
Attached files are deleted from the store once the transaction has committed."""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from casework.attachment_files import storage
from casework.models import (
    AccessLog,
    AccessLogAgency,
    Case,
    CaseStatus,
    DisposalEntry,
    DisposalMethod,
    DisposalRun,
    HouseholdMember,
    LegalHold,
    Person,
    RecordClass,
)
from outreach.models import GroupParticipant, WatchReport
from rights import anonymize
from rights.models import RequestState, RightsRequest
from security.models import SecurityEvent

if TYPE_CHECKING:
    from django.contrib.auth.models import User

log = logging.getLogger(__name__)


def years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def years_after(day: datetime.date, years: int) -> datetime.date:
    """The first day `d` with years_before(d, years) >= day: 29 February's is 1 March."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return datetime.date(day.year + years, 3, 1)


@dataclass(frozen=True)
class Rule:
    record_class: str
    setting: str
    text: str

    @property
    def years(self) -> int:
        return int(getattr(settings, self.setting))

    def describe(self) -> str:
        """The rule as the 廃棄簿 keeps it, with the setting's value at the time."""
        return f"{self.text.format(years=self.years)}({self.setting}={self.years})"


CASE_RULE = Rule(RecordClass.CASE, "TSUNAGU_RETENTION_CASE_YEARS", "終結から{years}年")
ACCESS_LOG_RULE = Rule(
    RecordClass.ACCESS_LOG, "TSUNAGU_RETENTION_ACCESS_LOG_YEARS", "記録から{years}年"
)
SECURITY_LOG_RULE = Rule(
    RecordClass.SECURITY_LOG, "TSUNAGU_RETENTION_SECURITY_LOG_YEARS", "記録から{years}年"
)
RULES = (CASE_RULE, ACCESS_LOG_RULE, SECURITY_LOG_RULE)


def notice() -> datetime.timedelta:
    return datetime.timedelta(days=settings.TSUNAGU_DISPOSAL_NOTICE_DAYS)


def held_person_ids() -> set[int]:
    """Persons under a legal hold or with an open request: nothing of theirs is disposed."""
    held = set(LegalHold.objects.filter(lifted_at__isnull=True).values_list("person_id", flat=True))
    held |= set(
        RightsRequest.objects.filter(state=RequestState.OPEN).values_list("person_id", flat=True)
    )
    return held


def expired_cases(on: datetime.date, held: set[int]) -> QuerySet[Case]:
    """Closed cases past their period on `on` (not yet disposed, not held)."""
    return (
        Case.objects.filter(
            status=CaseStatus.CLOSED,
            closed_on__lte=years_before(on, CASE_RULE.years),
            disposed_at__isnull=True,
        )
        .exclude(person_id__in=held)
        .order_by("closed_on", "pk")
    )


def disposal_day(case: Case) -> datetime.date:
    """The first day a run disposes of the closed case (its period, then the notice)."""
    assert case.closed_on is not None
    return years_after(case.closed_on, CASE_RULE.years) + notice()


def _log_before(on: datetime.date, years: int) -> datetime.datetime:
    day = years_before(on, years) - notice()
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _persons_done(case_ids: list[int], held: set[int], on: datetime.date) -> list[int]:
    """Persons every case of whom is disposed, or among `case_ids`: anonymous next; and
    with them the members of their households who have no case of their own."""
    live = Case.objects.filter(person_id=OuterRef("pk"), disposed_at__isnull=True).exclude(
        pk__in=case_ids
    )
    with_cases = Case.objects.filter(person_id=OuterRef("pk"))
    done = list(
        Person.objects.filter(disposed_at__isnull=True)
        .filter(Exists(with_cases), ~Exists(live))
        .exclude(pk__in=held)
        .filter(Q(cases__pk__in=case_ids) | Q(cases__disposed_at__isnull=False))
        .distinct()
        .values_list("pk", flat=True)
    )
    return done + _household_done(set(done), held, on)


def _household_done(done: set[int], held: set[int], on: datetime.date) -> list[int]:
    """Household members without a case of their own (a spouse, a child), recorded as part
    of another's case: they go once no one of the households they live in (or, having left
    every household, the ones they were in) has a case left (every such person is disposed
    of, or in `done`). Kept: a household of persons none of whom ever had a case (they wait
    for intake), and a member with records of their own still in use (an active group
    participation, a watch report about them within the case period)."""
    with_cases = Case.objects.filter(person_id=OuterRef("person_id"))
    recent = years_before(on, CASE_RULE.years)
    in_use = set(
        GroupParticipant.objects.filter(left_on__isnull=True).values_list("person_id", flat=True)
    ) | set(
        WatchReport.objects.filter(received_at__date__gte=recent).values_list(
            "person_id", flat=True
        )
    )
    caseless = set(
        HouseholdMember.objects.filter(person__disposed_at__isnull=True)
        .filter(~Exists(with_cases))
        .exclude(person_id__in=held | in_use)
        .values_list("person_id", flat=True)
    )
    if not caseless:
        return []
    current: dict[int, set[int]] = {}
    past: dict[int, set[int]] = {}
    for household_id, person_id, left_on in HouseholdMember.objects.filter(
        person_id__in=caseless
    ).values_list("household_id", "person_id", "left_on"):
        (past if left_on else current).setdefault(person_id, set()).add(household_id)
    # Where they live now decides; the households they left, only when they live in none.
    households = {p: current.get(p) or past.get(p, set()) for p in caseless}
    # Per household: has anyone ever had a case there, and does anyone still keep one?
    ever, kept = set(), set()
    members = HouseholdMember.objects.filter(
        household_id__in={h for hs in households.values() for h in hs}
    ).filter(Exists(with_cases))
    for household_id, person_id, disposed_at in members.values_list(
        "household_id", "person_id", "person__disposed_at"
    ):
        ever.add(household_id)
        if disposed_at is None and person_id not in done:
            kept.add(household_id)
    return sorted(
        person_id for person_id, ids in households.items() if ids and ids <= ever and not ids & kept
    )


def _names_held(person_id: int | None, person_ids: str, held: set[int]) -> bool:
    if person_id in held:
        return True
    return bool(held) and any(int(i) in held for i in person_ids.strip(",").split(",") if i)


BATCH = 5000


@dataclass
class DisposalPlan:
    on: datetime.date
    case_ids: list[int] = field(default_factory=list)
    person_ids: list[int] = field(default_factory=list)
    access_log: int = 0
    security_log: int = 0
    held: set[int] = field(default_factory=set)

    @property
    def empty(self) -> bool:
        return not (self.case_ids or self.person_ids or self.access_log or self.security_log)


# The logs' managers refuse changes in Python (they are append-only): the run reads and
# deletes through the plain base managers, and the database lets it while the run is running.
def _access_log_due(plan_on: datetime.date, held: set[int]) -> list[int]:
    """The ids of the access-log rows past their period, but those naming a held person
    (read in batches: a held person's id inside a list row's ids is checked here, not by one
    LIKE per person)."""
    rows = AccessLog._base_manager.filter(at__lt=_log_before(plan_on, ACCESS_LOG_RULE.years))
    return [
        pk
        for pk, person_id, person_ids in rows.values_list("pk", "person_id", "person_ids")
        .order_by("pk")
        .iterator(chunk_size=BATCH)
        if not _names_held(person_id, person_ids, held)
    ]


def _security_log_due(plan_on: datetime.date) -> QuerySet[SecurityEvent]:
    return SecurityEvent._base_manager.filter(at__lt=_log_before(plan_on, SECURITY_LOG_RULE.years))


def _delete_access_log(ids: list[int]) -> int:
    deleted = 0
    for start in range(0, len(ids), BATCH):
        batch = ids[start : start + BATCH]
        AccessLogAgency._base_manager.filter(log_id__in=batch).delete()
        deleted += AccessLog._base_manager.filter(pk__in=batch).delete()[0]
    return deleted


def disposal_plan(on: datetime.date | None = None) -> DisposalPlan:
    """What a run on `on` (today) disposes of: what has been due for the notice days."""
    on = on or timezone.localdate()
    held = held_person_ids()
    case_ids = list(expired_cases(on - notice(), held).values_list("pk", flat=True))
    return DisposalPlan(
        on=on,
        case_ids=case_ids,
        person_ids=_persons_done(case_ids, held, on),
        access_log=len(_access_log_due(on, held)),
        security_log=_security_log_due(on).count(),
        held=held,
    )


def _entry(run: DisposalRun, rule_class: str, method: str, count: int, rule: str) -> None:
    if count:
        DisposalEntry.objects.create(
            run=run, record_class=rule_class, method=method, count=count, rule=rule
        )


def _delete_files(keys: list[str]) -> None:
    store = storage()
    for key in keys:
        try:
            store.delete(key)
        except Exception:  # the store may be down: the row no longer names the file
            log.error("disposal: the attached file %s could not be deleted", key)


@transaction.atomic
def dispose(*, source: str, actor: User | None = None) -> DisposalRun | None:
    """Dispose of everything due today (disposal_plan), all or nothing. None when nothing
    is. Never for another day: disposal is final."""
    now = timezone.now()
    # The run's row first: a second run waits here (one running at a time) and then plans
    # afresh, finding done what the first did. While this row is `running` (seen by this
    # transaction alone) the append-only tables let the run change rows; it is done before
    # the transaction commits.
    run = DisposalRun.objects.create(
        state=DisposalRun.State.RUNNING, source=source, started_by=actor, started_at=now
    )
    first = disposal_plan()
    # The persons' locks (as a hold takes them: one placed meanwhile is seen by the plan made
    # under them), then the cases' (as a reopening takes it), each in id order.
    due_persons = set(
        Case.objects.filter(pk__in=first.case_ids).values_list("person_id", flat=True)
    ) | set(first.person_ids)
    list(
        Person.objects.select_for_update()
        .filter(pk__in=due_persons)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    list(
        Case.objects.select_for_update()
        .filter(pk__in=first.case_ids)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    # Planned again under the locks, and only for what they cover.
    plan = disposal_plan()
    locked_cases = set(first.case_ids)
    plan.case_ids = [pk for pk in plan.case_ids if pk in locked_cases]
    plan.person_ids = [
        pk for pk in _persons_done(plan.case_ids, plan.held, plan.on) if pk in due_persons
    ]
    if plan.empty:
        transaction.set_rollback(True)
        return None
    log_ids = _access_log_due(plan.on, plan.held)
    anonymized = anonymize.cases(plan.case_ids)
    keys = anonymize.attachments(anonymize.case_attachments(plan.case_ids))
    Case.objects.filter(pk__in=plan.case_ids).update(disposed_at=now)
    keys += anonymize.attachments(anonymize.person_attachments(plan.person_ids))
    requests = RightsRequest.objects.filter(person_id__in=plan.person_ids).count()
    persons = anonymize.persons(plan.person_ids)
    Person.objects.filter(pk__in=plan.person_ids).update(disposed_at=now)
    access_deleted = _delete_access_log(log_ids)
    security_deleted = _security_log_due(plan.on).delete()[0]

    case_rule = CASE_RULE.describe()
    _entry(run, RecordClass.CASE, DisposalMethod.ANONYMIZED, len(plan.case_ids), case_rule)
    _entry(run, RecordClass.CONTACT, DisposalMethod.ANONYMIZED, anonymized["contacts"], case_rule)
    _entry(run, RecordClass.ATTACHMENT, DisposalMethod.DELETED, len(keys), case_rule)
    person_rule = (
        f"すべてのケース(世帯員は世帯のケース)の廃棄後({CASE_RULE.setting}={CASE_RULE.years})"
    )
    _entry(run, RecordClass.PERSON, DisposalMethod.ANONYMIZED, persons, person_rule)
    _entry(run, RecordClass.REQUEST, DisposalMethod.ANONYMIZED, requests, person_rule)
    _entry(
        run,
        RecordClass.ACCESS_LOG,
        DisposalMethod.DELETED,
        access_deleted,
        ACCESS_LOG_RULE.describe(),
    )
    _entry(
        run,
        RecordClass.SECURITY_LOG,
        DisposalMethod.DELETED,
        security_deleted,
        SECURITY_LOG_RULE.describe(),
    )
    run.state = DisposalRun.State.DONE
    run.finished_at = timezone.now()
    run.save(update_fields=["state", "finished_at"])
    transaction.on_commit(lambda: _delete_files(keys))
    return run
