"""The planner's people: names, ages, addresses and phones, and the cases drawn for them."""

from __future__ import annotations

import datetime
import random
from collections.abc import Iterable

from casework.demo.plans import (
    DAY,
    CasePlan,
    PersonPlan,
    _age_on,
    _cohort,
    _days,
    _PlannerBase,
    _years_before,
)
from casework.demo.texts import (
    AGENCIES,
    BUILDINGS,
    CASE_WORKER_ROLES,
    CSW_DISTRICTS,
    FAMILY_NAMES,
    GIVEN_NAMES,
    KANJI_DIGITS,
    OPENED_DAYS_AGO,
    SECONDARY_CONCERNS,
    SEED,
    STAFF,
    TOWNS,
)
from casework.models import (
    CaseStatus,
    Role,
    Sex,
)


class _PlannerPeople(_PlannerBase):
    """Who the demo persons are: names, ages, addresses, phones; their cases drawn."""

    def __init__(self, today: datetime.date) -> None:
        self.rng = random.Random(SEED)
        self.today = today
        self.yesterday = today - DAY
        # The fiscal year (April to March) today falls in starts on this day.
        self.fy_start = datetime.date(today.year if today.month >= 4 else today.year - 1, 4, 1)
        self.used_names: set[tuple[str, str]] = set()
        self.workers = {
            key: [u for u, a, role, *_ in STAFF if a == key and role in CASE_WORKER_ROLES]
            for key in AGENCIES
        }
        self.supervisors = {a: u for u, a, role, *_ in STAFF if role == Role.SUPERVISOR}

    def registrar(self, agency: str, district: str) -> str:
        # The council's CSWs each cover their own districts; its consultation desk takes
        # the rest.
        if agency == "shakyo" and self.rng.random() < 0.75:
            return CSW_DISTRICTS[district]
        return self.rng.choice(self.workers[agency])

    def between(self, low: datetime.date, high: datetime.date) -> datetime.date:
        """A day from low to high, both included (low when high is earlier)."""
        if high <= low:
            return low
        return low + _days(self.rng.randint(0, (high - low).days))

    def group(self, person: PersonPlan) -> str:
        age = _age_on(person.birth_date, self.today)
        return "child" if age < 18 else "elder" if age >= 65 else "adult"

    # persons

    def birth_date(self, age: int) -> datetime.date:
        return _years_before(self.today, age) - _days(self.rng.randint(0, 364))

    def name(
        self, sex: str, birth: datetime.date, family: tuple[str, str] | None = None
    ) -> tuple[str, str, str, str]:
        cohort = _cohort(birth.year)
        for _ in range(50):
            fam = family or self.rng.choice(FAMILY_NAMES)
            given = self.rng.choice(GIVEN_NAMES[cohort][sex])
            if (fam[0], given[0]) not in self.used_names:
                break
        self.used_names.add((fam[0], given[0]))
        return fam[0], given[0], fam[1], given[1]

    def address(self, district: str) -> str:
        town, chome_count = self.rng.choice(TOWNS[district])
        chome = KANJI_DIGITS[self.rng.randint(1, chome_count)]
        text = f"目黒区{town}{chome}丁目{self.rng.randint(1, 30)}番{self.rng.randint(1, 25)}号"
        if self.rng.random() < 0.45:
            room = f"{self.rng.randint(1, 4)}{self.rng.randint(1, 8):02d}"
            text += f" {self.rng.choice(BUILDINGS)}{room}号室"
        return text

    def phone(self, age: int) -> str:
        draw = self.rng.random()
        if draw < 0.08:
            return ""
        if age < 65 and draw < 0.55:
            prefix = self.rng.choice(("090", "080", "070"))
            return f"{prefix}-{self.rng.randint(1000, 9999)}-{self.rng.randint(0, 9999):04d}"
        exchange = self.rng.choice((3710, 3711, 3712, 3713, 3714, 3715, 3716, 3717, 3718,
                                    3719, 3723, 3724, 3725, 3760, 3791, 3792, 3793, 5701,
                                    5704, 5721))  # fmt: skip
        return f"03-{exchange}-{self.rng.randint(0, 9999):04d}"

    def age(self, bands: tuple[tuple[int, int, int], ...]) -> int:
        low, high, _ = self.rng.choices(bands, weights=[w for *_, w in bands])[0]
        return self.rng.randint(low, high)

    def person(self, *, agency: str, age: int, district: str, sex: str | None = None,
               family: tuple[str, str] | None = None, address: str | None = None,
               phone: str | None = None) -> PersonPlan:  # fmt: skip
        if sex is None:
            # Women outlive men: the older the caseload, the more of them.
            sex = Sex.FEMALE if self.rng.random() < (0.6 if age >= 65 else 0.5) else Sex.MALE
        birth = self.birth_date(age)
        fam, given, fam_kana, given_kana = self.name(sex, birth, family)
        return PersonPlan(
            family_name=fam,
            given_name=given,
            family_name_kana=fam_kana,
            given_name_kana=given_kana,
            birth_date=birth,
            sex=sex,
            address=address if address is not None else self.address(district),
            district=district,
            phone=phone if phone is not None else self.phone(age),
            agency=agency,
            registrar=self.registrar(agency, district),
        )

    # cases

    def case(self, person: PersonPlan, *, status: CaseStatus, main: str, pool: Iterable[str],
             role: str = "", opened_on: datetime.date | None = None,
             closed_on: datetime.date | None = None, hints: Iterable[str] = frozenset(),
             visitor: tuple[str, str] | None = None,
             children: tuple[PersonPlan, ...] = ()) -> CasePlan:  # fmt: skip
        if opened_on is None:
            low, high = OPENED_DAYS_AGO[status]
            opened_on = self.today - _days(self.rng.randint(low, high))
        drawn = self.rng.sample([*pool, *SECONDARY_CONCERNS], self.rng.randint(0, 3))
        plan = CasePlan(
            worker=person.registrar,
            supervisor=self.supervisors[person.agency],
            agency=person.agency,
            status=status,
            opened_on=opened_on,
            main_concern=main,
            other_concerns=tuple(sorted(set(drawn) - {main})),
            role=role,
            hints=frozenset(hints),
        )
        self.course(plan, person, closed_on)
        plan.intake = self.intake(plan, person, visitor)
        self.flow(plan, person, children)
        plan.contacts = self.contacts(plan)
        return plan
