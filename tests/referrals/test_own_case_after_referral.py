"""The receiving agency's own case of a referred person (docs/access.md): the assigned
worker and the supervisors may open it only while the referral is accepted, and it keeps
the person after the referral ends. Opening it makes the receiving agency hold the person,
not the sender's records about them: the sender's consent records and household stay the
sender's."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from casework import services
from casework.models import Case, Consent, Relation
from referrals import services as referral_services
from referrals.models import ReferralState, Scope
from tests.referrals.conftest import sees, snapshot
from tests.referrals.page_helpers import INBOX, text
from tests.referrals.policy_helpers import (
    COMPLETION_NOTE,
    NAME,
    RECEIVING,
    SCOPES,
    SHARED,
    assert_detail,
)

MEMBER = "同居長男"


@pytest.fixture
def own_case(cast, refer):
    """Agency A's case of a person with a household member; referred to B in summary
    scope, accepted, and B has opened its own case for the person."""
    case = refer.case()
    services.household_link(
        actor=cast.csw_a,
        person=case.person,
        person_relation=Relation.PARENT,
        member=services.person_create(
            actor=cast.csw_a,
            family_name=MEMBER,
            given_name="太郎",
            family_name_kana="どうきょちょうなん",
            given_name_kana="たろう",
            birth_date=datetime.date(1975, 1, 1),
        ),
        member_relation=Relation.CHILD,
    )
    referral = refer.accepted(case, scope=Scope.SUMMARY)
    own = services.case_open(
        actor=cast.consultation_b,
        person=case.person,
        opened_on=timezone.localdate(),
        main_concern="care",
    )
    return case, referral, own


def test_the_receiving_agency_cannot_withdraw_the_senders_consent(client, cast, own_case):
    case, referral, _own = own_case
    consent = case.person.consents.get()
    client.force_login(cast.consultation_b)
    url = reverse("casework:consent_withdraw", kwargs={"pk": consent.pk})
    before = snapshot()
    assert client.get(url).status_code == 404
    assert client.post(url, {}).status_code == 404
    with pytest.raises(PermissionDenied):
        services.consent_withdraw(actor=cast.consultation_b, consent=consent)
    assert snapshot() == before
    consent.refresh_from_db()
    referral.refresh_from_db()
    assert consent.withdrawn_on is None and referral.state == ReferralState.ACCEPTED


def test_the_receiving_agencys_person_page_shows_neither_the_senders_consents_nor_household(
    client, cast, own_case
):
    case, _referral, own = own_case
    client.force_login(cast.consultation_b)
    for url in (case.person.get_absolute_url(), own.get_absolute_url()):
        page = client.get(url).content.decode()
        assert MEMBER not in page, url
        assert reverse("casework:household_add", kwargs={"pk": case.person_id}) not in page
    page = client.get(case.person.get_absolute_url()).content.decode()
    consent = case.person.consents.get()
    assert reverse("casework:consent_withdraw", kwargs={"pk": consent.pk}) not in page
    # The sender still sees both.
    client.force_login(cast.csw_a)
    page = client.get(case.person.get_absolute_url()).content.decode()
    assert MEMBER in page
    assert reverse("casework:consent_withdraw", kwargs={"pk": consent.pk}) in page


def test_a_consent_the_receiving_agency_records_is_its_own(client, cast, own_case):
    case, _referral, _own = own_case
    mine = services.consent_record(
        actor=cast.consultation_b,
        person=case.person,
        basis="consent",
        agencies=[cast.agency_a],
        given_on=timezone.localdate(),
    )
    assert mine.recorded_by_agency == cast.agency_b
    client.force_login(cast.consultation_b)
    page = client.get(case.person.get_absolute_url()).content.decode()
    assert reverse("casework:consent_withdraw", kwargs={"pk": mine.pk}) in page
    client.force_login(cast.csw_a)
    page = client.get(case.person.get_absolute_url()).content.decode()
    assert reverse("casework:consent_withdraw", kwargs={"pk": mine.pk}) not in page
    services.consent_withdraw(actor=cast.consultation_b, consent=mine)
    assert Consent.objects.get(pk=mine.pk).withdrawn_by == cast.consultation_b


def test_the_withdraw_form_opens_only_for_the_sender_who_works_the_case(client, cast, refer, third):
    # consultation_b reads case_a in full through a share; the referral goes to a third agency.
    case = refer.case()
    refer.consent(case, cast.agency_b, third.agency)
    services.case_share(
        actor=cast.csw_a,
        case=case,
        user=cast.consultation_b,
        consent=case.person.consents.get(),
    )
    referral = refer.send(case, to=third.agency, consent=False)
    url = reverse("referrals:withdraw", kwargs={"pk": referral.pk})
    client.force_login(cast.consultation_b)
    assert client.get(url).status_code == 403
    client.force_login(cast.csw_a)
    assert client.get(url).status_code == 200


def test_an_inactive_worker_cannot_be_named(cast, refer):
    cast.csw_b.is_active = False
    cast.csw_b.save(update_fields=["is_active"])
    with pytest.raises(ValidationError) as refused:
        refer.send(named_worker=cast.csw_b)
    assert "named_worker" in refused.value.message_dict
    assert not referral_services.Referral.objects.exists()


# --- the receiving agency's own case --------------------------------------------------------


def _intake(**overrides):
    data = {
        "case-opened_on": timezone.localdate().isoformat(),
        "case-main_concern": "care",
        "case-route": "agency",
        "case-came_in_person": "1",
        "case-chief_complaint": "紹介を受けて本人と面談した",
        "case-consent_status": "pending",
    }
    data.update(overrides)
    return data


def _open_case_url(person):
    return reverse("casework:person_case_open", kwargs={"pk": person.pk})


@pytest.mark.parametrize("scope", SCOPES)
def test_only_while_accepted_may_the_receiving_side_open_its_own_case(client, cast, story, scope):
    referral = story("sent", scope)
    person = referral.case.person
    for member in RECEIVING:
        client.force_login(getattr(cast, member))
        assert client.get(_open_case_url(person)).status_code == 404, member
    referral_services.referral_accept(
        actor=cast.supervisor_b, referral=referral, worker=cast.consultation_b
    )
    for member, status in {"consultation_b": 200, "supervisor_b": 200, "csw_b": 404}.items():
        client.force_login(getattr(cast, member))
        assert client.get(_open_case_url(person)).status_code == status, member
        if status == 200:
            assert _open_case_url(person) in text(client.get(person.get_absolute_url()))
    with pytest.raises(PermissionDenied):
        services.case_open(
            actor=cast.csw_b, person=person, opened_on=timezone.localdate(), main_concern="care"
        )
    referral_services.referral_complete(actor=cast.consultation_b, referral=referral)
    for member in RECEIVING:
        client.force_login(getattr(cast, member))
        assert client.get(_open_case_url(person)).status_code == 404, member
        assert client.get(person.get_absolute_url()).status_code == 404, member


@pytest.mark.parametrize("opener", ["consultation_b", "supervisor_b"])
@pytest.mark.parametrize("scope", SCOPES)
def test_the_agencys_own_case_keeps_the_person_after_the_referral_ends(
    client, cast, story, scope, opener
):
    referral = story("accepted", scope)
    person = referral.case.person
    client.force_login(getattr(cast, opener))
    response = client.post(_open_case_url(person), _intake())
    assert response.status_code == 302
    own = Case.objects.get(person=person, owning_agency=cast.agency_b)
    assert response.url == own.get_absolute_url()

    referral_services.referral_complete(
        actor=cast.consultation_b, referral=referral, note=COMPLETION_NOTE
    )
    referral.refresh_from_db()
    # The opener works the new case; the supervisors see every case of their agency.
    keeps = {opener, "supervisor_b"}
    for member in RECEIVING:
        user = getattr(cast, member)
        client.force_login(user)
        names = member in keeps
        page = text(client.get(referral.get_absolute_url()))
        assert_detail(page, referral, "completed", member, names=names)
        # The ended referral shares nothing more, even with those who know the person.
        assert SHARED not in page, member
        inbox = text(client.get(INBOX))
        assert (NAME in inbox) is names, member
        assert client.get(person.get_absolute_url()).status_code == (200 if names else 404)
        assert client.get(own.get_absolute_url()).status_code == (200 if names else 404)
        # Agency A's case closed to B with the referral.
        assert not sees(user, referral.case), member
