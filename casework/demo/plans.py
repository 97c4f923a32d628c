"""What the planner draws before anything is written: plans of persons, cases, contacts,
steps."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from casework.demo.texts import C

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
    data: dict = field(default_factory=dict)


@dataclass
class CasePlan:
    worker: str
    supervisor: str
    agency: str
    status: str
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
