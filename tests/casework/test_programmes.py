"""Programme enrolments and outcomes through their services (the study programme for children,
the employment programme), and the two indicator questions they answer, one query each.

Every refusal is checked twice (workflow_helpers.refused): the service raises
(ValidationError with a message for the user, or PermissionDenied), and afterwards nothing
in the database has changed.
"""

import datetime
from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.utils import timezone

from casework import services
from casework.models import Programme, ProgrammeEnrolment, ProgrammeOutcome, Relation
from casework.wareki import fiscal_year_bounds
from tests.casework.workflow_helpers import (
    EMPLOYED,
    INCOME_UP,
    D,
    ago,
    ahead,
    enrol_person,
    make_person,
    refused,
    today,
)


@pytest.fixture
def family(cast, case_a):
    """case_a's person (born 1944) heads a household with her grandson and her son."""
    grandson = make_person(cast.csw_a, "陽太", D(2014, 6, 1), given_name_kana="ようた")
    son = make_person(cast.csw_a, "一郎", D(1974, 2, 1))
    for member, relation in ((grandson, Relation.GRANDCHILD), (son, Relation.CHILD)):
        services.household_link(
            actor=cast.csw_a,
            person=case_a.person,
            person_relation=Relation.HEAD,
            member=member,
            member_relation=relation,
        )
    return SimpleNamespace(case=case_a, child=grandson, son=son)


def test_a_child_of_the_household_enrols_in_the_study_programme(cast, family):
    enrolment = enrol_person(cast.csw_a, family.case, family.child)
    assert (enrolment.person, enrolment.case, enrolment.left_on) == (
        family.child,
        family.case,
        None,
    )
    assert enrolment.recorded_by == cast.csw_a
    services.enrolment_leave(actor=cast.csw_a, enrolment=enrolment, left_on=ago(1))
    enrolment.refresh_from_db()
    assert enrolment.left_on == ago(1)


def test_the_case_person_and_an_adult_of_the_household_enrol_in_employment(cast, family):
    son = enrol_person(cast.csw_a, family.case, family.son, Programme.EMPLOYMENT)
    mother = enrol_person(cast.csw_a, family.case, family.case.person, Programme.EMPLOYMENT)
    assert {son.person, mother.person} == {family.son, family.case.person}


def test_enrolling_a_person_outside_the_household_is_refused(cast, family):
    stranger = make_person(cast.csw_a, "健太", D(2013, 1, 1), given_name_kana="けんた")
    with refused(match="同じ世帯") as info:
        enrol_person(cast.csw_a, family.case, stranger)
    assert "person" in info.value.message_dict


def test_enrolling_anyone_else_when_the_person_has_no_household_is_refused(cast, case_a):
    child = make_person(cast.csw_a, "健太", D(2013, 1, 1), given_name_kana="けんた")
    with refused(match="同じ世帯"):
        enrol_person(cast.csw_a, case_a, child)


def test_an_adult_cannot_enrol_in_the_study_programme(cast, family):
    with refused(match="参加者は子ども"):
        enrol_person(cast.csw_a, family.case, family.son)
    with refused(match="参加者は子ども"):
        enrol_person(cast.csw_a, family.case, family.case.person)


def test_the_study_programme_takes_a_member_until_the_day_they_turn_twenty(cast, family):
    twentieth = ago(5)
    nephew = make_person(
        cast.csw_a,
        "翔",
        twentieth.replace(year=twentieth.year - 20),
        given_name_kana="しょう",
    )
    services.household_link(
        actor=cast.csw_a,
        person=family.case.person,
        person_relation=Relation.HEAD,
        member=nephew,
        member_relation=Relation.OTHER_RELATIVE,
    )
    with refused(match="参加者は子ども"):
        enrol_person(cast.csw_a, family.case, nephew, enrolled_on=twentieth)
    enrolment = enrol_person(cast.csw_a, family.case, nephew, enrolled_on=ago(6))
    assert enrolment.enrolled_on == ago(6)


def test_an_enrolment_before_the_case_opened_is_refused(cast, family):
    with refused(match="受付日より前") as info:
        enrol_person(
            cast.csw_a,
            family.case,
            family.child,
            enrolled_on=family.case.opened_on - datetime.timedelta(days=1),
        )
    assert "enrolled_on" in info.value.message_dict


def test_a_second_open_enrolment_in_the_same_programme_is_refused(cast, family):
    first = enrol_person(cast.csw_a, family.case, family.child, enrolled_on=ago(20))
    with refused(match="すでにこの事業に登録"):
        enrol_person(cast.csw_a, family.case, family.child, enrolled_on=ago(5))
    services.enrolment_leave(actor=cast.csw_a, enrolment=first, left_on=ago(10))
    again = enrol_person(cast.csw_a, family.case, family.child, enrolled_on=ago(5))
    assert again.pk != first.pk


def test_leaving_before_enrolling_is_refused(cast, family):
    enrolment = enrol_person(cast.csw_a, family.case, family.child, enrolled_on=ago(20))
    with refused(match="終了日は登録日より後") as info:
        services.enrolment_leave(actor=cast.csw_a, enrolment=enrolment, left_on=ago(21))
    assert "left_on" in info.value.message_dict
    # Leaving on the day of enrolment is allowed.
    services.enrolment_leave(actor=cast.csw_a, enrolment=enrolment, left_on=ago(20))


def test_leaving_twice_or_in_the_future_is_refused(cast, family):
    enrolment = enrol_person(cast.csw_a, family.case, family.child)
    with refused() as info:
        services.enrolment_leave(actor=cast.csw_a, enrolment=enrolment, left_on=ahead(1))
    assert "left_on" in info.value.message_dict
    services.enrolment_leave(actor=cast.csw_a, enrolment=enrolment, left_on=ago(1))
    with refused(match="すでに終了"):
        services.enrolment_leave(actor=cast.csw_a, enrolment=enrolment, left_on=today())


def test_enrolment_in_the_future_or_in_an_unknown_programme_is_refused(cast, family):
    with refused() as info:
        enrol_person(cast.csw_a, family.case, family.child, enrolled_on=ahead(1))
    assert "enrolled_on" in info.value.message_dict
    with refused():
        enrol_person(cast.csw_a, family.case, family.son, programme="cooking")


def test_enrolment_on_a_closed_case_is_refused(cast, family, workflow):
    workflow.screen(family.case, cast.csw_a, result="info_only")
    with refused(match="終結したケース"):
        enrol_person(cast.csw_a, family.case, family.child)


@pytest.mark.parametrize("name", ["consultation_b", "csw_b", "consultation_a"])
def test_enrolments_need_the_right_to_work_on_the_case(cast, family, name):
    actor = getattr(cast, name)
    with refused(PermissionDenied):
        enrol_person(actor, family.case, family.child)
    enrolment = enrol_person(cast.csw_a, family.case, family.son, Programme.EMPLOYMENT)
    with refused(PermissionDenied):
        services.enrolment_leave(actor=actor, enrolment=enrolment, left_on=today())
    with refused(PermissionDenied):
        services.outcome_add(actor=actor, enrolment=enrolment, kind=EMPLOYED, achieved_on=today())


def test_outcomes_are_recorded_for_the_employment_programme(cast, family):
    enrolment = enrol_person(cast.csw_a, family.case, family.son, Programme.EMPLOYMENT, ago(25))
    work = services.outcome_add(
        actor=cast.csw_a, enrolment=enrolment, kind=EMPLOYED, achieved_on=ago(10), note=" 週3日 "
    )
    more = services.outcome_add(
        actor=cast.csw_a, enrolment=enrolment, kind=INCOME_UP, achieved_on=ago(10)
    )
    assert (work.note, work.recorded_by) == ("週3日", cast.csw_a)
    assert list(enrolment.outcomes.order_by("pk")) == [work, more]
    assert [o.kind for o in (work, more)] == [EMPLOYED, INCOME_UP]


def test_outcomes_are_refused_for_the_study_programme(cast, family):
    enrolment = enrol_person(cast.csw_a, family.case, family.child)
    with refused(match="自立支援プログラムにだけ"):
        services.outcome_add(
            actor=cast.csw_a, enrolment=enrolment, kind=EMPLOYED, achieved_on=today()
        )


def test_an_outcome_before_enrolment_is_refused(cast, family):
    enrolment = enrol_person(cast.csw_a, family.case, family.son, Programme.EMPLOYMENT, ago(20))
    with refused(match="達成日は登録日以降") as info:
        services.outcome_add(
            actor=cast.csw_a, enrolment=enrolment, kind=EMPLOYED, achieved_on=ago(21)
        )
    assert "achieved_on" in info.value.message_dict


def test_an_outcome_after_leaving_the_programme_is_refused(cast, open_case):
    case = open_case(cast.csw_a)
    enrolment = services.enrolment_add(
        actor=cast.csw_a,
        case=case,
        person=case.person,
        programme="employment",
        enrolled_on=timezone.localdate() - datetime.timedelta(days=20),
    )
    services.enrolment_leave(
        actor=cast.csw_a,
        enrolment=enrolment,
        left_on=timezone.localdate() - datetime.timedelta(days=10),
    )
    with pytest.raises(ValidationError):
        services.outcome_add(
            actor=cast.csw_a,
            enrolment=enrolment,
            kind="employed",
            achieved_on=timezone.localdate(),
        )


@pytest.mark.parametrize("fields", [{"achieved_on": lambda: ahead(1)}, {"kind": "promoted"}])
def test_an_outcome_in_the_future_or_of_an_unknown_kind_is_refused(cast, family, fields):
    enrolment = enrol_person(cast.csw_a, family.case, family.son, Programme.EMPLOYMENT)
    # A date is worked out when the test runs, not when it was collected.
    fields = {name: v() if callable(v) else v for name, v in fields.items()}
    values = {"kind": EMPLOYED, "achieved_on": today()} | fields
    with refused():
        services.outcome_add(actor=cast.csw_a, enrolment=enrolment, **values)


def test_a_duplicate_outcome_is_refused(cast, family):
    enrolment = enrol_person(cast.csw_a, family.case, family.son, Programme.EMPLOYMENT)
    services.outcome_add(actor=cast.csw_a, enrolment=enrolment, kind=EMPLOYED, achieved_on=ago(3))
    with refused(match="同じ成果"):
        services.outcome_add(
            actor=cast.csw_a, enrolment=enrolment, kind=EMPLOYED, achieved_on=ago(3)
        )


# --- the two indicator questions, one query each ----------------------------------------------


def children_registered_in(fy: int) -> list[int]:
    """The children in the study programme at any time in fiscal year `fy`, each once."""
    start, end = fiscal_year_bounds(fy)
    return list(
        ProgrammeEnrolment.objects.filter(
            Q(left_on__isnull=True) | Q(left_on__gte=start),
            programme=Programme.CHILD_STUDY,
            enrolled_on__lte=end,
        )
        .order_by("person_id")
        .values_list("person_id", flat=True)
        .distinct()
    )


def found_work_in(fy: int) -> list[int]:
    """The people who found work through the employment programme in fiscal year `fy`."""
    start, end = fiscal_year_bounds(fy)
    return list(
        ProgrammeOutcome.objects.filter(
            kind=EMPLOYED,
            enrolment__programme=Programme.EMPLOYMENT,
            achieved_on__range=(start, end),
        )
        .order_by("enrolment__person_id")
        .values_list("enrolment__person_id", flat=True)
        .distinct()
    )


def test_children_registered_in_a_fiscal_year_is_one_query(
    cast, open_case, django_assert_num_queries
):
    case = open_case(cast.csw_a, opened_on=D(2023, 4, 1))
    head = case.person

    def child(name, kana, born):
        person = make_person(cast.csw_a, name, born, given_name_kana=kana)
        services.household_link(
            actor=cast.csw_a,
            person=head,
            person_relation=Relation.HEAD,
            member=person,
            member_relation=Relation.GRANDCHILD,
        )
        return person

    across = child("一", "はじめ", D(2012, 5, 5))  # across the FY2024/FY2025 boundary
    twice = child("二葉", "ふたば", D(2013, 6, 6))  # twice in FY2024, still enrolled
    new = child("三郎", "さぶろう", D(2014, 7, 7))  # from the first day of FY2025
    earlier = child("四季", "しき", D(2011, 8, 8))  # left on the last day of FY2023
    adult = child("五郎", "ごろう", D(1990, 9, 9))  # in the employment programme

    def enrol(person, enrolled_on, left_on=None, programme=Programme.CHILD_STUDY):
        enrolment = enrol_person(cast.csw_a, case, person, programme, enrolled_on)
        if left_on:
            services.enrolment_leave(actor=cast.csw_a, enrolment=enrolment, left_on=left_on)

    enrol(across, D(2024, 10, 1), D(2025, 6, 30))
    enrol(twice, D(2024, 5, 1), D(2024, 7, 31))
    enrol(twice, D(2024, 12, 1))
    enrol(new, D(2025, 4, 1))
    enrol(earlier, D(2023, 4, 10), D(2024, 3, 31))
    enrol(adult, D(2024, 6, 1), programme=Programme.EMPLOYMENT)

    with django_assert_num_queries(1):
        fy2024 = children_registered_in(2024)
    with django_assert_num_queries(1):
        fy2025 = children_registered_in(2025)
    assert fy2024 == sorted([across.pk, twice.pk])
    assert fy2025 == sorted([across.pk, twice.pk, new.pk])
    assert children_registered_in(2023) == [earlier.pk]
    assert children_registered_in(2022) == []


def test_people_who_found_work_in_a_fiscal_year_is_one_query(
    cast, open_case, django_assert_num_queries
):
    def participant(name, kana):
        """A case of its own, opened before the fiscal years counted."""
        return open_case(
            cast.csw_a,
            opened_on=D(2024, 1, 10),
            given_name=name,
            given_name_kana=kana,
            birth_date=D(1980, 1, 1),
        )

    def enrol(case, enrolled_on):
        return enrol_person(cast.csw_a, case, case.person, Programme.EMPLOYMENT, enrolled_on)

    def outcome(enrolment, kind, on):
        services.outcome_add(actor=cast.csw_a, enrolment=enrolment, kind=kind, achieved_on=on)

    march = participant("三月", "さんがつ")  # found work on the last day of FY2024
    april = participant("四月", "しがつ")  # found work on the first day of FY2025
    twice = participant("二度", "にど")  # two enrolments, work in both, all in FY2024
    income = participant("増収", "ぞうしゅう")  # only more income

    enrolment = enrol(march, D(2024, 4, 1))
    outcome(enrolment, EMPLOYED, D(2025, 3, 31))
    outcome(enrolment, INCOME_UP, D(2025, 4, 1))
    outcome(enrol(april, D(2024, 6, 1)), EMPLOYED, D(2025, 4, 1))
    first = enrol(twice, D(2024, 5, 1))
    outcome(first, EMPLOYED, D(2024, 8, 1))
    services.enrolment_leave(actor=cast.csw_a, enrolment=first, left_on=D(2024, 9, 30))
    outcome(enrol(twice, D(2024, 11, 1)), EMPLOYED, D(2025, 1, 15))
    outcome(enrol(income, D(2024, 5, 1)), INCOME_UP, D(2024, 10, 1))

    with django_assert_num_queries(1):
        fy2024 = found_work_in(2024)
    with django_assert_num_queries(1):
        fy2025 = found_work_in(2025)
    assert fy2024 == sorted([march.person_id, twice.person_id])
    assert fy2025 == [april.person_id]
    assert found_work_in(2023) == []
