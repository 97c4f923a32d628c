"""What the planner draws before anything is written: plans of persons, cases, contacts,
steps."""

from __future__ import annotations

import datetime
import random
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from casework.demo.texts import C
from casework.models import CaseStatus

# --- the plan: everything drawn from the seed, before touching the database ------------------

DAY = datetime.timedelta(days=1)


def _days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)


@dataclass
class ContactPlan:
    occurred_at: datetime.datetime
    method: str
    minutes: int
    summary: str
    next_action: str = ""


@dataclass
class IntakePlan:
    route: str
    came_in_person: bool
    visitor_name: str
    visitor_relation: str
    complaint: str  # what is asked, as the first contact records it
    chief_complaint: str  # the same, saying who asked when it was not the person
    consent_status: str
    method: str  # of the first contact
    opening: str  # how the first contact came about


@dataclass
class Step:
    """One call of a workflow service, in the order the services must see it."""

    kind: str
    on: datetime.date
    data: dict[str, Any] = field(default_factory=dict)  # what the step's service takes


@dataclass
class CasePlan:
    worker: str
    supervisor: str
    agency: str
    status: CaseStatus
    opened_on: datetime.date
    main_concern: str
    other_concerns: tuple[str, ...]
    closed_on: datetime.date | None = None
    # The last day anything happens on the case: closing day, or a day 30+ days ago for a
    # case nobody has been in touch with lately, or yesterday.
    active_until: datetime.date | None = None
    path: str = ""  # "intake", "refer", "info_only" or "continue"
    depth: int = 0  # how far "continue" went: 1 screened … 4 plan approved, 5 monitored
    reason: str = ""  # why a closed case closed
    hints: frozenset[str] = frozenset()
    role: str = ""  # "8050_parent", "8050_child", "family" or ""
    intake: IntakePlan | None = None
    steps: list[Step] = field(default_factory=list)
    contacts: list[ContactPlan] = field(default_factory=list)


@dataclass
class PersonPlan:
    family_name: str
    given_name: str
    family_name_kana: str
    given_name_kana: str
    birth_date: datetime.date
    sex: str
    address: str
    district: str
    phone: str
    agency: str
    registrar: str
    cases: list[CasePlan] = field(default_factory=list)
    tag: str = ""


def _years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _age_on(birth: datetime.date, day: datetime.date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def _school_year(age: int) -> str:
    """The school year (学年) a child of that age is roughly in."""
    if age <= 11:
        return f"小学{min(6, max(1, age - 5))}年生"
    if age <= 14:
        return f"中学{age - 11}年生"
    return f"高校{min(3, age - 14)}年生"


def _cohort(year: int) -> str:
    if year < 1950:
        return "before1950"
    if year < 1975:
        return "1950s_1970s"
    if year < 2000:
        return "1975_1999"
    return "since2000"


# The district's comprehensive support centre (the demo has three of the ward's five).
HOUKATSU = {"north": "hokubu", "east": "toubu", "central": "toubu", "south": "seibu",
            "west": "seibu"}  # fmt: skip


EMPLOYMENT_CONCERNS = frozenset(
    {C.JOB_SEARCH, C.WORK_WORRY, C.INCOME, C.DEBT, C.RENT_LOAN, C.HOUSING, C.FOOD}
)


# --- what the planner's parts share ------------------------------------------------------


class _PlannerBase:
    """What the planner's parts (people, course, records) share: the attributes
    _PlannerPeople sets, and the methods one part calls on another. Declarations only, for
    the type checker: Planner inherits the real ones from the parts."""

    rng: random.Random
    today: datetime.date
    yesterday: datetime.date
    fy_start: datetime.date

    if TYPE_CHECKING:
        # _PlannerPeople
        def between(self, low: datetime.date, high: datetime.date) -> datetime.date: ...
        def group(self, person: PersonPlan) -> str: ...
        def age(self, bands: tuple[tuple[int, int, int], ...]) -> int: ...
        def person(
            self,
            *,
            agency: str,
            age: int,
            district: str,
            sex: str | None = None,
            family: tuple[str, str] | None = None,
            address: str | None = None,
            phone: str | None = None,
        ) -> PersonPlan: ...
        def case(
            self,
            person: PersonPlan,
            *,
            status: CaseStatus,
            main: str,
            pool: Iterable[str],
            role: str = "",
            opened_on: datetime.date | None = None,
            closed_on: datetime.date | None = None,
            hints: Iterable[str] = frozenset(),
            visitor: tuple[str, str] | None = None,
            children: tuple[PersonPlan, ...] = (),
        ) -> CasePlan: ...

        # _PlannerCourse
        def course(
            self, case: CasePlan, person: PersonPlan, closed_on: datetime.date | None
        ) -> None: ...
        def intake(
            self, case: CasePlan, person: PersonPlan, visitor: tuple[str, str] | None
        ) -> IntakePlan: ...
        def flow(
            self, case: CasePlan, person: PersonPlan, children: tuple[PersonPlan, ...] = ()
        ) -> None: ...

        # _PlannerRecords
        def agency_key(self, key: str | None, person: PersonPlan) -> str | None: ...
        def assessment(
            self, case: CasePlan, person: PersonPlan, version: int
        ) -> dict[str, Any]: ...
        def plan(
            self,
            case: CasePlan,
            person: PersonPlan,
            version: int,
            start: datetime.date,
            state: str,
            next_on: datetime.date,
            employment: bool,
        ) -> Step: ...
        def fiscal_window(
            self, case: CasePlan, screened: datetime.date
        ) -> tuple[datetime.date, datetime.date] | None: ...
        def children(
            self,
            case: CasePlan,
            children: tuple[PersonPlan, ...],
            since: datetime.date,
            window: tuple[datetime.date, datetime.date] | None,
        ) -> None: ...
        def enrolment(
            self,
            case: CasePlan,
            who: int | None,
            programme: str,
            since: datetime.date,
            window: tuple[datetime.date, datetime.date] | None = None,
        ) -> Step: ...
        def closure(
            self,
            case: CasePlan,
            day: datetime.date,
            reason: str,
            *,
            decision: str | None = "approve",
            decision_note: str = "",
            target: str | None = None,
        ) -> Step: ...
        def contacts(self, case: CasePlan) -> list[ContactPlan]: ...
