"""bench_build: the world of bench/world.py written with bulk inserts, part by part.

What the services would write is written directly: every active assignment, share and
accepted referral has the object permissions `casework.access.sync_case_grants` would grant
(and the access-log row it would append, with its agency index entries); every 経過記録 has
its first version. The parts: persons (bench/people.py), cases (bench/cases.py), shares,
referrals and contact records (bench/records.py), plans (bench/plans.py), the rest
(bench/extras.py).
"""

from __future__ import annotations

import datetime
import random
import time
from collections import Counter
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, Protocol

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.utils import timezone

from bench import cases, extras, people, plans, records
from bench.staff import CSW, Organisation, build_organisation
from bench.world import (
    CaseRow,
    PersonRow,
    Sizes,
    World,
    draw_cases,
    office_time,
)
from bench.writer import Ids, Writer
from casework import models as casework_models
from casework.models import (
    AccessLog,
    Case,
    CaseAssignment,
    CaseUserObjectPermission,
    ContactRecord,
    Person,
)
from casework.normalize import person_search_key

if TYPE_CHECKING:
    from django.contrib.auth.models import User

VIEW, WORK, SUMMARY = "view_case", "work_case", "view_case_summary"
_PERM_LABELS = {VIEW: "閲覧", WORK: "記録", SUMMARY: "共有された概要の閲覧"}
BENCH_CASE_CONTACTS = 80

# The supervisors' index of the access log, where the schema has one.
LOG_INDEX: Any = getattr(casework_models, "AccessLogAgency", None)
LOG_FIELDS = (
    "id",
    "at",
    "user_id",
    "agency_id",
    "person_id",
    "case_id",
    "action",
    "detail",
    "case_ids",
    "person_ids",
    "case_agencies",
    "query",
)
PERSON_FIELDS = (
    "id",
    "family_name",
    "given_name",
    "family_name_kana",
    "given_name_kana",
    "search_key",
    "birth_date",
    "sex",
    "address",
    "district_id",
    "phone",
    "registered_by_agency_id",
    "died_on",
    "created_at",
    "version",
)


class Output(Protocol):
    def write(self, text: str, /) -> Any: ...

    def flush(self) -> Any: ...


class Build:
    def __init__(self, scale: float, seed: int, out: Output) -> None:
        self.sizes = Sizes.of(scale)
        self.rng = random.Random(seed)
        self.out = out
        self.now = timezone.now()
        self.today = timezone.localdate()
        self.w = Writer()
        self.log_ids = Ids(AccessLog)
        self.first_log_id = self.log_ids.next
        self.timings: list[tuple[str, float]] = []
        # (case id, user id) → the object permissions the records justify
        self.grants: dict[tuple[int, int], set[str]] = {}
        self.org: Organisation
        self.world: World
        self.users: dict[int, User] = {}
        self.case_by_id: dict[int, CaseRow] = {}
        self.person_by_id: dict[int, PersonRow] = {}
        self.bench_case: CaseRow | None = None

    # --- the run ---------------------------------------------------------------------

    def run(self) -> None:
        with transaction.atomic():
            self.part("agencies and staff", self.staff)
            self.part("persons, households, history baseline", self.persons)
            self.part("cases, intake, screening, status, closure", lambda: cases.write_cases(self))
            self.part("assignments", self.assignments)
            self.part("consents, shares, referrals", lambda: records.sharing(self))
            self.part("contact records and their versions", lambda: records.contacts(self))
            self.part("assessments, plans, monitoring", lambda: plans.plans(self))
            self.part("watch reports and outreach visits", lambda: extras.outreach(self))
            self.part("meetings", lambda: extras.meetings(self))
            self.part("notifications", lambda: extras.notifications(self))
            self.part("access log: lists and searches", lambda: extras.list_reads(self))
            self.part("access log: the supervisors' agency index", self.log_index)
            self.part("object permissions (guardian)", self.permissions)
            self.part("sequences", self.w.reset_sequences)
            self.part("indicator snapshots", lambda: extras.snapshots(self))
            committing = time.perf_counter()
        # Foreign keys are checked at commit (deferred): every row written above.
        self.report("commit (deferred foreign-key checks)", 0, time.perf_counter() - committing)
        self.part("analyze", self.analyze)

    def part(self, label: str, step: Callable[[], object]) -> None:
        before = sum(self.w.counts.values())
        started = time.perf_counter()
        step()
        self.w.flush()
        self.report(label, sum(self.w.counts.values()) - before, time.perf_counter() - started)

    def report(self, label: str, rows: int, elapsed: float) -> None:
        self.timings.append((label, elapsed))
        figure = f"{rows:>10,} rows" if rows else " " * 15
        self.out.write(f"  {label:<42} {figure} {elapsed:8.1f} s\n")
        self.out.flush()

    def bench_case_open(self) -> int:
        csw = next(u.pk for u in self.org.users if u.username == CSW)
        return sum(1 for c in self.world.cases if c.worker == csw and c.is_open)

    def large_agency_cases(self) -> int:
        return sum(1 for c in self.world.cases if c.agency == 0)

    # --- helpers ---------------------------------------------------------------------

    def agency_id(self, index: int) -> int:
        return self.org.agencies[index].agency.pk

    def supervisor(self, index: int) -> int:
        return self.rng.choice(self.org.agencies[index].supervisors).pk

    def user_agency_id(self, user_id: int) -> int:
        return self.agency_id(self.org.agency_of[user_id])

    def between_times(self, start: datetime.datetime, end: datetime.datetime) -> datetime.datetime:
        if end <= start:
            return start
        return start + (end - start) * self.rng.random()

    def case_end_time(self, case: CaseRow) -> datetime.datetime:
        if case.closed_on is not None:
            return office_time(self.rng, case.closed_on)
        return self.now - datetime.timedelta(hours=1)

    def log(
        self,
        at: datetime.datetime,
        user_id: int,
        action: str,
        *,
        case: CaseRow | None = None,
        person_id: int | None = None,
        detail: str = "",
        case_ids: str = "",
        person_ids: str = "",
        case_agencies: str = "",
        query: str = "",
    ) -> None:
        if case is not None and person_id is None:
            person_id = case.person
        pk = self.log_ids.take()
        reader_agency = self.user_agency_id(user_id)
        self.w.add(
            AccessLog,
            LOG_FIELDS,
            (
                pk,
                at,
                user_id,
                reader_agency,
                person_id,
                case.id if case is not None else None,
                action,
                detail[:300],
                case_ids,
                person_ids,
                case_agencies,
                query,
            ),
        )

    def grant(
        self,
        case: CaseRow,
        user_id: int,
        perms: Iterable[str],
        *,
        actor: int,
        at: datetime.datetime,
        reason: str,
        active: bool = True,
        ended: datetime.datetime | None = None,
        end_reason: str = "",
    ) -> None:
        """A grant as sync_case_grants writes it: the permission rows while it lasts, and
        one access-log row when it starts (and one when it ends)."""
        perms = set(perms)
        held = self.grants.get((case.id, user_id), set())
        new = perms - held
        if new:
            self.log(
                at,
                actor,
                AccessLog.Action.GRANT,
                case=case,
                detail=self.grant_detail(user_id, new, reason),
            )
        if active:
            self.grants.setdefault((case.id, user_id), set()).update(perms)
        elif ended is not None and new:
            self.log(
                ended,
                actor,
                AccessLog.Action.REVOKE,
                case=case,
                detail=self.grant_detail(user_id, new, end_reason),
            )

    def grant_detail(self, user_id: int, perms: Iterable[str], reason: str) -> str:
        user = self.users[user_id]
        full = f"{user.last_name} {user.first_name}".strip()
        name = f"{full}({user.username})" if full else user.username
        labels = "・".join(_PERM_LABELS.get(p, p) for p in sorted(perms))
        text = f"{name}: {labels}"
        return f"{text}({reason})"[:300] if reason else text[:300]

    # --- parts -----------------------------------------------------------------------

    def staff(self) -> None:
        self.org = build_organisation(self.rng, self.sizes.agencies, self.sizes.officers)
        self.users = {u.pk: u for u in self.org.users}

    def persons(self) -> None:
        self.world = draw_cases(
            self.rng, self.org, self.sizes, Ids(Case).next, first_person_id=Ids(Person).next
        )
        self.case_by_id = {c.id: c for c in self.world.cases}
        self.person_by_id = {p.id: p for p in self.world.persons}
        self._choose_bench_case()
        self._allot_contacts()
        for p in self.world.persons:
            self.w.add(
                Person,
                PERSON_FIELDS,
                (
                    p.id,
                    p.family,
                    p.given,
                    p.family_kana,
                    p.given_kana,
                    # exactly as Person.refresh_search_key
                    person_search_key(p.family, p.given, p.family_kana, p.given_kana),
                    p.birth,
                    p.sex,
                    p.address,
                    p.district_id,
                    p.phone,
                    p.agency_id,
                    None,
                    p.created_at,
                    1,
                ),
            )
        self.w.flush()
        if self.world.persons:
            people.history_baseline(self, Person, self.world.persons[0].id, "r.created_at")
        people.households(self)

    def _choose_bench_case(self) -> None:
        """bench_csw's case with about 80 contact records: their oldest open case."""
        csw = next(u for u in self.org.users if u.username == CSW)
        own = [c for c in self.world.cases if c.worker == csw.pk and c.is_open]
        if own:
            year_old = [c for c in own if (self.today - c.opened_on).days >= 365]
            self.bench_case = (year_old or sorted(own, key=lambda c: c.opened_on))[0]
            self.bench_case.quiet = False

    def _allot_contacts(self) -> None:
        """How many contact records each case has, and the ids they will get (one run of
        ids per case, in case order)."""
        cases = self.world.cases
        total = self.sizes.contacts
        weights = []
        for c in cases:
            days = max(1, (c.end - c.opened_on).days)
            weight = min(max(days / 30, 1), 24) * (1.5 if c.is_open else 1.0)
            weights.append(0.0 if c is self.bench_case else weight * self.rng.uniform(0.5, 1.5))
        spare = total - (BENCH_CASE_CONTACTS if self.bench_case else 0)
        cum, running = [], 0.0
        for weight in weights:
            running += weight
            cum.append(running)
        counts = Counter(self.rng.choices(range(len(cases)), cum_weights=cum, k=max(0, spare)))
        next_id = Ids(ContactRecord).next
        for i, c in enumerate(cases):
            c.contacts_n = BENCH_CASE_CONTACTS if c is self.bench_case else counts.get(i, 0)
            c.contacts_first = next_id
            next_id += c.contacts_n

    def assignments(self) -> None:
        rng = self.rng
        fields = ("case_id", "worker_id", "assigned_by_id", "started_at", "ended_at")
        for c in self.world.cases:
            workers = [w.pk for w in self.org.agencies[c.agency].workers]
            end = self.case_end_time(c)
            if c.worker is None:
                # Nobody holds it now: its worker was taken off it.
                left = self.between_times(c.created_at, end)
                self.w.add(CaseAssignment, fields, (c.id, c.creator, c.creator, c.created_at, left))
                self.grant(c, c.creator, (VIEW, WORK), actor=c.creator, at=c.created_at,
                           reason="担当の割り当て", active=False, ended=left,
                           end_reason="担当の解除")  # fmt: skip
                continue
            start = c.created_at
            special = c is self.bench_case
            others = [w for w in workers if w != c.worker]
            if others and not special and rng.random() < 0.06:
                c.former = rng.choice(others)
                c.handover = self.between_times(c.created_at, end)
                self.w.add(CaseAssignment, fields, (c.id, c.former, c.former, start, c.handover))
                self.grant(c, c.former, (VIEW, WORK), actor=c.former, at=start,
                           reason="担当の割り当て", active=False, ended=c.handover,
                           end_reason="担当の変更")  # fmt: skip
                start = c.handover
            by = c.worker if c.former is None and rng.random() < 0.7 else self.supervisor(c.agency)
            self.w.add(CaseAssignment, fields, (c.id, c.worker, by, start, None))
            self.grant(c, c.worker, (VIEW, WORK), actor=by, at=start, reason="担当の割り当て")
            rest = [w for w in others if w != c.former]
            if rest and not special and rng.random() < 0.08:
                c.co_worker = rng.choice(rest)
                at = self.between_times(start, end)
                sv = self.supervisor(c.agency)
                self.w.add(CaseAssignment, fields, (c.id, c.co_worker, sv, at, None))
                self.grant(c, c.co_worker, (VIEW, WORK), actor=sv, at=at, reason="担当の割り当て")

    def log_index(self) -> None:
        """Whose access log shows each row: the reader's agency, the read case's, and each
        listed case's (as casework.access_log files them), unless the database filed them
        itself as the rows went in."""
        if LOG_INDEX is None:
            return
        first = self.first_log_id
        if LOG_INDEX._base_manager.filter(log_id__gte=first).exists():
            return
        rows = (
            AccessLog.objects.filter(pk__gte=first)
            .order_by("pk")
            .values_list("pk", "at", "agency_id", "case__owning_agency_id", "case_agencies")
            .iterator(chunk_size=20_000)
        )
        for pk, at, reader, owner, listed in rows:
            agencies = {reader, owner} | {int(a) for a in (listed or "").split(",") if a}
            for agency in sorted(a for a in agencies if a):
                self.w.add(LOG_INDEX, ("log_id", "agency_id", "at"), (pk, agency, at))

    def permissions(self) -> None:
        content_type = ContentType.objects.get_for_model(Case)
        perm_ids = dict(
            Permission.objects.filter(
                content_type=content_type, codename__in=(VIEW, WORK, SUMMARY)
            ).values_list("codename", "pk")
        )
        fields = ("user_id", "permission_id", "content_object_id")
        for (case_id, user_id), perms in sorted(self.grants.items()):
            for perm in sorted(perms):
                self.w.add(CaseUserObjectPermission, fields, (user_id, perm_ids[perm], case_id))

    def analyze(self) -> None:
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                # Outside a transaction (a fresh bench database): VACUUM too, as autovacuum
                # would have by the time anyone reads the pages.
                cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")
        elif connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")


def refusal() -> str | None:
    """Why this database must not get a bench world, or None when it is empty enough."""
    from bench.staff import USER_PREFIX

    UserModel = get_user_model()
    found = []
    cases = Case.objects.count()
    if cases:
        found.append(f"{cases:,} cases")
    persons = Person.objects.count()
    if persons:
        found.append(f"{persons:,} persons")
    others = UserModel.objects.exclude(username__startswith=USER_PREFIX).count()
    if others:
        found.append(f"{others:,} users not made by bench_build")
    bench_users = UserModel.objects.filter(username__startswith=USER_PREFIX).count()
    if bench_users and not found:
        found.append(f"{bench_users:,} bench users of an earlier build")
    if not found:
        return None
    return (
        "bench_build refuses this database: it already holds data ("
        + ", ".join(found)
        + "). Nothing was changed. Point DATABASE_URL at a new, empty, migrated database, "
        "e.g. createdb -h 127.0.0.1 -U postgres tsunagu_bench && manage.py migrate."
    )
