"""The send form of a referral: what it offers, and bad input refused next to its field
without a 500 or a change."""

import datetime

import pytest

from casework.models import Notification
from referrals.models import Referral, Scope
from tests.referrals.conftest import snapshot, today
from tests.referrals.page_helpers import form_data, send_url, text

# --- the send form ------------------------------------------------------------------------


def test_send_form_offers_other_agencies_and_this_cases_records(client, cast, refer):
    case = refer.case()
    mine = refer.contact(case, "この方の記録")
    other = refer.case(given_name="次郎")
    refer.contact(other, "別の方の記録")
    client.force_login(cast.csw_a)
    response = client.get(send_url(case))
    assert response.status_code == 200
    form = response.context["form"]
    assert cast.agency_a not in form.fields["receiving_agency"].queryset
    assert cast.agency_b in form.fields["receiving_agency"].queryset
    assert list(form.fields["shared_contacts"].queryset) == [mine]
    assert "別の方の記録" not in text(response)


@pytest.mark.parametrize(
    "who, status",
    [("consultation_b", 403), ("consultation_a", 404), ("admin_a", 404), ("csw_b", 404)],
)
def test_only_those_who_work_the_case_open_the_send_form(client, cast, case_a, who, status):
    client.force_login(getattr(cast, who))
    assert client.get(send_url(case_a)).status_code == status
    assert client.post(send_url(case_a), form_data(cast)).status_code == status
    assert not Referral.objects.exists()


BAD_INPUT = [
    ("receiving_agency", {"receiving_agency": None}),
    ("receiving_agency", {"receiving_agency": ""}),
    ("receiving_agency", {"receiving_agency": "abc"}),
    ("receiving_agency", {"receiving_agency": "99999999"}),
    ("receiving_agency", {"receiving_agency": "99999999999999999999999"}),
    ("receiving_agency", {"receiving_agency": "-1"}),
    ("receiving_agency", {"receiving_agency": "own"}),
    ("answer_by", {"answer_by": "past"}),
    ("answer_by", {"answer_by": ""}),
    ("answer_by", {"answer_by": "not-a-date"}),
    ("answer_by", {"answer_by": "1999-12-31"}),
    ("answer_by", {"answer_by": "2101-01-01"}),
    ("answer_by", {"answer_by": "2026-02-30"}),
    ("reason", {"reason": None}),
    ("reason", {"reason": "   "}),
    ("reason", {"reason": "あ" * 4001}),
    ("urgency", {"urgency": "asap"}),
    ("scope", {"scope": "everything"}),
    ("scope", {"scope": None}),
    ("shared_contacts", {"shared_contacts": ["abc"]}),
    ("shared_contacts", {"shared_contacts": ["99999999"]}),
    ("shared_contacts", {"shared_contacts": ["other"]}),
]


@pytest.mark.parametrize("field, overrides", BAD_INPUT)
def test_bad_input_is_refused_next_to_the_field(client, cast, refer, field, overrides):
    case = refer.case()
    refer.consent(case, cast.agency_b)
    other = refer.case(given_name="次郎")
    foreign = refer.contact(other, "別の方の記録")
    values = {
        "own": cast.agency_a.pk,
        "past": (today() - datetime.timedelta(days=1)).isoformat(),
    }
    overrides = {
        k: (
            [foreign.pk if x == "other" else x for x in v]
            if isinstance(v, list)
            else values.get(v, v)
        )
        for k, v in overrides.items()
    }
    client.force_login(cast.csw_a)
    before = snapshot()
    response = client.post(send_url(case), form_data(cast, **overrides))
    assert response.status_code == 400
    assert field in response.context["form"].errors, response.context["form"].errors
    assert f'id="id_{field}_error"' in text(response)
    assert snapshot() == before
    assert not Referral.objects.exists()


def test_a_record_id_beyond_the_database_range_is_refused_not_a_500(client, cast, refer):
    case = refer.case()
    refer.consent(case, cast.agency_b)
    client.force_login(cast.csw_a)
    before = snapshot()
    response = client.post(
        send_url(case), form_data(cast, shared_contacts=["99999999999999999999999"])
    )
    assert response.status_code == 400
    assert "shared_contacts" in response.context["form"].errors
    assert snapshot() == before


def test_sending_without_a_basis_is_refused_on_the_page(client, cast, refer):
    case = refer.case()
    client.force_login(cast.csw_a)
    before = snapshot()
    response = client.post(send_url(case), form_data(cast))
    assert response.status_code == 400
    errors = response.context["form"].errors["receiving_agency"]
    assert any("本人同意" in e for e in errors)
    assert 'id="id_receiving_agency_error"' in text(response)
    assert snapshot() == before


def test_a_second_open_referral_is_refused_on_the_page(client, cast, refer):
    case = refer.case()
    refer.send(case)
    client.force_login(cast.csw_a)
    before = snapshot()
    response = client.post(send_url(case), form_data(cast))
    assert response.status_code == 400
    assert "receiving_agency" in response.context["form"].errors
    assert snapshot() == before


def test_sending_from_a_closed_case_is_refused_on_the_page(client, cast, refer, workflow):
    case = refer.case()
    refer.consent(case, cast.agency_b)
    workflow.screen(case, cast.csw_a, result="info_only")
    client.force_login(cast.csw_a)
    assert "他機関へつなぐ" not in text(client.get(case.get_absolute_url()))
    before = snapshot()
    response = client.post(send_url(case), form_data(cast))
    assert response.status_code == 400
    assert any("終結" in e for e in response.context["form"].non_field_errors())
    assert snapshot() == before


def test_the_form_accepts_a_full_scope_and_ignores_picked_records(client, cast, refer):
    case = refer.case()
    contact = refer.contact(case, "記録")
    refer.consent(case, cast.agency_b)
    client.force_login(cast.csw_a)
    response = client.post(
        send_url(case), form_data(cast, scope="full", shared_contacts=[contact.pk])
    )
    assert response.status_code == 302
    referral = Referral.objects.get()
    assert referral.scope == Scope.FULL and not referral.shared_contacts.exists()
    assert Notification.objects.filter(recipient=cast.consultation_b).exists()


def test_a_referral_without_consent_offers_to_record_it_and_keeps_what_was_typed(
    client, cast, open_case
):
    from django.urls import reverse

    from casework.models import Consent
    from referrals.models import Referral
    from tests.referrals.page_helpers import form_data, send_url

    case = open_case(cast.csw_a)
    client.force_login(cast.csw_a)
    typed = form_data(cast, reason="家族の介護が限界との相談")
    response = client.post(send_url(case), typed)
    assert response.status_code == 400 and not Referral.objects.exists()
    body = response.content.decode()
    consent_url = reverse("casework:consent_new", kwargs={"pk": case.person_id})
    assert f'href="{consent_url}?agency={cast.agency_b.pk}" target="_blank"' in body
    assert "家族の介護が限界との相談" in body  # the form comes back as typed
    # The consent page opens with the agency ticked; once recorded, the referral goes.
    form = client.get(f"{consent_url}?agency={cast.agency_b.pk}").context["form"]
    assert form.initial["agencies"] == [cast.agency_b.pk]
    client.post(
        f"{consent_url}?agency={cast.agency_b.pk}",
        {
            "basis": "consent",
            "agencies": [cast.agency_b.pk],
            "given_on": form.initial["given_on"].isoformat(),
        },
    )
    assert Consent.objects.filter(person=case.person).exists()
    assert client.post(send_url(case), typed).status_code == 302
    assert Referral.objects.get().reason == "家族の介護が限界との相談"
    # Nonsense in ?agency= ticks nothing.
    for junk in ("x", "9" * 30, "-1"):
        assert (
            client.get(f"{consent_url}?agency={junk}").context["form"].initial.get("agencies")
            is None
        )
