"""bench_build's other records: watch reports and outreach visits, meetings, notifications,
the access log of lists and searches, and the indicator snapshots."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.db import transaction

from bench.names import FAMILY_NAMES, NOTIFICATION_MESSAGES, REPORT_NOTICES
from bench.records import HOUR, m2m_fields
from bench.staff import CONSULTATION, CSW
from bench.world import DAY, CaseRow, between, office_time
from bench.writer import Ids
from casework.models import AccessLog, Meeting, MeetingKind, Notification
from outreach.models import (
    Observation,
    OutreachVisit,
    ReporterKind,
    ReportState,
    ReportUrgency,
    VisitResult,
    WatchReport,
)

if TYPE_CHECKING:
    from bench.build import Build

REPORT_FIELDS = (
    "id",
    "reporter_kind",
    "reporter_name",
    "reporter_contact",
    "received_at",
    "received_by_id",
    "address",
    "district_id",
    "subject_name",
    "subject_description",
    "noticed",
    "urgency",
    "state",
    "assigned_to_id",
    "person_id",
    "case_id",
    "closed_at",
    "closed_by_id",
    "close_reason",
)
REPORT_STATES = (
    (ReportState.NEW, 12),
    (ReportState.ASSIGNED, 10),
    (ReportState.LINKED, 15),
    (ReportState.CASE_OPENED, 13),
    (ReportState.CLOSED, 50),
)
VISIT_FIELDS = (
    "id",
    "case_id",
    "report_id",
    "agency_id",
    "planned_at",
    "purpose",
    "planned_by_id",
    "result",
    "visited_at",
    "observations",
    "notes",
    "next_visit_on",
    "recorded_by_id",
)


def outreach(b: Build) -> None:
    rng = b.rng
    cases = b.world.cases
    open_cases = [c for c in cases if c.is_open]
    report_ids, visit_ids = Ids(WatchReport), Ids(OutreachVisit)
    district_ids = sorted({p.district_id for p in b.world.persons}) or [
        a.agency.district_id for a in b.org.agencies if a.agency.district_id
    ]
    staff_of_district: dict[int | None, list[int]] = {}
    for staff in b.org.agencies:
        staff_of_district.setdefault(staff.agency.district_id, []).extend(
            u.pk for u in staff.case_staff
        )
    ward_wide = staff_of_district.get(None, [])
    reports: list[tuple[int, int, int | None]] = []  # (id, receiver, assignee)
    states = [s for s, _w in REPORT_STATES]
    weights = [w for _s, w in REPORT_STATES]
    kinds = ReporterKind.values
    for state in rng.choices(states, weights, k=round(0.03 * len(cases))):
        pk = report_ids.take()
        district = rng.choice(district_ids)
        receiver = rng.choice(staff_of_district.get(district, []) + ward_wide)
        fresh = state in (ReportState.NEW, ReportState.ASSIGNED)
        received = b.now - DAY * (rng.uniform(0, 45) if fresh else rng.uniform(1, 730))
        kind = rng.choice(kinds)
        anonymous = kind == ReporterKind.ANONYMOUS
        assignee = receiver if state != ReportState.NEW else None
        case: CaseRow | None = None
        if state in (ReportState.LINKED, ReportState.CASE_OPENED):
            case = rng.choice(cases)
        closed_at = closed_by = None
        reason = ""
        if state == ReportState.CLOSED:
            closed_at = min(received + DAY * rng.uniform(1, 20), b.now - HOUR)
            closed_by, reason = receiver, "訪問して本人の無事を確認した。懸念なし。"
        subject = rng.choice(FAMILY_NAMES)[0] + "さん" if rng.random() < 0.4 else ""
        row = (
            pk, kind, "" if anonymous else "近隣の方", "" if anonymous else "03-3711-0000",
            received, receiver, "東京都目黒区内", district, subject, "一人暮らしの高齢の方",
            rng.choice(REPORT_NOTICES), rng.choices(ReportUrgency.values, (15, 85))[0], state,
            assignee, case.person if case else None,
            case.id if case and (state == ReportState.CASE_OPENED or rng.random() < 0.5) else None,
            closed_at, closed_by, reason,
        )  # fmt: skip
        b.w.add(WatchReport, REPORT_FIELDS, row)
        reports.append((pk, receiver, assignee))

    staff_table = OutreachVisit.staff.through
    staff_fields = m2m_fields(OutreachVisit, "staff")
    week_start = b.today - DAY * b.today.weekday()

    def visit(case: CaseRow | None, report: tuple[int, int, int | None] | None,
              when: datetime.datetime) -> None:  # fmt: skip
        pk = visit_ids.take()
        if case is not None:
            staff = [case.worker or case.creator]
            if case.co_worker is not None:
                staff.append(case.co_worker)
            agency = b.agency_id(case.agency)
        else:
            assert report is not None
            staff = [report[2] or report[1]]
            agency = b.user_agency_id(staff[0])
        result = visited = recorded_by = next_on = None
        observations: list[str] = []
        notes = ""
        if when < b.now - HOUR * 2 and rng.random() < 0.92:
            result = rng.choices(VisitResult.values, (70, 20, 5, 5))[0]
            visited = when + datetime.timedelta(minutes=rng.randint(0, 30))
            recorded_by = staff[0]
            notes = "本人と面会し、生活の様子を確認した。" if result == VisitResult.MET else ""
            if rng.random() < 0.3:
                observations = rng.sample(Observation.values, rng.randint(1, 2))
            if rng.random() < 0.3:
                next_on = when.date() + DAY * rng.randint(7, 30)
        row = (
            pk, case.id if case else None, report[0] if report else None, agency, when,
            "安否確認と生活状況の聞き取り", staff[0], result or "", visited, observations,
            notes, next_on, recorded_by,
        )  # fmt: skip
        b.w.add(OutreachVisit, VISIT_FIELDS, row)
        b.w.add_many(staff_table, staff_fields, ((pk, s) for s in staff))

    for _ in range(round(0.05 * len(cases))):
        if reports and rng.random() < 0.2:
            visit(None, rng.choice(reports), b.now + DAY * rng.uniform(-365, 14))
        else:
            case = rng.choice(open_cases) if rng.random() < 0.8 else rng.choice(cases)
            low = max(case.created_at, b.now - DAY * 365)
            high = b.case_end_time(case) if not case.is_open else b.now + DAY * 14
            visit(case, None, b.between_times(low, high))
    # This week's visits of the two workers the page bench signs in as.
    for username, count in ((CSW, 5), (CONSULTATION, 3)):
        uid = next(u.pk for u in b.org.users if u.username == username)
        own = [c for c in open_cases if c.worker == uid]
        for case in rng.sample(own, min(count, len(own))):
            visit(case, None, office_time(rng, week_start + DAY * rng.randint(0, 4)))


MEETING_FIELDS = (
    "id",
    "kind",
    "held_on",
    "title",
    "convening_agency_id",
    "decisions",
    "recorded_by_id",
    "created_at",
)


def meetings(b: Build) -> None:
    rng = b.rng
    cases = b.world.cases
    ids = Ids(Meeting)
    by_agency: dict[int, list[CaseRow]] = {}
    for c in cases:
        by_agency.setdefault(c.agency, []).append(c)
    cases_table = Meeting.cases.through
    cases_fields = m2m_fields(Meeting, "cases")
    attending_table = Meeting.attending_agencies.through
    attending_fields = m2m_fields(Meeting, "attending_agencies")
    n = len(b.org.agencies)
    for _ in range(round(0.01 * len(cases))):
        first = rng.choice(cases)
        pk = ids.take()
        kind = rng.choices(MeetingKind.values, (50, 20, 15, 15))[0]
        held = between(rng, first.opened_on, first.end)
        person = b.person_by_id[first.person]
        title = f"{person.family}様の支援について({MeetingKind(kind).label})"
        about = {first.id} | {
            c.id for c in rng.sample(by_agency[first.agency], min(2, rng.randint(0, 2)))
        }
        attending = {b.agency_id(i) for i in rng.sample(range(n), min(n, rng.randint(1, 3)))}
        attending.discard(b.agency_id(first.agency))
        row = (
            pk, kind, held, title, b.agency_id(first.agency),
            "役割分担を確認し、次回までに各機関が状況を確認する。", first.worker or first.creator,
            min(office_time(rng, held), b.now),
        )  # fmt: skip
        b.w.add(Meeting, MEETING_FIELDS, row)
        b.w.add_many(cases_table, cases_fields, ((pk, c) for c in sorted(about)))
        b.w.add_many(attending_table, attending_fields, ((pk, a) for a in sorted(attending)))


def notifications(b: Build) -> None:
    rng = b.rng
    fields = ("recipient_id", "created_at", "message", "url", "read_at")
    staff = [u.pk for a in b.org.agencies for u in a.case_staff]
    own: dict[int, list[int]] = {}
    for c in b.world.cases:
        if c.worker is not None:
            own.setdefault(c.worker, []).append(c.id)
    for _ in range(round(0.6 * len(b.world.cases))):
        user = rng.choice(staff)
        at = b.now - DAY * rng.expovariate(1 / 90)
        cases = own.get(user)
        url = f"/cases/{rng.choice(cases)}/" if cases else "/notifications/"
        old = b.now - at > DAY * 14
        read = at + HOUR * rng.uniform(0.1, 48) if rng.random() < (0.95 if old else 0.4) else None
        if read is not None:
            read = min(read, b.now)
        b.w.add(Notification, fields, (user, at, rng.choice(NOTIFICATION_MESSAGES), url, read))


def list_reads(b: Build) -> None:
    """One row per list or search request, with the ids it showed (as log_list writes)."""
    rng = b.rng
    persons_of = {c.id: c.person for c in b.world.cases}
    own: dict[int, list[CaseRow]] = {}
    for c in b.world.cases:
        if c.worker is not None:
            own.setdefault(c.worker, []).append(c)
    workers = sorted(own)
    if not workers:
        return
    queries = [kana for _k, kana, _w in FAMILY_NAMES[:20]]
    for _ in range(round(0.15 * b.sizes.contacts)):
        user = rng.choice(workers)
        at = b.now - DAY * rng.uniform(0, 730)
        agency = b.user_agency_id(user)
        if rng.random() < 0.1:
            shown = rng.sample(own[user], min(len(own[user]), rng.randint(1, 10)))
            b.log(at, user, AccessLog.Action.VIEW_LIST, detail="本人検索",
                  person_ids=_ids(c.person for c in shown), query=rng.choice(queries))  # fmt: skip
            continue
        shown = rng.sample(own[user], min(len(own[user]), 25))
        b.log(at, user, AccessLog.Action.VIEW_LIST, detail="担当ケース一覧",
              case_ids=_ids(c.id for c in shown), person_ids=_ids(persons_of[c.id] for c in shown),
              case_agencies=f",{agency},")  # fmt: skip


def _ids(ids: object) -> str:
    unique = sorted(set(ids))  # type: ignore[call-overload]  # an iterable of ints
    return f",{','.join(map(str, unique))}," if unique else ""


def snapshots(b: Build) -> None:
    """Last year's figures approved and this year's draft, computed by the indicator
    officer through the indicators' own service (the dashboard reads nothing else)."""
    from indicators import services as indicators
    from indicators.selectors import computable_years, current_fiscal_year

    officer = b.org.officers[0]
    years = [
        fy for fy in (current_fiscal_year() - 1, current_fiscal_year()) if fy in computable_years()
    ]
    b.w.flush()
    try:
        with transaction.atomic():
            for fy in years:
                snapshot = indicators.snapshot_compute(actor=officer, fiscal_year=fy, via="command")
                if fy != current_fiscal_year():
                    indicators.snapshot_approve(actor=officer, snapshot=snapshot)
    except Exception as error:  # a bench world without snapshots is still a bench world
        b.out.write(f"    (indicator snapshots skipped: {type(error).__name__}: {error})\n")
