"""The content test: no page names a person outside what docs/access.md lets its reader see.

One world is built through the real services. Each person in it has a name, kana, phone and
address found nowhere else, and stands in exactly one relationship to the cast (a case
assigned to csw_a, a case nobody works, a share, a referral in each state, a visit, watch
reports, a group participant, a meeting). Then every member of the cast, and a system admin,
opens every page of the project: every URL pattern (the admin's too), its ids filled with
every object of the world of the URL's kind, the pages without an id, the searches for each
person's name, and the query strings that change whom a list shows. Wherever a page answers
200, it must contain none of the strings of a person the member may not see.

Who may see whom is written out by hand below (MAY_SEE), from docs/access.md, not computed
by the code under test. The walk is shared with tests/casework/test_access_log_coverage.py,
which checks the access-log rows the same requests wrote.
"""

from __future__ import annotations

import datetime
import logging
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import unquote, urlencode

from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from casework import services
from casework.models import AccessLog, Agency, Consent, District, Person, Role
from outreach import services as outreach_services
from referrals.models import Scope
from reminders import services as reminder_services
from reminders.models import Reminder
from tests.casework.test_access_matrix import MATRIX
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
OF_A = ALL - {"visit", "report_north"}
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
    # Aggregates only, never a person.
    "indicator_officer": set(),
    "outsider": set(),
    # The Django admin shows no personal case data to anyone.
    "system_admin": set(),
}
# Visit staff: the visited person's name, address and phone on the visit's pages and their
# schedule, nothing else (not the kana, not the case).
VISIT_STAFF: dict[tuple[str, str], tuple[set[str], set[str]]] = {
    ("csw_b", "visit"): (
        {"outreach:visits", "outreach:visit_detail", "outreach:visit_record"},
        {"name", "address", "phone"},
    ),
}


def may_read(member: str, key: str, url_name: str) -> set[str]:
    """The fields of the person the member may read on the page."""
    if key in MAY_SEE[member]:
        return set(PEOPLE[key].strings())
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

    # The records that hang off a case, on csw_a's case and on the one only the supervisor
    # sees; submitted plans, and closure asked for last.
    records: dict[str, list] = {"assessment": [], "plan": [], "enrolment": [], "closure": []}
    for key, actor in (("assigned", cast.csw_a), ("unassigned", cast.supervisor_a)):
        worked = cases[key]
        workflow.screen(worked, actor)
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
            services.closure_request(
                actor=actor, case=worked, reason="goal_achieved", closing_on=today
            )
        )

    # What is due now (the plans waiting for approval…), delivered in the app.
    reminder_services.scan()
    reminder_services.deliver(Reminder.objects.values_list("pk", flat=True))

    persons = {key: c.person for key, c in cases.items()}
    persons["participant"] = joined
    members = dict(cast.roles())
    members["system_admin"] = UserFactory(username="system_admin", is_staff=True, is_superuser=True)
    workers = [m for m in members.values() if hasattr(m, "membership")] + [csw_north]
    return World(
        cast=cast,
        persons=persons,
        cases=cases,
        members=members,
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
            **records,
        },
    )


# --- every page of the project --------------------------------------------------------------

# URL patterns not walked, and why. Every other pattern with parameters is filled below, and
# a new one that is not fails the tests.
NOT_WALKED = {
    # A one-time link for one account's new password: it shows no person.
    "password_reset_link",
}
# Lists and forms whose query string changes whom they show, opened with it too.
EXTRA_QUERIES: dict[str, list[dict]] = {
    "casework:my_cases": [{"scope": "shared"}, {"scope": "agency"}],
    "outreach:reports": [{"all": "1"}, {"district": "north", "all": "1"}],
    "casework:caseload_worker": [
        {"metric": m} for m in ("recent_contacts", "no_contact", "monitoring_overdue", "awaiting")
    ],
}
# Walked after every other page of every member, when the log holds every read.
LAST = {"casework:access_log"}


def typed(text: str) -> str:
    """A name as a worker may type it into a search box, with a space after the first two
    characters: the search ignores spaces, so it finds the person, while the search box and
    the access log's 検索語, which show what was typed, are not taken for the name itself."""
    return f"{text[:2]} {text[2:]}"


def _patterns(resolver=None, prefix="") -> Iterator[tuple[str, tuple[str, ...]]]:
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            namespace = f"{prefix}{entry.namespace}:" if entry.namespace else prefix
            yield from _patterns(entry, namespace)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{prefix}{entry.name}", tuple(sorted(entry.pattern.regex.groupindex))


def _admin_models() -> dict[str, type]:
    """admin:<app>_<model>_<view> -> the model whose id the URL takes."""
    found = {}
    for model in admin.site._registry:
        opts = model._meta
        for view in ("change", "delete", "history", "password_change", "password_reset"):
            found[f"admin:{opts.app_label}_{opts.model_name}_{view}"] = model
    return found


def _admin_searches() -> set[str]:
    return {
        f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist"
        for model, model_admin in admin.site._registry.items()
        if model_admin.search_fields
    }


def _query(url: str, **params) -> str:
    return f"{url}?{urlencode(params)}"


@dataclass
class Target:
    name: str
    url: str
    # The same page with a query string, opened where `url` answered 200.
    follow_ups: list[str] = field(default_factory=list)
    # Opened only for the first URL of the pattern that answered 200 (the same page
    # for another id adds nothing but time).
    once: list[str] = field(default_factory=list)


def _urls(name: str, params: tuple[str, ...], world: World, kinds, admin_models):
    """(the object the URL names, the URL) for every object of the pattern's kind."""
    if not params:
        return [(None, reverse(name))]
    if params == ("pk",) and kinds.get(name) in world.objects:
        return [(o, reverse(name, kwargs={"pk": o.pk})) for o in world.objects[kinds[name]]]
    if params in (("object_id",), ("id",)) and name in admin_models:
        ids = admin_models[name]._default_manager.order_by("pk").values_list("pk", flat=True)
        return [(pk, reverse(name, kwargs={params[0]: pk})) for pk in ids]
    if params == ("app_label",):
        labels = sorted({m._meta.app_label for m in admin.site._registry})
        return [(label, reverse(name, kwargs={"app_label": label})) for label in labels]
    if params == ("content_type_id", "object_id"):
        # The admin's "view on site" redirect: 404 for every id, so one person will do.
        person = world.objects["person"][0]
        kind = ContentType.objects.get_for_model(Person).pk
        url = reverse(name, kwargs={"content_type_id": kind, "object_id": person.pk})
        return [(person, url)]
    return None


def targets(world: World) -> tuple[list[Target], list[str]]:
    """Every page to open, and the URL patterns whose parameters nothing here fills."""
    kinds = {name: kind for name, (kind, _method, _expected) in MATRIX.items()}
    admin_models = _admin_models()
    admin_searches = _admin_searches()
    persons = world.objects["person"]
    found: list[Target] = []
    unfilled: list[str] = []
    seen: set[str] = set()
    for name, params in _patterns():
        if name in seen or name in NOT_WALKED:
            continue
        seen.add(name)
        urls = _urls(name, params, world, kinds, admin_models)
        if urls is None:
            unfilled.append(name)
            continue
        for named, url in urls:
            target = Target(name, url, [_query(url, **q) for q in EXTRA_QUERIES.get(name, [])])
            if name == "casework:person_search":
                target.follow_ups += [_query(url, q=typed(p.name)) for p in PEOPLE.values()]
                target.once += [_query(url, q="漏洩", household_for=p.pk) for p in persons]
            if name in admin_searches:
                # Master data only: one search shows that a person's name finds nothing.
                target.follow_ups.append(_query(url, q=typed(PEOPLE["assigned"].name)))
            if name == "casework:household_add":
                target.once += [_query(url, member=p.pk) for p in persons if p != named]
            if name == "casework:meeting_new":
                target.follow_ups += [_query(url, case=c.pk) for c in world.cases.values()]
            if name == "casework:access_log":
                target.follow_ups += [_query(url, case=c.pk) for c in world.cases.values()]
                target.follow_ups += [_query(url, person=p.pk) for p in persons]
            found.append(target)
    return found, unfilled


@dataclass(frozen=True)
class Row:
    """An access-log row as the tests read it."""

    action: str
    person_id: int | None
    case_id: int | None
    person_ids: str
    case_ids: str
    detail: str


@dataclass(frozen=True)
class Page:
    """A page that answered 200: who opened it, and what of the world's people it showed."""

    member: str
    name: str
    url: str
    shown: frozenset[tuple[str, str]]  # (person key, which of their strings)
    rows: tuple[Row, ...]  # the access-log rows the request wrote, oldest first

    def names(self) -> set[str]:
        return {key for key, what in self.shown if what == "name"}

    def persons(self) -> set[str]:
        """Whom the page shows by their name, kana, phone or address."""
        return {key for key, what in self.shown if what in IDENTITY}


def _last_log_id() -> int:
    # Plain SQL: asked before each of thousands of requests, the ORM's query would cost more.
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT MAX(id) FROM {AccessLog._meta.db_table}")
        return cursor.fetchone()[0] or 0


def _open(client, member: str, name: str, url: str) -> tuple[int, Page | None]:
    before = _last_log_id()
    response = client.get(url)
    if response.status_code != 200:
        return response.status_code, None
    content = b"".join(response.streaming_content) if response.streaming else response.content
    shown = frozenset(
        (key, what)
        for key, someone in PEOPLE.items()
        for what, text in someone.strings().items()
        if text.encode() in content
    )
    rows = tuple(
        Row(r.action, r.person_id, r.case_id, r.person_ids, r.case_ids, r.detail)
        for r in AccessLog.objects.filter(pk__gt=before).order_by("pk")
    )
    return 200, Page(member, name, url, shown, rows)


@dataclass
class Walk:
    world: World
    unfilled: list[str]
    pages: list[Page]  # those that answered 200
    requests: int = 0
    seconds: float = 0.0
    cpu_seconds: float = 0.0

    def summary(self) -> str:
        return (
            f"{self.requests} requests, {len(self.pages)} answered 200, "
            f"{self.seconds:.0f} s ({self.cpu_seconds:.0f} s of CPU)"
        )


def _walk(client, world: World) -> Walk:
    """GET every page as every member; the access log last, once every read is in it."""
    started, cpu = time.perf_counter(), time.process_time()
    pages, unfilled = targets(world)
    walk = Walk(world, unfilled, [])

    def get(member: str, name: str, url: str) -> bool:
        status, page = _open(client, member, name, url)
        walk.requests += 1
        if page is not None:
            walk.pages.append(page)
        return status == 200

    for last in (False, True):
        for member, user in world.members.items():
            client.force_login(user)
            done_once: set[str] = set()
            for target in pages:
                if (target.name in LAST) != last or not get(member, target.name, target.url):
                    continue
                more = list(target.follow_ups)
                if target.name not in done_once:
                    done_once.add(target.name)
                    more += target.once
                for url in more:
                    get(member, target.name, url)
    walk.seconds = time.perf_counter() - started
    walk.cpu_seconds = time.process_time() - cpu
    return walk


_WALKS: list[Walk] = []


def walk_once(client, settings, cast, workflow, open_case) -> Walk:
    """The walk is the slow part (thousands of requests): the content test and the access-log
    test read the same one, made by whichever of them runs first in the session. It keeps
    only what they check (which strings each page showed, which rows it wrote), so it stays
    true after the world's rows are rolled back."""
    if not _WALKS:
        world = build_world(cast, workflow, open_case)
        request_log = logging.getLogger("django.request")
        level = request_log.level
        request_log.setLevel(logging.ERROR)  # thousands of expected 403s and 404s
        # Renewing the session on every request is for the idle timeout: not what this
        # walk looks at, and a tenth of its time.
        settings.SESSION_SAVE_EVERY_REQUEST = False
        try:
            _WALKS.append(_walk(client, world))
        finally:
            request_log.setLevel(level)
    return _WALKS[0]


def test_no_page_shows_a_person_the_member_may_not_see(client, settings, cast, workflow, open_case):
    walk = walk_once(client, settings, cast, workflow, open_case)
    assert not walk.unfilled, f"fill the parameters of these URLs in this test: {walk.unfilled}"
    print(walk.summary())

    leaks = sorted(
        f"{page.name} {unquote(page.url)} as {page.member}: {key}'s {what} "
        f"{PEOPLE[key].strings()[what]!r}"
        for page in walk.pages
        for key, what in page.shown
        if what not in may_read(page.member, key, page.name)
    )
    assert not leaks, f"{len(leaks)} pages name persons the reader may not see:\n" + "\n".join(
        leaks
    )


def test_every_member_is_shown_whom_they_may_see(client, settings, cast, workflow, open_case):
    """The content test means something only if the pages do show whom they may."""
    walk = walk_once(client, settings, cast, workflow, open_case)
    seen = {(page.member, key) for page in walk.pages for key in page.names()}
    expected = {(member, key) for member, keys in MAY_SEE.items() for key in keys}
    expected |= set(VISIT_STAFF)
    unseen = sorted(f"{member}: {key}" for member, key in expected - seen)
    assert not unseen, "never shown anywhere:\n" + "\n".join(unseen)
