"""A 訂正請求 is answered by corrections of the record (訂正 versions) tied to it; the agencies
that received the corrected data through a referral are told, without the person's name."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from casework import services as casework_services
from casework.models import ContactRecordVersion, Notification
from referrals import services as referral_services
from referrals.models import Scope, Urgency
from rights import selectors, services
from rights.models import Decision, RequestKind, RequestState
from tests.rights.conftest import days, today


@pytest.fixture
def referred(cast, case_a):
    """case_a sent to agency B in full and accepted by csw_b."""
    referral = referral_services.referral_send(
        actor=cast.csw_a,
        case=case_a,
        receiving_agency=cast.agency_b,
        reason="介護の相談",
        urgency=Urgency.NORMAL,
        answer_by=days(7),
        scope=Scope.FULL,
    )
    return referral_services.referral_accept(
        actor=cast.supervisor_b, referral=referral, worker=cast.csw_b
    )


def _contact(cast, case):
    return casework_services.contact_record_add(
        actor=cast.csw_a,
        case=case,
        occurred_at=timezone.now() - datetime.timedelta(hours=2),
        method="phone",
        minutes=10,
        summary="電話で相談",
    )


def _corrected_contact(cast, case):
    record = _contact(cast, case)
    casework_services.contact_record_correct(
        actor=cast.csw_a,
        record=record,
        version=record.version,
        reason="本人の訂正請求",
        summary="電話で相談(日付を訂正)",
    )
    return ContactRecordVersion.objects.get(record=record, number=2)


def _corrected_person(cast, person):
    casework_services.person_correct(
        actor=cast.csw_a,
        person=person,
        version=person.version,
        reason="本人の訂正請求",
        address="目黒区中央町1-2-3",
    )
    return person.history.filter(history_type="~").latest("history_id")


def test_the_choices_offer_the_persons_corrections_since_received(cast, case_a, register):
    request = register(RequestKind.CORRECTION)
    version = _corrected_contact(cast, case_a)
    row = _corrected_person(cast, case_a.person)
    keys = {key for key, _label in selectors.correction_choices(request)}
    assert keys == {f"contact:{version.pk}", f"person:{row.history_id}"}


def test_linking_tells_the_agency_that_received_the_data(cast, case_a, register, referred):
    request = register(RequestKind.CORRECTION)
    version = _corrected_contact(cast, case_a)
    before = Notification.objects.count()
    link = services.correction_link(
        actor=cast.supervisor_a, request=request, contact_version=version
    )
    assert link.agencies_told == 1
    told = Notification.objects.filter(pk__gt=0).order_by("-pk")[
        : Notification.objects.count() - before
    ]
    recipients = {n.recipient.username for n in told}
    assert recipients == {"supervisor_b", "csw_b"}
    message = told[0].message
    assert f"No.{referred.pk}" in message and "訂正" in message
    assert case_a.person.family_name not in message
    with pytest.raises(ValidationError):
        services.correction_link(actor=cast.supervisor_a, request=request, contact_version=version)


def test_a_contact_not_passed_on_tells_nobody(cast, case_a, register):
    referral = referral_services.referral_send(
        actor=cast.csw_a,
        case=case_a,
        receiving_agency=cast.agency_b,
        reason="介護の相談",
        urgency=Urgency.NORMAL,
        answer_by=days(7),
        scope=Scope.SUMMARY,
    )
    assert referral.shared_contacts.count() == 0
    request = register(RequestKind.CORRECTION)
    version = _corrected_contact(cast, case_a)
    link = services.correction_link(
        actor=cast.supervisor_a, request=request, contact_version=version
    )
    assert link.agencies_told == 0
    # The person's details went with the referral: their correction is told.
    row = _corrected_person(cast, case_a.person)
    link = services.correction_link(
        actor=cast.supervisor_a, request=request, person_history_id=row.history_id
    )
    assert link.agencies_told == 1


def test_a_correction_of_someone_else_is_refused(cast, case_a, open_case, register):
    request = register(RequestKind.CORRECTION)
    stranger = open_case(cast.csw_a, family_name="別人", family_name_kana="べつじん")
    version = _corrected_contact(cast, stranger)
    with pytest.raises(ValidationError):
        services.correction_link(actor=cast.supervisor_a, request=request, contact_version=version)
    row = _corrected_person(cast, stranger.person)
    with pytest.raises(ValidationError):
        services.correction_link(
            actor=cast.supervisor_a, request=request, person_history_id=row.history_id
        )


def test_only_the_supervisor_links_and_only_for_a_correction_request(cast, case_a, register):
    version = _corrected_contact(cast, case_a)
    request = register(RequestKind.CORRECTION)
    with pytest.raises(PermissionDenied):
        services.correction_link(actor=cast.csw_a, request=request, contact_version=version)
    disclosure = register(RequestKind.DISCLOSURE)
    with pytest.raises(ValidationError):
        services.correction_link(
            actor=cast.supervisor_a, request=disclosure, contact_version=version
        )


def test_granting_a_correction_needs_a_linked_correction(cast, case_a, register):
    request = register(RequestKind.CORRECTION)
    with pytest.raises(ValidationError) as error:
        services.request_decide(
            actor=cast.supervisor_a,
            request=request,
            decision=Decision.FULL,
            reason="",
            decided_on=today(),
        )
    assert "decision" in error.value.message_dict
    services.correction_link(
        actor=cast.supervisor_a, request=request, contact_version=_corrected_contact(cast, case_a)
    )
    request = services.request_decide(
        actor=cast.supervisor_a,
        request=request,
        decision=Decision.FULL,
        reason="",
        decided_on=today(),
    )
    assert request.state == RequestState.DECIDED
