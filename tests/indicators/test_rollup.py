"""The roll-up from records: each indicator counts what its definition says."""

import datetime

import pytest

from indicators.rollup import roll_up
from tests.indicators.builders import D, plan_baseline

pytestmark = pytest.mark.django_db


def _total(figures, code):
    if code in figures.counts:
        return sum(figures.counts[code].values())
    if code in figures.persons:
        return figures.persons[code].total
    rate = figures.rates[code]
    return sum(rate.numerators.values()), sum(rate.denominators.values())


def test_plan_baseline_dataset_rolls_up_to_the_plans_figures(world):
    plan_baseline(world, 2024)
    figures = roll_up(2024)
    assert _total(figures, "P1-3a") == 40
    assert _total(figures, "P1-3b") == 9
    assert _total(figures, "P2-1a") == 6700


def test_children_count_distinct_persons_registered_on_any_day_of_the_year(world):
    across = world.child(D(2024, 10, 1), D(2025, 6, 30))  # spans the FY boundary
    person = world.person(birth_date=D(2014, 1, 1))
    world.enrol(person, "child_study", D(2025, 4, 1), D(2025, 5, 31))
    world.enrol(person, "child_study", D(2025, 9, 1), D(2026, 3, 31))  # twice in FY2025
    world.child(D(2025, 3, 31), D(2025, 3, 31))  # one day, on March 31 of FY2024
    world.child(D(2026, 4, 1))  # April 1: the next year
    assert _total(roll_up(2024), "P1-3a") == 2  # `across` and the March 31 child
    assert _total(roll_up(2025), "P1-3a") == 2  # `across` again and the twice-enrolled child
    assert _total(roll_up(2026), "P1-3a") == 1
    assert across.person_id


def test_employment_counts_distinct_persons_with_a_work_outcome_in_the_year(world):
    enrolment = world.employed(D(2025, 3, 31))  # March 31: FY2024
    world.employed(D(2025, 4, 1), enrolment=enrolment)  # April 1, the same person: FY2025
    world.employed(D(2025, 9, 1), enrolment=enrolment)  # again in FY2025: still one person
    world.employed(D(2025, 5, 1), kind="income_up")  # more income is not work
    # A person with two enrolments, each ending in work in FY2025, is one person.
    person = world.person(birth_date=D(1975, 1, 1))
    first = world.enrol(person, "employment", D(2025, 4, 1), D(2025, 6, 1))
    second = world.enrol(person, "employment", D(2025, 7, 1))
    world.employed(D(2025, 5, 1), enrolment=first)
    world.employed(D(2025, 12, 1), enrolment=second)
    assert _total(roll_up(2024), "P1-3b") == 1
    assert _total(roll_up(2025), "P1-3b") == 2


def test_attendances_are_summed_per_session_in_the_year(world):
    group = world.group(kind="exercise")
    world.session(group, D(2025, 3, 31), 12)
    world.session(group, D(2025, 4, 1), 15)
    world.session(group, D(2026, 3, 31), 7)
    world.session(world.group(kind="salon"), D(2025, 6, 1), 100)
    assert _total(roll_up(2024), "P2-1a") == 12
    assert _total(roll_up(2025), "P2-1a") == 22  # 延べ: attendances add up


def test_services_and_awareness_participants_accumulate_from_fy2022(world):
    world.service(D(2022, 3, 31))  # before the plan: never counted
    world.service(D(2022, 4, 1))
    world.service(D(2024, 3, 31), district="north")
    world.service(D(2024, 4, 1))
    world.event(D(2022, 3, 31), 500)
    world.event(D(2022, 4, 1), 40)
    world.event(D(2024, 3, 31), 60, district="east")
    world.event(D(2024, 4, 1), 25)
    world.event(D(2024, 5, 1), 999, theme="dementia")  # another theme
    assert _total(roll_up(2022), "P1-2a") == 1
    assert _total(roll_up(2023), "P1-2a") == 2
    assert _total(roll_up(2024), "P1-2a") == 3
    assert _total(roll_up(2023), "P1-2b") == 100
    assert _total(roll_up(2024), "P1-2b") == 125


def test_care_prevention_rate_counts_each_person_once(world):
    group, other = world.group(), world.group(district="north")
    active = world.person()
    world.participant(group, active, D(2024, 1, 1), active=True)
    world.participant(other, active, D(2025, 5, 1), active=False)  # in two groups: one person
    world.participant(group, world.person(), D(2025, 3, 31), D(2025, 3, 31))  # FY2024 only
    world.participant(group, world.person(), D(2025, 4, 1))
    not_prevention = world.group(kind="salon", care_prevention=False)
    world.participant(not_prevention, world.person(), D(2025, 4, 1), active=True)
    assert _total(roll_up(2024), "P2-1b") == (1, 2)
    assert _total(roll_up(2025), "P2-1b") == (1, 2)


def test_breakdowns_by_district_age_band_and_sex(world):
    world.child(D(2025, 4, 1), district="north", birth_date=D(2015, 4, 2), sex="male")  # 9
    world.child(D(2025, 4, 1), district="north", birth_date=D(2013, 4, 1), sex="female")  # 12
    world.child(D(2025, 4, 1), district=None, birth_date=None)
    cells = roll_up(2025).persons["P1-3a"].cells
    assert cells == {
        ("north", "elementary", "male"): 1,
        ("north", "junior_high", "female"): 1,
        ("_unknown", "_unknown", "female"): 1,
    }


def _rollup_queries(django_assert_num_queries, fy):
    with django_assert_num_queries(7):
        roll_up(fy)


@pytest.mark.parametrize("size", [1, 12])
def test_rollup_query_count_does_not_grow_with_records(world, django_assert_num_queries, size):
    for n in range(size):
        day = D(2025, 4, 1) + datetime.timedelta(days=n)
        world.child(day)
        world.employed(day + datetime.timedelta(days=1))
        world.service(day)
        world.event(day, 10 + n)
        group = world.group()
        world.session(group, day, 5)
        world.participant(group, world.person(), day, active=n % 2 == 0)
    # One query for the districts and one per record-based indicator.
    _rollup_queries(django_assert_num_queries, 2025)


def test_care_prevention_participants_of_an_ended_group_are_not_counted(world):
    group = world.group()
    group.ended_on = D(2024, 3, 31)
    group.save()
    world.participant(group, world.person(), D(2023, 4, 1), active=True)
    assert _total(roll_up(2023), "P2-1b") == (1, 1)
    assert _total(roll_up(2024), "P2-1b") == (0, 0)
