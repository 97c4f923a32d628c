"""Intake through its service: the route, the visitor, the concerns and the consent of a new
case, and who may open one.

Every refusal is checked twice (workflow_helpers.refused): the service raises
(ValidationError with a message for the user, or PermissionDenied), and afterwards nothing
in the database has changed.
"""

import pytest
from django.core.exceptions import PermissionDenied

from casework import services
from casework.access import cases_visible_to
from casework.models import CaseStatus, Concern, IntakeConsent, IntakeRoute
from tests.casework.workflow_helpers import ago, ahead, make_person, refused, status_of, today


def test_intake_records_route_visitor_concerns_and_consent(cast):
    person = make_person(cast.consultation_a)
    case = services.case_intake(
        actor=cast.consultation_a,
        person=person,
        received_on=ago(2),
        route=IntakeRoute.WATCH_NETWORK,
        main_concern=Concern.INCOME,
        other_concerns=[Concern.DEBT, Concern.INCOME, Concern.FOOD],
        chief_complaint="  家賃を3か月滞納している。  ",
        came_in_person=False,
        visitor_name=" 田中 一 ",
        visitor_relation="民生委員",
        consent_status=IntakeConsent.GIVEN,
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.INTAKE
    assert case.opened_on == ago(2)
    assert case.owning_agency == cast.agency_a
    assert case.main_concern == Concern.INCOME
    assert sorted(case.other_concerns.values_list("concern", flat=True)) == ["debt", "food"]
    intake = case.intake
    assert intake.received_on == ago(2)
    assert intake.received_by == cast.consultation_a
    assert intake.route == IntakeRoute.WATCH_NETWORK
    assert not intake.came_in_person
    assert (intake.visitor_name, intake.visitor_relation) == ("田中 一", "民生委員")
    assert intake.chief_complaint == "家賃を3か月滞納している。"
    assert intake.consent_status == IntakeConsent.GIVEN
    # The person who took the intake is the worker of the case.
    assert case in cases_visible_to(cast.consultation_a)
    assert list(case.status_history.all()) == []


def test_intake_by_the_person_keeps_no_visitor(cast):
    person = make_person(cast.csw_a)
    case = services.case_intake(
        actor=cast.csw_a,
        person=person,
        received_on=today(),
        route=IntakeRoute.VISIT,
        main_concern=Concern.HOUSING,
        chief_complaint="住まいを探している。",
        came_in_person=True,
        visitor_name="誰か",
        visitor_relation="誰か",
    )
    assert case.intake.came_in_person
    assert (case.intake.visitor_name, case.intake.visitor_relation) == ("", "")
    assert case.intake.consent_status == IntakeConsent.PENDING
    assert status_of(case) == CaseStatus.INTAKE


@pytest.mark.parametrize(
    ("visitor_name", "visitor_relation"),
    [("", ""), ("田中 一", ""), ("", "長男"), ("  ", "  ")],
)
def test_intake_by_someone_else_needs_their_name_and_relation(cast, visitor_name, visitor_relation):
    person = make_person(cast.csw_a)
    with refused(match="氏名と本人との関係") as info:
        services.case_intake(
            actor=cast.csw_a,
            person=person,
            received_on=today(),
            route=IntakeRoute.PHONE,
            main_concern=Concern.CARE,
            chief_complaint="母の介護に疲れている。",
            came_in_person=False,
            visitor_name=visitor_name,
            visitor_relation=visitor_relation,
        )
    assert "visitor_name" in info.value.message_dict


@pytest.mark.parametrize(
    "fields",
    [
        {"route": "fax"},
        {"consent_status": "maybe"},
        {"chief_complaint": "   "},
        {"received_on": lambda: ahead(1)},
        {"other_concerns": ["not_a_concern"]},
    ],
    ids=["route", "consent", "complaint", "future", "concern"],
)
def test_an_invalid_intake_opens_no_case(cast, fields):
    person = make_person(cast.csw_a)
    values = {
        "route": IntakeRoute.VISIT,
        "received_on": today(),
        "main_concern": Concern.INCOME,
        "chief_complaint": "生活費が足りない。",
    }
    # A date is worked out when the test runs, not when it was collected (at midnight,
    # "tomorrow" would have become today meanwhile).
    values.update({name: v() if callable(v) else v for name, v in fields.items()})
    with refused():
        services.case_intake(actor=cast.csw_a, person=person, **values)


@pytest.mark.parametrize("name", ["admin_a", "indicator_officer", "outsider", "csw_b"])
def test_intake_refused_to_users_who_cannot_open_a_case_for_the_person(cast, name):
    person = make_person(cast.csw_a)
    with refused(PermissionDenied):
        services.case_intake(
            actor=getattr(cast, name),
            person=person,
            received_on=today(),
            route=IntakeRoute.VISIT,
            main_concern=Concern.INCOME,
            chief_complaint="生活費が足りない。",
        )


# --- 同意あり at intake is the consent ------------------------------------------------------


def _intake_page_data(cast, **overrides):
    data = {
        "person-family_name": "山本",
        "person-given_name": "一郎",
        "person-family_name_kana": "やまもと",
        "person-given_name_kana": "いちろう",
        "person-birth_date": "S30.4.1",
        "person-sex": "male",
        "case-opened_on": ago(1).isoformat(),
        "case-route": "visit",
        "case-came_in_person": "1",
        "case-main_concern": "income",
        "case-chief_complaint": "生活費が足りない。",
        "case-consent_status": "given",
        "case-consent_agencies": [cast.agency_b.pk],
    }
    data.update(overrides)
    return data


def test_consent_given_at_intake_is_recorded_for_the_agencies_chosen_there(client, cast):
    from django.urls import reverse

    from casework.models import Consent, ConsentBasis

    client.force_login(cast.csw_a)
    response = client.post(reverse("casework:case_open"), _intake_page_data(cast))
    assert response.status_code == 302
    (consent,) = Consent.objects.filter(person__family_name="山本")
    assert consent.basis == ConsentBasis.CONSENT
    assert consent.given_on == ago(1)
    assert list(consent.agencies.all()) == [cast.agency_b]
    assert consent.recorded_by == cast.csw_a
    assert consent.person.birth_date.isoformat() == "1955-04-01"  # typed as S30.4.1


def test_consent_given_without_agencies_is_asked_for_them_and_saves_nothing(client, cast):
    from django.urls import reverse

    from casework.models import Case, Consent

    client.force_login(cast.csw_a)
    before = Case.objects.count()
    response = client.post(
        reverse("casework:case_open"), _intake_page_data(cast, **{"case-consent_agencies": []})
    )
    assert response.status_code == 400
    assert "consent_agencies" in response.context["case_form"].errors
    assert Case.objects.count() == before and not Consent.objects.exists()
    # Agencies with another answer than 同意あり are refused too.
    response = client.post(
        reverse("casework:case_open"),
        _intake_page_data(cast, **{"case-consent_status": "pending"}),
    )
    assert response.status_code == 400 and not Consent.objects.exists()
