"""Household members with no case of their own go with the household's last case: made
anonymous by the run that disposes of it, kept while anyone of the household keeps a case."""

import datetime

import pytest
from django.test import TestCase
from django.utils import timezone

from casework import services
from casework.models import Case, Person
from rights import anonymize, disposal
from rights import services as rights_services
from rights.disposal import years_before

SPOUSE = "世帯野"


def _close_long_ago(case: Case) -> None:
    closed_on = years_before(timezone.localdate(), 5) - datetime.timedelta(days=31)
    Case.objects.filter(pk=case.pk).update(
        status="closed", closed_on=closed_on, opened_on=closed_on - datetime.timedelta(days=60)
    )


def _dispose():
    with TestCase.captureOnCommitCallbacks(execute=True):
        return disposal.dispose(source="command")


@pytest.fixture
def household(cast, open_case):
    """A person with a case closed past its period, and their spouse with no case."""
    case = open_case(cast.csw_a, family_name="廃棄野", family_name_kana="はいきの")
    services.household_member_add(
        actor=cast.csw_a,
        person=case.person,
        person_relation="head",
        new_member={"family_name": SPOUSE, "family_name_kana": "せたいの", "phone": "03-1234-5678"},
        member_relation="spouse",
    )
    spouse = Person.objects.get(family_name=SPOUSE)
    _close_long_ago(case)
    return case, spouse


def test_a_caseless_member_goes_with_the_household_s_last_case(household):
    _case, spouse = household
    assert spouse.pk in disposal.disposal_plan().person_ids
    run = _dispose()
    spouse.refresh_from_db()
    assert spouse.family_name == anonymize.DISPOSED_NAME and spouse.phone == ""
    assert spouse.disposed_at is not None
    assert not Person.history.filter(id=spouse.pk, family_name=SPOUSE).exists()
    person_entry = run.entries.get(record_class="person")
    assert person_entry.count == 2  # the person and the spouse
    assert "世帯員は世帯のケース" in person_entry.rule
    assert _dispose() is None


def test_a_member_stays_while_someone_of_the_household_keeps_a_case(cast, open_case, household):
    case, spouse = household
    child = open_case(cast.csw_a, family_name="継続野", family_name_kana="けいぞくの")
    services.household_member_add(
        actor=cast.csw_a,
        person=case.person,
        person_relation="head",
        member=child.person,
        member_relation="child",
    )
    plan = disposal.disposal_plan()
    assert case.person_id in plan.person_ids and spouse.pk not in plan.person_ids
    _dispose()
    spouse.refresh_from_db()
    assert spouse.family_name == SPOUSE and spouse.disposed_at is None


def test_a_held_member_stays(cast, household):
    _case, spouse = household
    rights_services.hold_place(
        actor=cast.supervisor_a, person=spouse, kind="lawsuit", reason="訴訟の証拠"
    )
    assert spouse.pk not in disposal.disposal_plan().person_ids
    _dispose()
    spouse.refresh_from_db()
    assert spouse.family_name == SPOUSE


def test_a_household_where_nobody_ever_had_a_case_is_kept(cast):
    head = services.person_create(
        actor=cast.csw_a, family_name="受付前", family_name_kana="うけつけまえ"
    )
    services.household_member_add(
        actor=cast.csw_a,
        person=head,
        person_relation="head",
        new_member={"family_name": SPOUSE, "family_name_kana": "せたいの"},
        member_relation="spouse",
    )
    assert disposal.disposal_plan().person_ids == []


def test_a_member_who_takes_part_in_a_group_stays(cast, household):
    _case, spouse = household
    from casework.models import District
    from outreach import services as outreach_services

    group = outreach_services.group_create(
        actor=cast.csw_a,
        name="中央 手ぬぐい体操の会",
        kind="exercise",
        is_care_prevention=True,
        district=District.objects.get(code="central"),
        capacity=20,
        started_on=timezone.localdate() - datetime.timedelta(days=100),
    )
    outreach_services.participant_register(
        actor=cast.csw_a, group=group, person=spouse, joined_on=timezone.localdate()
    )
    assert spouse.pk not in disposal.disposal_plan().person_ids


def test_a_member_who_moved_to_a_household_without_cases_stays(cast, household):
    case, spouse = household
    member = spouse.household_member.get()
    services.household_member_leave(
        actor=cast.csw_a, member=member, reason="moved_out", left_on=timezone.localdate()
    )
    # Having left every household, the one they were in decides: it is done.
    assert spouse.pk in disposal.disposal_plan().person_ids
    # Living now with someone waiting for intake: kept.
    waiting = services.person_create(
        actor=cast.csw_a, family_name="受付前", family_name_kana="うけつけまえ"
    )
    services.household_member_add(
        actor=cast.csw_a,
        person=waiting,
        person_relation="head",
        member=spouse,
        member_relation="spouse",
    )
    assert spouse.pk not in disposal.disposal_plan().person_ids
    assert case.person_id in disposal.disposal_plan().person_ids
