"""Reads of persons and households: search, duplicates, a person's cases and consents."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.contrib.postgres.fields import ArrayField
from django.db import connections
from django.db.models import Func, Q, QuerySet, TextField

from casework import access
from casework.models import (
    Case,
    Consent,
    Household,
    HouseholdMember,
    Person,
)
from casework.normalize import normalize_name, person_search_key

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def person_search(
    user: User, *, query: str = "", birth_date: datetime.date | None = None
) -> QuerySet[Person]:
    """Search the persons the user may see, by name or kana in any script and width."""
    persons = access.persons_visible_to(user)
    key = normalize_name(query)
    if key:
        persons = _containing(persons, key)
    elif query.strip():
        # Typed, but nothing of it can be part of a name (only 「|」): it matches nobody.
        return persons.none()
    if birth_date:
        persons = persons.filter(birth_date=birth_date)
    return persons.select_related("district").order_by("search_key", "pk")


class _Bigrams(Func):
    """The two-character pieces of a text, by the function of migration 0019 (PostgreSQL)."""

    function = "tsunagu_bigrams"
    output_field = ArrayField(TextField())


def _containing(persons: QuerySet[Person], key: str) -> QuerySet[Person]:
    """Persons whose search key holds `key`. On PostgreSQL a trigram index answers three
    characters and more; two (佐藤, さと) go through the index of the key's bigrams first."""
    persons = persons.filter(search_key__contains=key)
    if len(key) == 2 and connections[persons.db].vendor == "postgresql":
        persons = persons.alias(bigrams=_Bigrams("search_key")).filter(bigrams__contains=[key])
    return persons


def person_cases(user: User, person: Person) -> QuerySet[Case]:
    """The person's cases that the user may read in full. A case shared as a summary is
    not listed: its number, agency, status and dates are not part of what was shared."""
    return (
        access.cases_readable_by(user)
        .filter(person=person)
        .select_related("owning_agency")
        .order_by("-opened_on", "-pk")
    )


def case_household(
    user: User, person: Person
) -> tuple[list[HouseholdMember] | None, dict[int, list[Case]]]:
    """The other members of the person's household, and of their cases only those the
    user may see (keyed by person id). None for a household the user may not read."""
    member = (
        HouseholdMember.objects.current().filter(person=person).select_related("household").first()
    )
    if member is None:
        return [], {}
    if not access.household_readable(user, member.household):
        return None, {}
    members = list(
        HouseholdMember.objects.current()
        .filter(household_id=member.household_id)
        .exclude(person=person)
        .select_related("person")
    )
    cases: dict[int, list[Case]] = {}
    for case in access.cases_readable_by(user).filter(person_id__in=[m.person_id for m in members]):
        cases.setdefault(case.person_id, []).append(case)
    return members, cases


def person_household(person: Person) -> Household | None:
    """The household the person lives in now."""
    member = household_membership(person)
    return member.household if member else None


def household_membership(person: Person) -> HouseholdMember | None:
    return (
        HouseholdMember.objects.current().filter(person=person).select_related("household").first()
    )


def household_past_members(household: Household) -> list[HouseholdMember]:
    """Who lived in the household and left (転出) or died, each with `name_then`: their name
    as recorded when they left (a later correction, by whichever agency holds them now, is
    not this household's to know)."""
    from casework.selectors.corrections import name_as_of

    members = list(
        household.members.filter(left_on__isnull=False)
        .select_related("person")
        .order_by("-left_on", "-pk")
    )
    for member in members:
        left = member.history.filter(left_on__isnull=False).order_by("history_date").first()
        moment = left.history_date if left is not None else None
        member.name_then = name_as_of(member.person, moment)  # type: ignore[attr-defined]
    return members


def household_member_choices(case: Case) -> QuerySet[Person]:
    """Who may be enrolled for the case: its person and their household."""
    member = HouseholdMember.objects.current().filter(person_id=case.person_id).first()
    if member is None:
        return Person.objects.filter(pk=case.person_id)
    return Person.objects.filter(
        Q(pk=case.person_id)
        | Q(
            household_member__household_id=member.household_id,
            household_member__left_on__isnull=True,
        )
    ).order_by("pk")


def likely_duplicates(
    user: User,
    *,
    family_name: str,
    given_name: str,
    family_name_kana: str,
    given_name_kana: str,
    birth_date: datetime.date | None,
) -> list[Person]:
    """Persons in the user's visible set who may be the one being registered."""
    key = person_search_key(family_name, given_name, family_name_kana, given_name_kana)
    kanji, kana = key.split("|", 1)
    match = Q(search_key__startswith=f"{kanji}|") | Q(search_key__endswith=f"|{kana}")
    if birth_date:
        match |= Q(birth_date=birth_date, search_key__contains=normalize_name(family_name_kana))
    return list(access.persons_visible_to(user).filter(match).select_related("district")[:10])


def person_consents(user: User, person: Person) -> QuerySet[Consent]:
    return (
        access.consents_of(user, person)
        .select_related("recorded_by", "withdrawn_by")
        .prefetch_related("agencies")
    )


def person_readable(user: User, person: Person) -> bool:
    """Does the user read a case of this person in full (more than a shared summary)?"""
    return access.cases_readable_by(user).filter(person=person).exists()


def household_hidden(household_id: int) -> bool:
    """Does anyone living in the household have their address hidden (住所・電話の秘匿)?"""
    return (
        HouseholdMember.objects.current()
        .filter(household_id=household_id, person__address_confidential=True)
        .exists()
    )
