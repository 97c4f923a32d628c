"""The world of the content test (tests/casework/test_no_person_leaks.py) and the
access-log test (tests/casework/test_access_log_coverage.py), built through the real
services. Each person in it has a name, kana, phone and address found nowhere else, and
stands in exactly one relationship to the cast (a case assigned to csw_a, a case nobody
works, a share, a referral in each state, a visit, watch reports, a group participant, a
meeting).

Who may see whom is written out by hand below (MAY_SEE), from docs/access.md, not computed
by the code under test."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.utils import timezone

from casework import services
from casework.models import (
    Agency,
    AttachmentVersion,
    Consent,
    District,
    Notification,
    Person,
    Role,
)
from outreach import services as outreach_services
from referrals.models import Scope
from reminders import services as reminder_services
from reminders.models import Reminder
from rights import services as rights_services
from tests.attachment_files import signed_form
from tests.factories import AgencyFactory, StaffFactory, UserFactory
from tests.referrals.conftest import Referrals


@dataclass(frozen=True)
class Someone:
    """The strings that identify one person of the world. `notes` identify them as their
    name does (a referral's reason and its decline, completion or withdrawal note)."""

    key: str
    name: str
    kana: str
    phone: str
    address: str
    notes: tuple[str, ...] = ()

    def strings(self) -> dict[str, str]:
        found = {"name": self.name, "kana": self.kana, "address": self.address}
        if self.phone:
            found["phone"] = self.phone
        found.update({f"note {i + 1}": note for i, note in enumerate(self.notes)})
        return found


# key, the mark that makes the name, the kana and the notes unique. All marks are one
# character and all kana suffixes three, so no string is a part of another.
_MARKS = [
    ("assigned", "甲", "あかさ"),
    ("unassigned", "乙", "いきし"),
    ("shared", "丙", "うくす"),
    ("sent", "丁", "えけせ"),
    ("sent_named", "戊", "おこそ"),
    ("accepted_summary", "己", "たなは"),
    ("accepted_full", "庚", "ちにひ"),
    ("completed", "辛", "つぬふ"),
    ("declined", "壬", "てねへ"),
    ("withdrawn", "癸", "とのほ"),
    ("visit", "子", "まやら"),
    ("report", "丑", "みりわ"),
    ("report_north", "寅", "むゆる"),
    ("participant", "卯", "めれを"),
    ("meeting", "辰", "もよろ"),
    ("report_linked", "巳", "らりる"),
    ("returned", "午", "なにぬ"),
]
REFERRED = {
    "sent",
    "sent_named",
    "accepted_summary",
    "accepted_full",
    "completed",
    "declined",
    "withdrawn",
}
END_NOTE = {"completed": "完了メモ", "declined": "お断り理由", "withdrawn": "取下げ理由"}
# A watch report not linked to anybody: what it says of whom it is about (no kana, no phone).
REPORTS = {"report", "report_north"}


def _someone(number: int, key: str, mark: str, kana: str) -> Someone:
    notes: tuple[str, ...] = ()
    if key in REFERRED:
        notes = (f"つなぐ理由{mark}",)
        if key in END_NOTE:
            notes += (f"{END_NOTE[key]}{mark}",)
    return Someone(
        key=key,
        name=f"漏洩{mark}",
        kana=f"ろうえい{kana}",
        phone="" if key in REPORTS else f"03-0000-{number:04d}",
        address=f"目黒区漏洩町{number:02d}丁目",
        notes=notes,
    )


PEOPLE: dict[str, Someone] = {
    key: _someone(n, key, mark, kana) for n, (key, mark, kana) in enumerate(_MARKS, start=1)
}
ALL = set(PEOPLE)
IDENTITY = {"name", "kana", "phone", "address"}

# --- who may see whom: docs/access.md, by hand ------------------------------------------------
#
# Agency A (社協A) owns every case but "visit"; "assigned" is csw_a's, "unassigned" has no
# worker (its supervisor sees it by rule), the others are consultation_a's. Agency B (包括B)
# receives the referrals and owns the "visit" case (consultation_b's), whose visit csw_b
# makes. Both agencies serve the central district, where the "report" was made (and a visit
# planned for it); nobody of the cast serves the north district of "report_north". The
# "report_linked" was received by csw_b and then linked to consultation_a's case: it follows
# the case. The "participant" was registered by csw_a for A's activity group and has no case
# anywhere: A's case staff hold them.
OF_A = ALL - {"visit", "report_north", "returned"}
MAY_SEE: dict[str, set[str]] = {
    # case: assigned; watch report: district agency; group participant: the group's agency.
    "csw_a": {"assigned", "report", "participant"},
    # The sending side reads the whole case of every referral they sent, whatever its state;
    # a linked watch report: those who may read the case.
    "consultation_a": OF_A - {"assigned", "unassigned"},
    # case: supervisor of the owning agency.
    "supervisor_a": OF_A,
    "admin_a": set(),
    # referral sent: the receiving worker named by the sender; accepted full: the receiving
    # worker. Not "withdrawn": accepted for csw_b, then withdrawn. Not "report_linked", which
    # they received: it follows its case now. "visit" only on the visit's pages (VISIT_STAFF).
    "csw_b": {"sent_named", "accepted_full", "report"},
    # case: shared; accepted summary: the receiving worker (identity and contact details);
    # the "visit" case is theirs. Not "completed": they completed it.
    "consultation_b": {"shared", "accepted_summary", "visit", "report"},
    # referral sent or accepted, any scope: the receiving supervisor; "visit": the owning
    # agency's supervisor. Not the completed, declined and withdrawn ones.
    "supervisor_b": {"sent", "sent_named", "accepted_summary", "accepted_full", "visit", "report"},
    "admin_b": set(),
    # Aggregates only, never a person (the ward's return among them).
    "indicator_officer": set(),
    # The supervisor of a 自立相談支援機関 (J, which files the national return, serving the
    # west district, where nothing is reported): the case of "returned" is J's, on their
    # pages and in the drill-down of their return (returns:drill).
    "supervisor_j": {"returned"},
    "outsider": set(),
    # The Django admin shows no personal case data to anyone.
    "system_admin": set(),
}
# Visit staff: the visited person's name, address and phone on the visit's pages and their
# schedule, the name on their 「今日」, nothing else (not the kana, not the case).
VISIT_STAFF: dict[tuple[str, str], tuple[set[str], set[str]]] = {
    ("csw_b", "visit"): (
        {"outreach:visits", "outreach:visit_detail", "outreach:visit_record"},
        {"name", "address", "phone"},
    ),
}
VISIT_STAFF_TODAY = {("csw_b", "visit"): {"name"}}


def may_read(member: str, key: str, url_name: str) -> set[str]:
    """The fields of the person the member may read on the page."""
    if key in MAY_SEE[member]:
        return set(PEOPLE[key].strings())
    if url_name == "casework:home":
        return VISIT_STAFF_TODAY.get((member, key), set())
    pages, fields = VISIT_STAFF.get((member, key), (set(), set()))
    return fields if url_name in pages else set()


# --- the world ----------------------------------------------------------------------------


@dataclass
class World:
    cast: object
    persons: dict[str, Person]
    cases: dict[str, object]
    objects: dict[str, list]  # URL kind (as in the access matrix) -> every object of it
    members: dict[str, object] = field(default_factory=dict)
    # Pages named by their query string rather than an id (a return's fiscal year and
    # version): url name -> the query strings that open them (tests/casework/page_walk.py).
    queries: dict[str, list[dict]] = field(default_factory=dict)


def _person_fields(key: str) -> dict:
    someone = PEOPLE[key]
    return {
        "family_name": someone.name,
        "given_name": "花子",
        "family_name_kana": someone.kana,
        "given_name_kana": "はなこ",
        "birth_date": datetime.date(1944, 5, 1),
        "phone": someone.phone,
        "address": someone.address,
        "district": District.objects.get(code="central"),
    }


def build_world(cast, workflow, open_case) -> World:
    """Every relationship of docs/access.md once, each with its own person."""
    refer = Referrals(cast, open_case)
    today = timezone.localdate()
    central = District.objects.get(code="central")
    north = District.objects.get(code="north")
    a_worker, b_worker = cast.consultation_a, cast.consultation_b
    cases = {}

    def case(key, actor=a_worker):
        cases[key] = refer.case(actor, **_person_fields(key))
        return cases[key]

    case("assigned", cast.csw_a)
    # Opened by the supervisor, who then takes themselves off: nobody works it.
    unassigned = case("unassigned", cast.supervisor_a)
    services.case_unassign(actor=cast.supervisor_a, case=unassigned, worker=cast.supervisor_a)

    shared = case("shared")
    consent = refer.consent(shared, cast.agency_b, actor=a_worker)
    services.case_share(actor=a_worker, case=shared, user=b_worker, consent=consent)

    referrals = {}
    for key in sorted(REFERRED):
        referred = case(key)
        picked = (refer.contact(referred, "電話で近況を確認した。", actor=a_worker),)
        referrals[key] = refer.send(
            referred,
            actor=a_worker,
            reason=PEOPLE[key].notes[0],
            scope=Scope.FULL if key == "accepted_full" else Scope.SUMMARY,
            contacts=picked if key == "accepted_summary" else (),
            named_worker=cast.csw_b if key == "sent_named" else None,
        )
    refer.accept(referrals["accepted_summary"], worker=b_worker)
    refer.accept(referrals["accepted_full"], worker=cast.csw_b)
    refer.accept(referrals["completed"], worker=b_worker)
    refer.complete(referrals["completed"], actor=b_worker, note=PEOPLE["completed"].notes[1])
    refer.decline(referrals["declined"], reason=PEOPLE["declined"].notes[1])
    refer.accept(referrals["withdrawn"], worker=cast.csw_b)
    refer.withdraw(referrals["withdrawn"], actor=a_worker, reason=PEOPLE["withdrawn"].notes[1])

    visited = case("visit", b_worker)
    visit = outreach_services.visit_plan(
        actor=b_worker,
        case=visited,
        planned_at=timezone.now() + datetime.timedelta(minutes=5),
        staff=[cast.csw_b],
    )

    north_agency = AgencyFactory(name="社協北部", kind=Agency.Kind.CSW, district=north)
    csw_north = StaffFactory(username="csw_north", agency=north_agency, role=Role.CSW)
    reports = [
        outreach_services.report_receive(
            actor=actor,
            reporter_kind="newspaper",
            reporter_name="新聞販売所",
            received_at=timezone.now() - datetime.timedelta(hours=1),
            address=PEOPLE[key].address,
            district=district,
            subject_name=f"{PEOPLE[key].name} 太郎",
            noticed="新聞が3日分たまっている",
            urgency="urgent",
        )
        for key, district, actor in (
            ("report", central, cast.csw_a),
            ("report_north", north, csw_north),
            ("report_linked", central, cast.csw_b),
        )
    ]
    outreach_services.report_link(actor=a_worker, report=reports[2], case=case("report_linked"))
    report_visit = outreach_services.visit_plan(
        actor=cast.csw_a,
        report=reports[0],
        planned_at=timezone.now() + datetime.timedelta(minutes=10),
        staff=[cast.csw_a],
    )

    group = outreach_services.group_create(
        actor=cast.csw_a,
        name="中央 手ぬぐい体操の会",
        kind="exercise",
        is_care_prevention=True,
        district=central,
        capacity=20,
        started_on=today - datetime.timedelta(days=100),
    )
    joined = services.person_create(actor=cast.csw_a, **_person_fields("participant"))
    participant = outreach_services.participant_register(
        actor=cast.csw_a, group=group, person=joined, joined_on=today
    )

    met = case("meeting")
    meeting = services.meeting_record(
        actor=a_worker,
        kind="coordination",
        held_on=today,
        title=f"{PEOPLE['meeting'].name}さんの支援調整会議",
        attending_agencies=[cast.agency_a, cast.agency_b],
        decisions="家計相談につなぐ",
        cases=[met],
    )

    # A 自立相談支援機関 files the national return: its case of "returned", received today, is
    # behind its return's 新規相談受付件数 (R01), which its supervisor drills into.
    # It serves the west district, where nothing is reported (a ward-wide agency would see
    # every watch report).
    west = District.objects.get(code="west")
    filing = AgencyFactory(name="自立相談支援機関J", kind=Agency.Kind.SELF_RELIANCE, district=west)
    worker_j = StaffFactory(username="consultation_j", agency=filing, role=Role.CONSULTATION)
    supervisor_j = StaffFactory(username="supervisor_j", agency=filing, role=Role.SUPERVISOR)
    cases["returned"] = services.case_intake(
        actor=worker_j,
        new_person=_person_fields("returned"),
        received_on=today,
        route="visit",
        main_concern="income",
        chief_complaint="生活費が足りない。",
    )

    # The records that hang off a case, on csw_a's case and on the one only the supervisor
    # sees; submitted plans, and closure asked for last.
    records: dict[str, list] = {
        "assessment": [],
        "plan": [],
        "monitoring": [],
        "enrolment": [],
        "closure": [],
        "contact": [],
        "household_member": [],
        "attachment": [],
    }
    for key, actor in (("assigned", cast.csw_a), ("unassigned", cast.supervisor_a)):
        worked = cases[key]
        workflow.screen(worked, actor)
        if key == "assigned":
            # A plan in force with an evaluation (評価シート), then its revision below.
            workflow.assess(worked, actor)
            in_force = workflow.approved_plan(worked, actor)
            records["monitoring"].append(
                services.monitoring_add(
                    actor=actor,
                    plan=in_force,
                    kind="evaluation",
                    monitored_on=today,
                    progress="on_track",
                    notes="家計簿をつけ始めた。",
                )
            )
        records["assessment"].append(workflow.assess(worked, actor))
        plan = workflow.draft_plan(worked, actor)
        services.plan_submit(actor=actor, plan=plan)
        records["plan"].append(plan)
        records["enrolment"].append(
            services.enrolment_add(
                actor=actor,
                case=worked,
                person=worked.person,
                programme="employment",
                enrolled_on=today - datetime.timedelta(days=5),
            )
        )
        records["closure"].append(
            services.closure_request_submit(
                actor=actor, case=worked, reason="goal_achieved", closing_on=today
            )
        )
        records["contact"].append(
            services.contact_record_add(
                actor=actor,
                case=worked,
                occurred_at=timezone.now() - datetime.timedelta(hours=2),
                method="phone",
                minutes=5,
                summary="電話で近況を確認した。",
            )
        )
        services.household_member_add(
            actor=actor,
            person=worked.person,
            person_relation="head",
            new_member={"family_name": "同居", "family_name_kana": "どうきょ"},
            member_relation="child",
        )
        records["household_member"].append(worked.person.household_member.get())
        # A signed plan filed with the case, and a letter filed with the person alone.
        records["attachment"].append(
            services.attachment_add(
                actor=actor,
                person=worked.person,
                case=worked,
                plan=plan,
                kind="signed_form",
                title="署名済みプランの控え",
                file=signed_form(),
            )
        )
        records["attachment"].append(
            services.attachment_add(
                actor=actor,
                person=worked.person,
                kind="letter",
                title="本人からの手紙",
                file=signed_form("手紙.pdf"),
            )
        )

    # A disclosure request for the assigned case's person, its package assembled, and a
    # correction request: the counter's worker (csw_a) and agency A's supervisors see them.
    disclosure = rights_services.request_register(
        actor=cast.csw_a,
        person=cases["assigned"].person,
        kind="disclosure",
        received_on=today,
        requester="本人",
        content="保有個人情報の全部",
    )
    rights_services.package_assemble(actor=cast.supervisor_a, request=disclosure)
    hold = rights_services.hold_place(
        actor=cast.supervisor_a, person=cases["assigned"].person, kind="appeal", reason="審査請求中"
    )
    # csw_a hides the address of the person of their case from everyone else.
    mark = services.mark_place(
        actor=cast.csw_a,
        person=cases["assigned"].person,
        kind="address",
        reason="DV等支援措置",
        staff=[cast.csw_a],
    )[0]
    correction = rights_services.request_register(
        actor=cast.csw_a,
        person=cases["assigned"].person,
        kind="correction",
        received_on=today,
        requester="本人",
        content="住所の誤り",
    )

    # What is due now (the plans waiting for approval…), delivered in the app.
    reminder_services.reminder_scan()
    reminder_services.reminder_deliver(Reminder.objects.values_list("pk", flat=True))

    persons = {key: c.person for key, c in cases.items()}
    persons["participant"] = joined
    members = dict(cast.roles())
    members["system_admin"] = UserFactory(username="system_admin", is_staff=True, is_superuser=True)
    members["supervisor_j"] = supervisor_j
    workers = [m for m in members.values() if hasattr(m, "membership")] + [csw_north]
    return World(
        cast=cast,
        persons=persons,
        cases=cases,
        members=members,
        queries=_return_queries(cast, supervisor_j, today),
        objects={
            "case": list(cases.values()),
            "person": list(persons.values()),
            "consent": list(Consent.objects.order_by("pk")),
            "meeting": [meeting],
            "referral": list(referrals.values()),
            "report": reports,
            "visit": [visit, report_visit],
            "group": [group],
            "participant": [participant],
            "worker": workers,
            "notification": list(Notification.objects.order_by("pk")),
            "attachment_version": list(AttachmentVersion.objects.order_by("pk")),
            "rights_request": [disclosure],
            "rights_correction": [correction],
            "hold": [hold],
            "mark": [mark],
            **records,
        },
    )


def _return_queries(cast, supervisor_j, today: datetime.date) -> dict[str, list[dict]]:
    """This fiscal year's return, 第1版 of J's and of the ward's (the same query names each
    reader's own), and the query strings of its pages: the drill-down of R01 for the year
    and for this month."""
    from indicators.selectors import current_fiscal_year
    from returns import services as return_services

    fy = current_fiscal_year()
    for actor in (supervisor_j, cast.indicator_officer):
        return_services.return_compute(actor=actor, fiscal_year=fy)
    version = {"fy": fy, "n": 1}
    month = today.replace(day=1).isoformat()
    return {
        "returns:snapshot": [version],
        "returns:export_csv": [version],
        "returns:export_xlsx": [version],
        "returns:drill": [{**version, "item": "R01"}, {**version, "item": "R01", "month": month}],
    }
