"""Households through their service: linking persons, and whom an actor may link.

Every refusal is checked twice (workflow_helpers.refused): the service raises
(ValidationError with a message for the user, or PermissionDenied), and afterwards nothing
in the database has changed.
"""

import pytest
from django.core.exceptions import PermissionDenied

from casework import services
from casework.models import Household, Relation
from tests.casework.workflow_helpers import D, make_person, refused


def test_household_link_puts_two_persons_in_one_household(cast, case_a):
    son = make_person(cast.csw_a, "一郎", D(1974, 2, 1))
    household = services.household_link(
        actor=cast.csw_a,
        person=case_a.person,
        person_relation=Relation.HEAD,
        member=son,
        member_relation=Relation.CHILD,
    )
    assert household.registered_by_agency == cast.agency_a
    assert list(household.members.values_list("person", "relation")) == [
        (case_a.person.pk, "head"),
        (son.pk, "child"),
    ]
    # A third person joins the same household, from either side.
    grandson = make_person(cast.csw_a, "陽太", D(2014, 6, 1))
    again = services.household_link(
        actor=cast.csw_a,
        person=grandson,
        person_relation=Relation.GRANDCHILD,
        member=son,
        member_relation=Relation.CHILD,
    )
    assert again == household
    assert household.members.count() == 3
    assert Household.objects.count() == 1


def test_linking_a_person_already_in_another_household_is_refused(cast, case_a):
    def couple(a, b):
        return services.household_link(
            actor=cast.csw_a,
            person=a,
            person_relation=Relation.HEAD,
            member=b,
            member_relation=Relation.SPOUSE,
        )

    p1, p2, p3, p4 = (make_person(cast.csw_a, f"{n}郎", D(1960, 1, n)) for n in (1, 2, 3, 4))
    couple(p1, p2)
    couple(p3, p4)
    with refused(match="別の世帯") as info:
        couple(p1, p3)
    assert "member" in info.value.message_dict
    with refused(match="すでに同じ世帯"):
        couple(p2, p1)


def test_linking_a_person_to_themselves_or_with_an_unknown_relation_is_refused(cast, case_a):
    son = make_person(cast.csw_a, "一郎", D(1974, 2, 1))
    with refused(match="同じ方"):
        services.household_link(
            actor=cast.csw_a,
            person=son,
            person_relation=Relation.HEAD,
            member=son,
            member_relation=Relation.CHILD,
        )
    for person_relation, member_relation in (("boss", "child"), ("head", "pet")):
        with refused(match="続柄"):
            services.household_link(
                actor=cast.csw_a,
                person=case_a.person,
                person_relation=person_relation,
                member=son,
                member_relation=member_relation,
            )


@pytest.mark.parametrize("name", ["csw_b", "consultation_b", "supervisor_b", "consultation_a"])
def test_household_link_refuses_persons_the_actor_cannot_see(cast, case_a, name):
    actor = getattr(cast, name)
    own = make_person(actor, "次郎", D(1970, 1, 1))
    # consultation_b sees case_a's person through the share, but not a person agency A
    # registered without a case; the others do not see case_a's person at all.
    hidden = make_person(cast.csw_a, "三郎", D(1972, 1, 1)) if name == "consultation_b" else None
    hidden = hidden or case_a.person
    for person, member in ((own, hidden), (hidden, own)):
        with refused(PermissionDenied):
            services.household_link(
                actor=actor,
                person=person,
                person_relation=Relation.HEAD,
                member=member,
                member_relation=Relation.SIBLING,
            )


def test_household_link_needs_a_case_role(cast):
    a = make_person(cast.csw_a, "一郎", D(1974, 2, 1))
    b = make_person(cast.csw_a, "二郎", D(1976, 2, 1))
    for name in ("admin_a", "indicator_officer", "outsider"):
        with refused(PermissionDenied):
            services.household_link(
                actor=getattr(cast, name),
                person=a,
                person_relation=Relation.HEAD,
                member=b,
                member_relation=Relation.SIBLING,
            )
