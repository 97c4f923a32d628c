"""Writes to persons and households."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from casework import access
from casework.models import (
    District,
    Household,
    HouseholdMember,
    Person,
    Relation,
)
from casework.services.common import Refusal, person_lock
from casework.services.confidential import household_marks_extend

if TYPE_CHECKING:
    from django.contrib.auth.models import User


@transaction.atomic
def person_create(
    *,
    actor: User,
    family_name: str,
    given_name: str = "",
    family_name_kana: str,
    given_name_kana: str = "",
    birth_date: datetime.date | None = None,
    sex: str = "unknown",
    address: str = "",
    district: District | None = None,
    phone: str = "",
) -> Person:
    membership = access.require_case_role(actor)
    person = Person(
        family_name=family_name.strip(),
        given_name=given_name.strip(),
        family_name_kana=family_name_kana.strip(),
        given_name_kana=given_name_kana.strip(),
        birth_date=birth_date,
        sex=sex,
        address=address.strip(),
        district=district,
        phone=phone.strip(),
        registered_by_agency=membership.agency,
    )
    person.full_clean()
    person._history_user = actor  # type: ignore[attr-defined]  # simple-history
    person.save()
    return person


def _household_of(person: Person) -> Household | None:
    member = (
        HouseholdMember.objects.current().filter(person=person).select_related("household").first()
    )
    return member.household if member else None


@transaction.atomic
def household_member_add(
    *,
    actor: User,
    person: Person,
    person_relation: str,
    member: Person | None = None,
    new_member: dict[str, Any] | None = None,
    member_relation: str,
) -> Household:
    """Add someone to the person's household: a person the actor may see (`member`), or a
    new one registered from `new_member`'s fields in the same transaction."""
    if member is None:
        member = person_create(actor=actor, **(new_member or {}))
    return household_link(
        actor=actor,
        person=person,
        person_relation=person_relation,
        member=member,
        member_relation=member_relation,
    )


@transaction.atomic
def household_link(
    *, actor: User, person: Person, person_relation: str, member: Person, member_relation: str
) -> Household:
    """Put two persons the actor may see in one household, with their 続柄."""
    membership = access.require_case_role(actor)

    def held(someone: Person) -> bool:
        # Held by the actor's agency, or read in full through a share on consent. Seeing a
        # person only in a referral's summary is no licence to change their household.
        return access.person_in_agency_scope(actor, someone) or (
            access.cases_readable_by(actor).filter(person_id=someone.pk).exists()
        )

    if not access.person_in_agency_scope(actor, person) or not held(member):
        raise PermissionDenied
    # Check-then-insert: lock both persons (in a fixed order) so two links cannot race.
    for person_id in sorted({person.pk, member.pk}):
        person_lock(person_id)
    if person.pk == member.pk:
        raise Refusal({"member": _("同じ方は追加できません。")})
    for relation, field in ((person_relation, "person_relation"), (member_relation, "relation")):
        if relation not in Relation.values:
            raise Refusal({field: _("続柄を選んでください。")})
    mine, theirs = _household_of(person), _household_of(member)
    if mine and theirs:
        if mine.pk == theirs.pk:
            raise Refusal({"member": _("この方はすでに同じ世帯です。")})
        raise Refusal({"member": _("この方は別の世帯に登録されています。")})
    household = mine or theirs
    if household is not None:
        # The household's own lock: a join and a change of 世帯主 run one after the other.
        Household.objects.select_for_update().filter(pk=household.pk).first()
    if household is None and person_relation == member_relation == Relation.HEAD:
        raise Refusal({"relation": _("世帯主は一世帯にひとりです。")})
    if household is not None:
        head = household.members.current().filter(relation=Relation.HEAD).exists()
        joining_as = member_relation if theirs is None else person_relation
        if head and joining_as == Relation.HEAD:
            field = "relation" if theirs is None else "person_relation"
            raise Refusal({field: _("この世帯には世帯主がすでに登録されています。")})
    if household is not None and not all(
        held(m.person) for m in household.members.current().select_related("person")
    ):
        # Joining a household would show its members: only one the agency holds in full.
        raise PermissionDenied
    if household is None:
        household = Household.objects.create(registered_by_agency=membership.agency)
    joins: tuple[tuple[Person, str, Household | None], ...] = (
        (person, person_relation, mine),
        (member, member_relation, theirs),
    )
    for newcomer, joining_relation, present in joins:
        if present is None:
            row = HouseholdMember(household=household, person=newcomer, relation=joining_relation)
            row._history_user = actor  # type: ignore[attr-defined]  # simple-history
            row.save()
    # Joining a household whose address is hidden: the newcomer's is hidden too.
    newcomers = [p for p, _relation, present in joins if present is None]
    household_marks_extend(actor=actor, household_id=household.pk, newcomers=newcomers)
    return household
