"""Building the planned world through the services: the seed_demo command."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Permission
from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone

from casework import selectors, services
from casework.demo import scores
from casework.demo.links import _BuildLinks
from casework.demo.planner import Planner
from casework.demo.plans import HOUKATSU, CasePlan, PersonPlan, Step
from casework.demo.report import COUNTED, _pad, _width
from casework.demo.texts import (
    AGENCIES,
    AGENCY_ADMIN_PERMISSIONS,
    PLAN_RETURN_NOTE,
    STAFF,
    SUPERUSER,
)
from casework.models import (
    Agency,
    Case,
    Concern,
    District,
    MonitoringEntry,
    Person,
    Relation,
    Role,
    StaffMembership,
    SupportPlan,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import User
    from django_stubs_ext import StrOrPromise

# Demo seeders of the other apps, run after the casework (each one idempotent).
DEMO_SEEDERS = ("seed_referrals", "seed_outreach", "seed_indicators")


class Command(_BuildLinks, BaseCommand):
    help = (
        "Fill the database with a demo world of Meguro agencies, staff, persons and cases "
        "taken through the whole consultation workflow (development only; idempotent)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even when DEBUG is off. Never on a database holding real people.",
        )

    def handle(self, *args: Any, force: bool = False, **options: Any) -> None:
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_demo refuses to run with DEBUG off: it creates demo accounts that share "
                "one published password. Use --force only on a disposable demo database."
            )
        started = time.monotonic()
        with transaction.atomic():
            agencies = self._agencies()
            users, existing = self._users(agencies)
            before = {label: model.objects.count() for label, model in COUNTED}
            seeded = self._casework(agencies, users)
            created = {label: model.objects.count() - before[label] for label, model in COUNTED}
        elapsed = time.monotonic() - started

        if seeded:
            figures = ", ".join(f"{n} {label}" for label, n in created.items())
            self.stdout.write(f"Created {figures} in {elapsed:.1f}s.")
        else:
            self.stdout.write("The demo casework is already in place; nothing to add.")
        # The other apps seed their own demo data; casework knows them only by command name.
        available = get_commands()
        for command in DEMO_SEEDERS:
            if command in available:
                call_command(command, force=force, stdout=self.stdout)
        self._print_logins(existing)

    # agencies and staff

    def _agencies(self) -> dict[str, Agency]:
        districts = {d.code: d for d in District.objects.all()}
        missing = {code for *_, code in AGENCIES.values() if code} - set(districts)
        if missing:
            raise CommandError(
                f"Districts {sorted(missing)} are missing: run `manage.py migrate` first."
            )
        agencies: dict[str, Agency] = {}
        for key, (name, kind, district) in AGENCIES.items():
            agencies[key], _ = Agency.objects.get_or_create(
                name=name,
                defaults={"kind": kind, "district": districts[district] if district else None},
            )
        return agencies

    def _users(self, agencies: dict[str, Agency]) -> tuple[dict[str, User], set[str]]:
        UserModel = get_user_model()
        hashed: list[str] = []

        def demo_password() -> str:
            # One hash for every demo account: they share one published password, and
            # hashing it thirty times would take most of the run.
            if not hashed:
                hashed.append(make_password(settings.TSUNAGU_DEMO_PASSWORD))
            return hashed[0]

        accounts: list[tuple[str, str | None, str | None, str, str, bool, bool]] = [
            (username, agency_key, role, family, given, role == Role.AGENCY_ADMIN, False)
            for username, agency_key, role, family, given in STAFF
        ]
        accounts.append((SUPERUSER[0], None, None, SUPERUSER[1], SUPERUSER[2], True, True))
        found = UserModel.objects.in_bulk([a[0] for a in accounts], field_name="username")
        admin_perms: list[Permission] | None = None
        users: dict[str, User] = {}
        existing: set[str] = set()
        for username, agency_key, role, family, given, is_staff, is_superuser in accounts:
            if username in found:
                users[username] = found[username]
                existing.add(username)
                continue
            user = UserModel.objects.create(
                username=username,
                last_name=family,
                first_name=given,
                password=demo_password(),
                is_staff=is_staff,
                is_superuser=is_superuser,
            )
            if role is not None:
                assert agency_key is not None  # every staff account has an agency
                StaffMembership.objects.create(user=user, agency=agencies[agency_key], role=role)
            if role == Role.AGENCY_ADMIN:
                if admin_perms is None:
                    admin_perms = [
                        Permission.objects.get(content_type__app_label=app, codename=codename)
                        for app, codename in AGENCY_ADMIN_PERMISSIONS
                    ]
                user.user_permissions.add(*admin_perms)
            users[username] = user
        return users, existing

    # persons and cases

    def _casework(self, agencies: dict[str, Agency], users: dict[str, User]) -> bool:
        # The demo world is one piece: if its people are there, it has been seeded before,
        # and redrawing it (dates move with today) would only duplicate it.
        if Person.objects.filter(registered_by_agency__in=agencies.values()).exists():
            return False
        self.agencies, self.users = agencies, users
        self.districts = {d.code: d for d in District.objects.all()}
        today = timezone.localdate()
        planner = Planner(today)
        self.cases: list[tuple[PersonPlan, CasePlan, Case]] = []
        self.persons: dict[str, Person] = {}
        cases_by_tag: dict[str, Case] = {}
        for plan in planner.build():
            person = self._person(plan, users[plan.registrar])
            self.persons[plan.tag] = person
            for case_plan in sorted(plan.cases, key=lambda c: c.opened_on):
                case = self._case(person, case_plan)
                self.cases.append((plan, case_plan, case))
                if case.is_open:
                    cases_by_tag[plan.tag] = case
        self._shares_within_agencies(cases_by_tag, users)
        self._shares_across_agencies(cases_by_tag, agencies, users, today)
        self._households_8050(cases_by_tag, agencies, users, today)
        self._meetings(planner, cases_by_tag, agencies, users, today)
        self._confidential_marks()
        return True

    def _confidential_marks(self) -> None:
        """Two open abuse cases carry a mark: a DV victim's address hidden (their worker
        alone sees it), an abuse case's records hidden (worker and supervisor see them)."""
        abuse = [
            (case_plan, case)
            for _plan, case_plan, case in self.cases
            if case.is_open and case.main_concern == Concern.ABUSE
        ]
        for index, (case_plan, case) in enumerate(abuse[:2]):
            worker = self.users[case_plan.worker]
            services.mark_place(
                actor=worker,
                person=case.person,
                kind="address" if index == 0 else "records",
                case=None if index == 0 else case,
                reason="DV等支援措置(住所秘匿)" if index == 0 else "虐待対応の記録",
                staff=[worker] if index == 0 else [worker, self.users[case_plan.supervisor]],
            )

    def _person(self, plan: PersonPlan, actor: User) -> Person:
        return services.person_create(
            actor=actor,
            family_name=plan.family_name,
            given_name=plan.given_name,
            family_name_kana=plan.family_name_kana,
            given_name_kana=plan.given_name_kana,
            birth_date=plan.birth_date,
            sex=plan.sex,
            address=plan.address,
            district=self.districts[plan.district],
            phone=plan.phone,
        )

    def _case(self, person: Person, plan: CasePlan) -> Case:
        """The case's whole course, one service call at a time, as the worker and the
        supervisor would have made them."""
        worker, supervisor = self.users[plan.worker], self.users[plan.supervisor]
        intake = plan.intake
        assert intake is not None  # drawn with the case
        case = services.case_intake(
            actor=worker,
            person=person,
            received_on=plan.opened_on,
            route=intake.route,
            main_concern=plan.main_concern,
            other_concerns=plan.other_concerns,
            chief_complaint=intake.chief_complaint,
            came_in_person=intake.came_in_person,
            visitor_name=intake.visitor_name,
            visitor_relation=intake.visitor_relation,
            consent_status=intake.consent_status,
        )
        for contact in plan.contacts:
            services.contact_record_add(
                actor=worker,
                case=case,
                occurred_at=contact.occurred_at,
                method=contact.method,
                minutes=contact.minutes,
                summary=contact.summary,
                next_action=contact.next_action,
            )
        in_force: SupportPlan | None = None  # the approved plan monitoring is recorded against
        start: dict[str, int] = {}  # its baseline on the 評価シート's change items
        children: list[Person] = []
        for step in plan.steps:
            data = step.data
            if step.kind == "emergency":
                services.emergency_support_add(
                    actor=worker,
                    case=case,
                    provided_on=step.on,
                    kind=data["kind"],
                    description=data["description"],
                )
            elif step.kind == "screening":
                services.screening_decide(
                    actor=worker,
                    case=case,
                    result=data["result"],
                    decided_on=step.on,
                    note=data["note"],
                )
            elif step.kind == "assessment":
                services.assessment_add(actor=worker, case=case, assessed_on=step.on, **data)
            elif step.kind == "plan":
                support_plan = self._plan(case, plan, step, worker, supervisor)
                if support_plan.state == "approved":
                    in_force = support_plan
                    start = selectors.plan_baseline(support_plan)
            elif step.kind == "monitoring":
                assert in_force is not None  # the planner monitors approved plans only
                services.monitoring_add(
                    actor=worker,
                    plan=in_force,
                    monitored_on=step.on,
                    progress=data["progress"],
                    notes=data["notes"],
                    next_monitoring_on=data["next"],
                    kind=data["kind"],
                    scores=(
                        scores.evaluation(f"{case.number}:{step.on}", start, data["progress"])
                        if data["kind"] == MonitoringEntry.Kind.EVALUATION
                        else None
                    ),
                )
            elif step.kind == "child":
                child = self._person(data["person"], worker)
                services.household_link(
                    actor=worker,
                    person=person,
                    person_relation=Relation.HEAD,
                    member=child,
                    member_relation=Relation.CHILD,
                )
                children.append(child)
            elif step.kind == "enrol":
                enrolled = person if data["who"] is None else children[data["who"]]
                self._enrol(case, enrolled, step, worker)
            elif step.kind == "closure":
                # A case closes on or after its last contact.
                last = case.contacts.order_by("-occurred_at").first()
                closing_on = step.on
                if last and timezone.localdate(last.occurred_at) > closing_on:
                    closing_on = timezone.localdate(last.occurred_at)
                request = services.closure_request_submit(
                    actor=worker,
                    case=case,
                    reason=data["reason"],
                    closing_on=closing_on,
                    note=data["note"],
                )
                if data["decision"]:
                    services.closure_decide(
                        actor=supervisor,
                        request=request,
                        approve=data["decision"] == "approve",
                        note=data["decision_note"],
                    )
            elif step.kind == "reopen":
                services.case_reopen(actor=supervisor, case=case, reason=data["reason"])
            else:  # pragma: no cover - a typo in the planner
                raise CommandError(f"unknown workflow step {step.kind!r}")
        case.refresh_from_db()
        return case

    def _plan(
        self, case: Case, plan: CasePlan, step: Step, worker: User, supervisor: User
    ) -> SupportPlan:
        actions = []
        for description, key, note, frequency in step.data["actions"]:
            if key == "own":
                key = plan.agency
            elif key == "houkatsu":
                key = HOUKATSU[step.data["district"]]
            actions.append(
                {
                    "description": description,
                    "agency": self.agencies[key] if key else None,
                    "agency_note": note,
                    "frequency": frequency,
                    "is_employment_support": description in scores.EMPLOYMENT_SUPPORT_ACTIONS,
                }
            )
        employment = any(a["is_employment_support"] for a in actions)
        version = case.plans.count() + 1
        support_plan = services.plan_create(
            actor=worker,
            case=case,
            actions=actions,
            baseline=scores.baseline(f"{case.number}:{version}", employment),
            **step.data["fields"],
        )
        state = step.data["state"]
        if state == "draft":
            return support_plan
        support_plan = services.plan_submit(actor=worker, plan=support_plan)
        if state == "returned":
            return services.plan_return(actor=supervisor, plan=support_plan, note=PLAN_RETURN_NOTE)
        if state == "approved":
            return services.plan_approve(actor=supervisor, plan=support_plan)
        return support_plan

    def _enrol(self, case: Case, person: Person, step: Step, worker: User) -> None:
        data = step.data
        enrolment = services.enrolment_add(
            actor=worker,
            case=case,
            person=person,
            programme=data["programme"],
            enrolled_on=step.on,
        )
        for kind, day, note in data["outcomes"]:
            services.outcome_add(
                actor=worker, enrolment=enrolment, kind=kind, achieved_on=day, note=note
            )
        if data["left_on"]:
            services.enrolment_leave(actor=worker, enrolment=enrolment, left_on=data["left_on"])

    # the logins
    def _print_logins(self, existing: set[str]) -> None:
        rows: list[tuple[str, StrOrPromise, str, str]] = [("username", "role", "agency", "name")]
        for username, agency_key, role, family, given in STAFF:
            rows.append((username, Role(role).label, AGENCIES[agency_key][0], f"{family} {given}"))
        rows.append((SUPERUSER[0], "システム管理者", "-", f"{SUPERUSER[1]} {SUPERUSER[2]}"))
        widths = [max(_width(str(row[i])) for row in rows) for i in range(4)]
        self.stdout.write("")
        self.stdout.write("Demo logins:")
        for index, row in enumerate(rows):
            self.stdout.write(
                "  " + "  ".join(_pad(str(c), w) for c, w in zip(row, widths, strict=True)).rstrip()
            )
            if index == 0:
                self.stdout.write("  " + "  ".join("-" * w for w in widths))
        self.stdout.write("")
        self.stdout.write(f"Password for every demo login: {settings.TSUNAGU_DEMO_PASSWORD}")
        if existing:
            self.stdout.write(
                f"{len(existing)} of these accounts already existed and were left unchanged "
                "(a password changed since stays changed)."
            )
