"""Who answers a referral (docs/access.md): only the assigned or named worker and the
receiving supervisors accept, decline or complete it, on the pages and through the
services; and the worker the sender names, who sees the person before acceptance.
"""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from referrals import services as referral_services
from referrals.models import Referral, ReferralState
from tests.referrals.conftest import sees, snapshot
from tests.referrals.page_helpers import INBOX, text, url
from tests.referrals.policy_helpers import (
    ADDRESS,
    ANSWER_DATA,
    DECLINE_NOTE,
    HIDDEN_ROW,
    NAME,
    PHONE,
    REASON,
    RECEIVING,
    SCOPES,
    SHARED,
    STATES,
    answer_status,
    answers,
    applies,
    assert_detail,
)

# --- who answers ----------------------------------------------------------------------------


@pytest.mark.parametrize("scope", SCOPES)
@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("action", ["accept", "decline", "complete"])
def test_who_may_open_and_post_the_answer_pages(client, cast, story, action, state, scope):
    referral = story(state, scope)
    data = {**ANSWER_DATA, "worker": cast.consultation_b.pk}
    for member, user in cast.roles().items():
        client.force_login(user)
        expected = answer_status(member, state)
        before = snapshot()
        assert client.get(url(action, referral)).status_code == expected, (member, state)
        if expected != 200:
            assert snapshot() == before, (member, state)
            assert client.post(url(action, referral), data).status_code == expected, member
            assert snapshot() == before, (member, state)
            continue
        if applies(action, state):
            continue  # it would answer: see the tests below
        # An answer that does not fit the state is refused next to the form, changing nothing.
        before = snapshot()
        response = client.post(url(action, referral), data)
        assert response.status_code == 400 and response.context["form"].non_field_errors()
        assert snapshot() == before, (member, state)


def test_the_detail_page_offers_answers_only_to_those_who_answer(client, cast, story):
    for state in ("sent", "accepted"):
        referral = story(state)
        for member in RECEIVING:
            client.force_login(getattr(cast, member))
            page = text(client.get(referral.get_absolute_url()))
            offered = answers(member, state)
            if state == "sent":
                assert (url("accept", referral) in page) is offered, member
                assert (url("decline", referral) in page) is offered, member
            else:
                assert (url("complete", referral) in page) is offered, member


@pytest.mark.parametrize("who", ["csw_b", "consultation_b"])
@pytest.mark.parametrize("action", ["accept", "decline"])
def test_an_unnamed_worker_cannot_answer_through_the_services(cast, refer, who, action):
    referral = refer.send()
    before = snapshot()
    with pytest.raises(PermissionDenied):
        if action == "accept":
            refer.accept(referral, actor=getattr(cast, who), worker=getattr(cast, who))
        else:
            refer.decline(referral, actor=getattr(cast, who))
    assert snapshot() == before
    referral.refresh_from_db()
    assert referral.state == ReferralState.SENT and referral.answered_by is None


def test_only_the_assigned_worker_and_the_supervisors_complete(cast, refer):
    referral = refer.accepted(worker=cast.consultation_b)
    before = snapshot()
    with pytest.raises(PermissionDenied):
        refer.complete(referral, actor=cast.csw_b)
    assert snapshot() == before
    refer.complete(referral, actor=cast.supervisor_b)
    referral.refresh_from_db()
    assert (referral.state, referral.completed_by) == (ReferralState.COMPLETED, cast.supervisor_b)
    assert not sees(cast.consultation_b, referral.case)


def test_an_unassigned_worker_posting_complete_changes_nothing(client, cast, refer):
    """The attack: a POST of complete by csw_b, who is not the assigned worker, must not
    end the referral, revoke the grants or tell either side."""
    referral = refer.accepted(worker=cast.consultation_b)
    client.force_login(cast.csw_b)
    before = snapshot()
    assert client.post(url("complete", referral), {"note": "終わらせる"}).status_code == 403
    assert snapshot() == before
    assert sees(cast.consultation_b, referral.case)


def test_the_receiving_supervisor_and_the_assigned_worker_answer_on_the_pages(client, cast, refer):
    declined = refer.send(refer.case(given_name="二郎"))
    client.force_login(cast.supervisor_b)
    response = client.post(url("decline", declined), {"reason": "対象外"})
    assert response.status_code == 302
    declined.refresh_from_db()
    assert (declined.state, declined.answered_by) == (ReferralState.DECLINED, cast.supervisor_b)

    referral = refer.send()
    response = client.post(url("accept", referral), {"worker": cast.consultation_b.pk})
    assert response.status_code == 302
    client.force_login(cast.consultation_b)
    response = client.post(url("complete", referral), {"note": "支援につないだ"})
    assert response.status_code == 302
    referral.refresh_from_db()
    assert (referral.state, referral.completed_by) == (
        ReferralState.COMPLETED,
        cast.consultation_b,
    )


# --- the worker the sender names ----------------------------------------------------------


def test_a_named_worker_sees_the_person_and_the_reason_before_acceptance(client, cast, story):
    referral = story("sent", named_worker=cast.csw_b)
    assert referral.assigned_worker == cast.csw_b
    client.force_login(cast.csw_b)
    page = text(client.get(referral.get_absolute_url()))
    assert_detail(page, referral, "sent", "csw_b", names=True)
    # What the sender shared waits for the acceptance.
    assert PHONE not in page and ADDRESS not in page and SHARED not in page
    assert url("accept", referral) in page and url("decline", referral) in page
    assert NAME in text(client.get(INBOX))
    assert client.get(url("accept", referral)).status_code == 200
    assert client.get(url("decline", referral)).status_code == 200
    # The other worker there still sees only that a referral waits.
    client.force_login(cast.consultation_b)
    page = text(client.get(referral.get_absolute_url()))
    assert_detail(page, referral, "sent", "consultation_b", names=False)
    inbox = text(client.get(INBOX))
    assert NAME not in inbox and HIDDEN_ROW in inbox
    assert client.get(url("accept", referral)).status_code == 403


def test_a_named_worker_accepts_on_the_page(client, cast, story):
    referral = story("sent", named_worker=cast.csw_b)
    client.force_login(cast.consultation_b)
    before = snapshot()
    response = client.post(url("accept", referral), {"worker": cast.consultation_b.pk})
    assert response.status_code == 403
    assert snapshot() == before
    client.force_login(cast.csw_b)
    response = client.post(url("accept", referral), {"worker": cast.csw_b.pk})
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.state == ReferralState.ACCEPTED
    assert (referral.answered_by, referral.assigned_worker) == (cast.csw_b, cast.csw_b)
    assert sees(cast.csw_b, referral.case) and not sees(cast.consultation_b, referral.case)
    page = text(client.get(referral.get_absolute_url()))
    assert PHONE in page and SHARED in page
    assert url("complete", referral) in page


def test_a_named_worker_declines_on_the_page(client, cast, story):
    referral = story("sent", named_worker=cast.csw_b)
    client.force_login(cast.csw_b)
    response = client.post(url("decline", referral), {"reason": DECLINE_NOTE})
    assert response.status_code == 302
    referral.refresh_from_db()
    assert (referral.state, referral.answered_by) == (ReferralState.DECLINED, cast.csw_b)
    # Once it ended the named worker no longer sees whom it was for.
    page = text(client.get(referral.get_absolute_url()))
    assert_detail(page, referral, "declined", "csw_b", names=False)


def test_a_named_worker_who_is_not_assigned_loses_the_referral(client, cast, story):
    referral = story("sent", named_worker=cast.csw_b)
    referral_services.referral_accept(
        actor=cast.supervisor_b, referral=referral, worker=cast.consultation_b
    )
    referral.refresh_from_db()
    client.force_login(cast.csw_b)
    page = text(client.get(referral.get_absolute_url()))
    assert_detail(page, referral, "accepted", "csw_b", names=False)
    assert client.get(url("complete", referral)).status_code == 403
    client.force_login(cast.consultation_b)
    assert client.get(url("complete", referral)).status_code == 200


def test_the_send_form_names_a_worker_of_the_receiving_agency(client, cast, refer, third):
    case = refer.case()
    refer.consent(case, cast.agency_b)
    client.force_login(cast.csw_a)
    form = client.get(reverse("referrals:send", kwargs={"pk": case.pk})).context["form"]
    offered = set(form.fields["named_worker"].queryset)
    assert {cast.csw_b, cast.consultation_b, cast.supervisor_b} <= offered
    assert not offered & {cast.csw_a, cast.supervisor_a, cast.admin_b, cast.indicator_officer}
    data = {
        "receiving_agency": cast.agency_b.pk,
        "reason": REASON,
        "urgency": "normal",
        "answer_by": (timezone.localdate() + datetime.timedelta(days=7)).isoformat(),
        "scope": "summary",
    }
    before = snapshot()
    for wrong in (cast.csw_a.pk, cast.admin_b.pk, third.csw.pk, "abc", "99999999999"):
        response = client.post(
            reverse("referrals:send", kwargs={"pk": case.pk}), {**data, "named_worker": wrong}
        )
        assert response.status_code == 400, wrong
        assert "named_worker" in response.context["form"].errors, wrong
        assert 'id="id_named_worker_error"' in text(response), wrong
    assert snapshot() == before
    response = client.post(
        reverse("referrals:send", kwargs={"pk": case.pk}), {**data, "named_worker": cast.csw_b.pk}
    )
    assert response.status_code == 302
    assert Referral.objects.get().assigned_worker == cast.csw_b


@pytest.mark.parametrize("who", ["csw_a", "admin_b", "csw_c"])
def test_the_service_names_only_case_staff_of_the_receiving_agency(cast, refer, third, who):
    worker = third.csw if who == "csw_c" else getattr(cast, who)
    case = refer.case()
    refer.consent(case, cast.agency_b)
    before = snapshot()
    with pytest.raises(ValidationError) as error:
        refer.send(case, consent=False, named_worker=worker)
    assert "named_worker" in error.value.message_dict
    assert snapshot() == before
