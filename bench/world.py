"""What the bench world holds, drawn from the seed before anything is written: how many cases
each agency owns, which worker holds each, who the persons are, and when things happened."""

from __future__ import annotations

import bisect
import datetime
import random
from dataclasses import dataclass, field

from django.utils import timezone

from bench.names import BUILDINGS, FAMILY_NAMES, GIVEN_FEMALE, GIVEN_MALE, TOWNS
from bench.staff import CSW, Organisation
from casework.models import CaseStatus, Concern, District, Sex

DAY = datetime.timedelta(days=1)
CASES_PER_SCALE = 10_000
CONTACTS_PER_CASE = 10
# Open cases per CSW or consultation worker; the rest of an agency's cases are closed.
OPEN_PER_WORKER = (30, 80)
BENCH_CSW_OPEN = 60
# At most this share of an agency's cases is open (tiny worlds scale the figures down).
MAX_OPEN_SHARE = 0.45
SECOND_CASE_SHARE = 0.07  # cases of a person who already has a case at another agency

# The way a case goes, in order; a closed case stopped at one of them first.
STATUS_PATH = (
    CaseStatus.INTAKE,
    CaseStatus.SCREENING,
    CaseStatus.ASSESSMENT,
    CaseStatus.PLANNING,
    CaseStatus.SUPPORT,
    CaseStatus.MONITORING,
)
OPEN_STATUS_WEIGHTS = (10, 5, 15, 10, 45, 15)
FINAL_STATUS_WEIGHTS = (15, 5, 10, 5, 50, 15)


@dataclass(slots=True)
class CaseRow:
    id: int
    agency: int  # index into the organisation
    worker: int | None  # the primary worker's user id (the assignment kept after closure)
    is_open: bool
    status: str
    final: str  # the last status before closing (the status itself while open)
    opened_on: datetime.date
    closed_on: datetime.date | None
    created_at: datetime.datetime
    concern: str
    person: int = 0
    creator: int = 0
    co_worker: int | None = None
    former: int | None = None  # a worker who handed the case over
    handover: datetime.datetime | None = None
    quiet: bool = False  # no contact in the last 30 days (open cases)
    contacts_first: int = 0
    contacts_n: int = 0

    @property
    def end(self) -> datetime.date:
        return self.closed_on or timezone.localdate()


@dataclass(slots=True)
class PersonRow:
    id: int
    family: str
    given: str
    family_kana: str
    given_kana: str
    birth: datetime.date | None
    sex: str
    address: str
    district_id: int
    phone: str
    agency_id: int
    created_at: datetime.datetime


@dataclass
class Sizes:
    scale: float
    cases: int
    contacts: int
    agencies: int
    officers: int

    @classmethod
    def of(cls, scale: float) -> Sizes:
        cases = max(50, round(CASES_PER_SCALE * scale))
        return cls(
            scale=scale,
            cases=cases,
            contacts=CONTACTS_PER_CASE * cases,
            agencies=max(3, round(3 * scale)),
            officers=max(1, round(0.3 * scale)),
        )


def local(day: datetime.date, minutes: int) -> datetime.datetime:
    """A time on that day in the ward's zone, `minutes` after midnight."""
    start = datetime.datetime(day.year, day.month, day.day, tzinfo=timezone.get_current_timezone())
    return start + datetime.timedelta(minutes=minutes)


def office_time(rng: random.Random, day: datetime.date) -> datetime.datetime:
    return local(day, rng.randint(9 * 60, 17 * 60 + 30))


def between(rng: random.Random, low: datetime.date, high: datetime.date) -> datetime.date:
    if high <= low:
        return low
    return low + DAY * rng.randint(0, (high - low).days)


def split(total: int, weights: list[float]) -> list[int]:
    """`total` in parts proportional to the weights (largest remainder)."""
    whole = sum(weights)
    raw = [total * w / whole for w in weights]
    parts = [int(r) for r in raw]
    for i in sorted(range(len(raw)), key=lambda i: raw[i] - parts[i], reverse=True)[
        : total - sum(parts)
    ]:
        parts[i] += 1
    return parts


@dataclass
class World:
    sizes: Sizes
    cases: list[CaseRow] = field(default_factory=list)
    persons: list[PersonRow] = field(default_factory=list)


def draw_cases(
    rng: random.Random, org: Organisation, sizes: Sizes, first_case_id: int, first_person_id: int
) -> World:
    today = timezone.localdate()
    n = len(org.agencies)
    large = max(round(0.05 * sizes.cases), round(1.5 * sizes.cases / (n + 0.5)))
    large = min(large, sizes.cases - 10 * (n - 1))
    others = split(
        sizes.cases - large,
        [max(1, len(a.workers)) * rng.uniform(0.8, 1.2) for a in org.agencies[1:]],
    )
    rows: list[CaseRow] = []
    for index, (staff, total) in enumerate(zip(org.agencies, [large, *others], strict=True)):
        draws = {
            w.pk: BENCH_CSW_OPEN if w.username == CSW else rng.randint(*OPEN_PER_WORKER)
            for w in staff.workers
        }
        wanted = sum(draws.values())
        if wanted > MAX_OPEN_SHARE * total:
            factor = MAX_OPEN_SHARE * total / wanted
            draws = {k: max(1, round(v * factor)) for k, v in draws.items()}
        unassigned = round(0.01 * sum(draws.values()))
        closed = max(0, total - sum(draws.values()) - unassigned)
        holders: list[int | None] = [w for w, d in draws.items() for _ in range(d)]
        holders += [None] * unassigned
        open_n = len(holders)
        workers = [w.pk for w in staff.workers]
        holders += [rng.choice(workers) for _ in range(closed)]
        for k, worker in enumerate(holders[:total]):
            row = _case(rng, today, index, worker, k < open_n)
            # Whoever opened it was assigned; a case nobody holds lost its worker since.
            row.creator = worker or rng.choice(workers)
            rows.append(row)
    # Ids follow the order of opening, as they would in the running system.
    rows.sort(key=lambda r: r.created_at)
    for offset, row in enumerate(rows):
        row.id = first_case_id + offset
    world = World(sizes=sizes, cases=rows)
    _draw_persons(rng, org, world, first_person_id)
    return world


def _case(
    rng: random.Random, today: datetime.date, agency: int, worker: int | None, is_open: bool
) -> CaseRow:
    if is_open:
        # Most open cases are recent; some have gone on for years. None opened today: its
        # office hours may be still to come.
        age = max(1, min(int(rng.expovariate(1 / 300)), 3 * 365))
        opened = today - DAY * age
        status = rng.choices(STATUS_PATH, OPEN_STATUS_WEIGHTS)[0]
        final = status
        closed_on = None
        if age < 14:
            status = final = rng.choice(STATUS_PATH[:3])
    else:
        opened = today - DAY * rng.randint(60, 8 * 365)
        span = (today - opened).days - 1
        closed_on = opened + DAY * rng.randint(min(14, span), min(730, span))
        final = rng.choices(STATUS_PATH, FINAL_STATUS_WEIGHTS)[0]
        status = CaseStatus.CLOSED
    return CaseRow(
        id=0,
        agency=agency,
        worker=worker,
        is_open=is_open,
        status=status,
        final=final,
        opened_on=opened,
        closed_on=closed_on,
        created_at=office_time(rng, opened),
        concern=rng.choice(Concern.values),
        quiet=is_open and rng.random() < 0.25,
    )


def _draw_persons(rng: random.Random, org: Organisation, world: World, first_id: int) -> None:
    districts = list(District.objects.order_by("sort_order", "pk"))
    by_agency_district = {
        i: a.agency.district_id for i, a in enumerate(org.agencies) if a.agency.district_id
    }
    surnames = [(k, kana) for k, kana, _w in FAMILY_NAMES]
    cum = []
    total = 0.0
    for *_name, weight in FAMILY_NAMES:
        total += weight
        cum.append(total)
    today = timezone.localdate()
    next_id = first_id
    for i, case in enumerate(world.cases):
        if i > 20 and rng.random() < SECOND_CASE_SHARE:
            other = world.cases[rng.randrange(i)]
            if other.agency != case.agency:
                case.person = other.person
                continue
        family, family_kana = surnames[bisect.bisect(cum, rng.random() * total)]
        sex = rng.choices((Sex.MALE, Sex.FEMALE, Sex.OTHER, Sex.UNKNOWN), (48, 48, 1, 3))[0]
        given_pool = GIVEN_MALE if sex == Sex.MALE else GIVEN_FEMALE
        if sex not in (Sex.MALE, Sex.FEMALE):
            given_pool = rng.choice((GIVEN_MALE, GIVEN_FEMALE))
        given, given_kana = rng.choice(given_pool)
        band = rng.random()
        if band < 0.1:
            age = rng.randint(1, 17)
        elif band < 0.55:
            age = rng.randint(18, 64)
        else:
            age = rng.randint(65, 98)
        birth = None if rng.random() < 0.02 else today - DAY * (age * 365 + rng.randint(0, 364))
        district_id = by_agency_district.get(case.agency)
        if district_id is None or rng.random() < 0.2:
            district_id = rng.choice(districts).pk
        code = next(d.code for d in districts if d.pk == district_id)
        town = rng.choice(TOWNS.get(code, ("目黒",)))
        address = (
            f"東京都目黒区{town}{rng.randint(1, 5)}丁目{rng.randint(1, 30)}番{rng.randint(1, 20)}号"
        )
        if rng.random() < 0.5:
            address += f" {rng.choice(BUILDINGS)}{rng.randint(1, 4)}0{rng.randint(1, 9)}"
        phone = ""
        if rng.random() < 0.75:
            phone = (
                f"03-{rng.randint(3710, 3799)}-{rng.randint(0, 9999):04d}"
                if rng.random() < 0.5
                else f"090-{rng.randint(1000, 9999)}-{rng.randint(0, 9999):04d}"
            )
        world.persons.append(
            PersonRow(
                id=next_id,
                family=family,
                given=given,
                family_kana=family_kana,
                given_kana=given_kana,
                birth=birth,
                sex=sex,
                address=address,
                district_id=district_id,
                phone=phone,
                agency_id=org.agencies[case.agency].agency.pk,
                created_at=case.created_at - datetime.timedelta(minutes=rng.randint(5, 60)),
            )
        )
        case.person = next_id
        next_id += 1
