"""Building the outreach demo through the services: the seed_outreach command."""

from __future__ import annotations

import datetime
import random
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone

from casework import access
from casework.demo.texts import (
    FAMILY_NAMES,
    GIVEN_NAMES,
    KANJI_DIGITS,
    TOWNS,
)
from casework.models import (
    Case,
    CaseAssignment,
    CaseStatus,
    Concern,
    District,
    IntakeConsent,
    Sex,
    StaffMembership,
)
from outreach import services
from outreach.demo.community import CommunityMixin
from outreach.demo.texts import (
    CLOSE_REASONS,
    DISTRICT_STAFF,
    EVENTS,
    NOTICED,
    OPEN_CASE_DISTRICTS,
    PARTNER,
    PURPOSES,
    REPORTERS,
    SEED,
    SUBJECTS,
    TRIAGE,
    URGENT_KINDS,
    VISIT_NOTES,
    Obs,
    R,
)
from outreach.models import (
    AwarenessEvent,
    OutreachVisit,
    ReporterKind,
    ReportUrgency,
    VisitResult,
    WatchReport,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def _days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)


class Command(BaseCommand):
    help = "Create demo outreach visits, watch reports and community work (after seed_demo)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--force", action="store_true", help="Run even with DEBUG off.")

    def handle(self, *args: Any, force: bool = False, **options: Any) -> None:
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_outreach refuses to run with DEBUG off. Use --force only on a "
                "disposable demo database."
            )
        if AwarenessEvent.objects.exists() or WatchReport.objects.exists():
            self.stdout.write("Outreach demo data exists already: nothing to do.")
            return
        with transaction.atomic():
            counts = _Seeder().run()
        self.stdout.write("Created " + ", ".join(f"{n} {what}" for what, n in counts.items()) + ".")


class _Seeder(CommunityMixin):
    def __init__(self) -> None:
        self.rng = random.Random(SEED)
        self.today = timezone.localdate()
        self.now = timezone.now()
        self.districts = {d.code: d for d in District.objects.all()}
        names = set(PARTNER) | set(PARTNER.values()) | {e[4] for e in EVENTS}
        self.users = {u.username: u for u in get_user_model().objects.filter(username__in=names)}
        missing = names - set(self.users)
        if missing or set(self.districts) != set(DISTRICT_STAFF):
            raise CommandError("Run seed_demo first: demo staff or districts are missing.")
        self.counts = dict.fromkeys(
            ("events", "groups", "sessions", "participants", "services", "reports", "visits"),
            0,
        )

    def run(self) -> dict[str, int]:
        self.events()
        self.groups()
        self.life_support_services()
        self.reports()
        self.case_visits()
        return self.counts

    # --- helpers ---------------------------------------------------------------------------

    def at(self, day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))

    def between(self, low: datetime.date, high: datetime.date) -> datetime.date:
        if high <= low:
            return low
        return low + _days(self.rng.randint(0, (high - low).days))

    def staff_of(self, code: str, index: int = 0) -> User:
        names = DISTRICT_STAFF[code]
        return self.users.get(names[min(index, len(names) - 1)]) or self.user(names[0])

    def user(self, username: str) -> User:
        if username not in self.users:
            self.users[username] = get_user_model().objects.get(username=username)
        return self.users[username]

    def partner(self, user: User) -> User | None:
        return self.user(PARTNER[user.username]) if user.username in PARTNER else None

    def name(self, *, born: int, sex: str) -> tuple[str, str, str, str]:
        family, family_kana = self.rng.choice(FAMILY_NAMES)
        cohort = "before1950" if born < 1950 else "1950s_1970s"
        given, given_kana = self.rng.choice(GIVEN_NAMES[cohort][sex])
        return family, given, family_kana, given_kana

    def address(self, code: str) -> tuple[str, str]:
        town, chome_count = self.rng.choice(TOWNS[code])
        chome = KANJI_DIGITS[self.rng.randint(1, chome_count)]
        return (
            town,
            f"目黒区{town}{chome}丁目{self.rng.randint(1, 30)}番{self.rng.randint(1, 25)}号",
        )

    # --- awareness events -----------------------------------------------------------------

    def reports(self) -> None:
        kinds = list(ReporterKind)
        linkable = self.linkable_cases()
        n = 0
        for code in self.districts:
            for i, outcome in enumerate(TRIAGE):
                kind = kinds[n % len(kinds)]
                n += 1
                case = None
                if outcome == "linked":
                    case = linkable.get(code)
                    if case is None:
                        outcome = "assigned"
                if outcome == "assigned" and i == 5 and code in OPEN_CASE_DISTRICTS:
                    outcome = "case_opened"
                self.report(code, kind, outcome, i, case)

    def linkable_cases(self) -> dict[str, Case]:
        """Per district, an open case of a local or ward-wide agency, with its worker."""
        found: dict[str, Case] = {}
        assignments = (
            CaseAssignment.objects.filter(
                ended_at__isnull=True, case__person__district__isnull=False
            )
            .exclude(case__status=CaseStatus.CLOSED)
            .select_related("case__person__district", "worker")
            .order_by("case__pk", "pk")
        )
        for a in assignments:
            district = a.case.person.district
            assert district is not None  # filtered on above
            code = district.code
            membership = access.membership_of(a.worker)
            if code in found or membership is None or not membership.handles_cases:
                continue
            if membership.agency.district_id not in (None, a.case.person.district_id):
                continue
            a.case.worker = a.worker  # type: ignore[attr-defined]  # report() reads it back
            found[code] = a.case
        return found

    def report(self, code: str, kind: str, outcome: str, i: int, case: Case | None) -> None:
        district = self.districts[code]
        local = DISTRICT_STAFF[code]
        receiver: User = (
            case.worker  # type: ignore[attr-defined]  # set by linkable_cases()
            if case
            else self.user(local[(i // 2) % len(local)])
        )
        days_ago = {"new": self.rng.randint(0, 10)}.get(outcome, self.rng.randint(8, 150))
        received_on = self.today - _days(days_ago)
        received_at = min(
            self.at(received_on, self.rng.randint(9, 17), self.rng.randint(0, 59)), self.now
        )
        town, address = self.address(code)
        born = self.rng.randint(1932, 1960)
        sex = self.rng.choice((Sex.MALE, Sex.FEMALE))
        family, given, family_kana, given_kana = self.name(born=born, sex=sex)
        subject_name = "" if self.rng.random() < 0.35 else f"{family} {given}"
        if case is not None:
            subject_name, address = str(case.person), case.person.address or address
        who = self.name(born=1955, sex=self.rng.choice((Sex.MALE, Sex.FEMALE)))
        name_pattern, contact_pattern = REPORTERS[kind]
        urgent = (kind in URGENT_KINDS and self.rng.random() < 0.6) or (
            kind == R.NEIGHBOUR and i == 0
        )
        report = services.report_receive(
            actor=receiver,
            reporter_kind=kind,
            reporter_name=name_pattern.format(name=f"{who[0]} {who[1]}", town=town),
            reporter_contact=contact_pattern.format(
                n=self.rng.randint(10, 99), m=self.rng.randint(100, 999)
            ),
            received_at=received_at,
            address=address,
            district=district,
            subject_name=subject_name,
            subject_description=self.rng.choice(SUBJECTS),
            noticed=NOTICED[kind],
            urgency=ReportUrgency.URGENT if urgent else ReportUrgency.NORMAL,
        )
        self.counts["reports"] += 1
        if outcome == "new":
            return
        if outcome == "linked":
            assert case is not None  # reports() links only when it found a case
            services.report_link(actor=receiver, report=report, case=case)
            if access.WORK in access.case_permissions(receiver, case):
                self.visit_case_once(case, receiver, report_day=received_on)
            return
        if outcome == "case_opened":
            self.open_case(
                report,
                receiver,
                received_on,
                kind,
                (family, given, family_kana, given_kana),
                born,
                sex,
                address,
            )
            return
        worker = receiver
        services.report_assign(actor=receiver, report=report, worker=worker)
        partner = self.partner(worker)
        staff = [worker] + ([partner] if partner else [])
        if outcome == "assigned":
            # A first visit: planned in the coming days, or made already and not answered.
            if i % 2 == 0:
                self.plan(worker, staff, self.today + _days(self.rng.randint(1, 6)), report=report)
            else:
                visit_day = self.between(received_on, self.today - _days(1))
                visit = self.plan(worker, staff, visit_day, report=report)
                self.record(worker, visit, VisitResult.ABSENT, [Obs.MAIL_PILED])
            return
        # closed: visited, nothing of concern, then closed with the reason.
        visit_day = self.between(received_on, self.today - _days(1))
        visit = self.plan(worker, staff, visit_day, report=report)
        self.record(worker, visit, VisitResult.MET, [])
        services.report_close(
            actor=worker, report=report, reason=CLOSE_REASONS[(i + len(code)) % len(CLOSE_REASONS)]
        )

    def open_case(
        self,
        report: WatchReport,
        actor: User,
        received_on: datetime.date,
        kind: str,
        names: tuple[str, str, str, str],
        born: int,
        sex: str,
        address: str,
    ) -> None:
        family, given, family_kana, given_kana = names
        report = services.report_open_case(
            actor=actor,
            report=report,
            person_fields={
                "family_name": family,
                "given_name": given,
                "family_name_kana": family_kana,
                "given_name_kana": given_kana,
                "birth_date": datetime.date(born, self.rng.randint(1, 12), self.rng.randint(1, 28)),
                "sex": sex,
                "address": address,
                "district": report.district,
            },
            intake_fields={
                "received_on": received_on,
                "main_concern": Concern.CARE,
                "other_concerns": [Concern.HEALTH, Concern.COMMUNITY],
                "chief_complaint": "見守りネットワークからの通報。" + NOTICED[kind],
                "came_in_person": False,
                "visitor_name": report.reporter_name or "匿名の通報者",
                "visitor_relation": str(ReporterKind(kind).label),
                "consent_status": IntakeConsent.PENDING,
            },
        )
        case = report.case
        partner = self.partner(actor)
        staff = [actor] + ([partner] if partner else [])
        first = self.between(received_on + _days(1), self.today - _days(2))
        if first < self.today:
            visit = self.plan(actor, staff, first, case=case, purpose="通報を受けての安否確認")
            self.record(actor, visit, VisitResult.MET, [Obs.WEAKNESS, Obs.DISORDER])
        self.plan(actor, staff, self.today + _days(self.rng.randint(2, 6)), case=case)

    # --- outreach visits -------------------------------------------------------------------

    def plan(
        self,
        actor: User,
        staff: list[User],
        day: datetime.date,
        *,
        case: Case | None = None,
        report: WatchReport | None = None,
        purpose: str = "",
    ) -> OutreachVisit:
        visit = services.visit_plan(
            actor=actor,
            planned_at=self.at(day, self.rng.choice((10, 11, 13, 14, 15, 16))),
            staff=staff,
            case=case,
            report=report,
            purpose=purpose or self.rng.choice(PURPOSES),
        )
        self.counts["visits"] += 1
        return visit

    def record(
        self,
        actor: User,
        visit: OutreachVisit,
        result: str,
        observations: Sequence[str],
        *,
        next_visit_on: datetime.date | None = None,
    ) -> None:
        visited_at = min(
            visit.planned_at + datetime.timedelta(minutes=self.rng.randint(0, 20)), self.now
        )
        services.visit_record(
            actor=actor,
            visit=visit,
            result=result,
            visited_at=visited_at,
            observations=observations,
            notes=self.rng.choice(VISIT_NOTES[result]),
            next_visit_on=next_visit_on,
        )

    def visit_case_once(self, case: Case, actor: User, *, report_day: datetime.date) -> None:
        partner = self.partner(actor)
        staff = [actor] + ([partner] if partner else [])
        day = self.between(max(report_day, case.opened_on) + _days(1), self.today - _days(1))
        if day < self.today:
            visit = self.plan(actor, staff, day, case=case, purpose="見守り通報を受けての訪問")
            self.record(actor, visit, VisitResult.MET, [Obs.MAIL_PILED])

    def case_visits(self) -> None:
        """Visits of open cases of the council and the district agencies: every result,
        one case with three 不在 in a row, this week's plans and a few not yet recorded."""
        agencies = {"csw_shakyo1", "csw_shakyo2", "csw_shakyo3", "soudan_shakyo1"} | {
            name for names in DISTRICT_STAFF.values() for name in names
        }
        assignments = list(
            CaseAssignment.objects.filter(
                ended_at__isnull=True,
                worker__username__in=agencies,
                case__opened_on__lte=self.today - _days(30),
            )
            .exclude(case__status=CaseStatus.CLOSED)
            .select_related("case", "worker")
            .order_by("case__pk", "pk")
        )
        memberships = dict(
            StaffMembership.objects.filter(user__username__in=agencies).values_list(
                "user__username", "agency_id"
            )
        )
        seen: set[int] = set()
        plans = (
            "streak", "met", "refused", "met_next", "cancelled", "met",
            "absent_met", "unrecorded", "met_next", "refused", "met", "unrecorded",
        )  # fmt: skip
        done = 0
        for a in assignments:
            if done >= len(plans) or a.case_id in seen:
                continue
            worker = self.user(a.worker.username)
            if access.WORK not in access.case_permissions(worker, a.case):
                continue
            plan = plans[done]
            if plan == "streak" and worker.username != "csw_shakyo1":
                continue
            partner = self.partner(worker)
            if partner is not None and memberships.get(partner.username) != memberships.get(
                worker.username
            ):
                partner = None
            seen.add(a.case_id)
            done += 1
            self.case_plan(a.case, worker, [worker] + ([partner] if partner else []), plan)
        # 今週の私の訪問: csw_shakyo1 has visits planned today and in the coming days.
        mine = [a for a in assignments if a.worker.username == "csw_shakyo1"]
        for k, a in enumerate(mine[:3]):
            worker = self.user("csw_shakyo1")
            staff = [worker, self.user(PARTNER["csw_shakyo1"])]
            self.plan(worker, staff, self.today + _days(k * 2), case=a.case)

    def case_plan(self, case: Case, worker: User, staff: list[User], plan: str) -> None:
        low = max(case.opened_on + _days(1), self.today - _days(75))
        high = self.today - _days(3)
        if plan == "streak":
            for gap in (23, 16, 9):
                visit = self.plan(worker, staff, max(low, self.today - _days(gap)), case=case)
                observed = [Obs.MAIL_PILED] + ([Obs.UTILITIES_OFF] if gap == 9 else [])
                self.record(worker, visit, VisitResult.ABSENT, observed)
            return
        if plan == "unrecorded":
            self.plan(worker, staff, self.today - _days(self.rng.randint(2, 5)), case=case)
            return
        first = self.between(low, high - _days(14))
        if plan == "absent_met":
            visit = self.plan(worker, staff, first, case=case)
            self.record(worker, visit, VisitResult.ABSENT, [Obs.MAIL_PILED])
            first = self.between(first + _days(3), high)
        visit = self.plan(worker, staff, first, case=case)
        result = {
            "refused": VisitResult.REFUSED,
            "cancelled": VisitResult.CANCELLED,
        }.get(plan, VisitResult.MET)
        observed = {
            VisitResult.MET: self.rng.choice(
                ([], [Obs.DISORDER], [Obs.WEAKNESS], [Obs.ODOUR, Obs.DISORDER])
            ),
            VisitResult.REFUSED: [Obs.ODOUR],
            VisitResult.CANCELLED: [],
        }[result]
        next_on = self.today + _days(self.rng.randint(7, 20)) if plan == "met_next" else None
        self.record(worker, visit, result, observed, next_visit_on=next_on)
