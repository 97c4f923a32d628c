"""The referral pages: the detail page, the answer forms, the history panel on the case
page, and the links of the notifications. Bad input is refused next to its field; no
request ends in a 500."""

import pytest

from casework.models import Notification
from referrals.models import Referral, ReferralState, Scope
from tests.referrals.conftest import sees, snapshot
from tests.referrals.page_helpers import INBOX, OUTBOX, form_data, send_url, text, url

# --- the whole flow through the pages ------------------------------------------------------


def test_refer_accept_see_the_summary_withdraw(client, cast, refer):
    case = refer.case(address="目黒区中町二丁目3番4号", phone="03-9999-0000")
    shared = refer.contact(case, "共有する記録")
    refer.contact(case, "共有しない記録")
    refer.consent(case, cast.agency_b)

    client.force_login(cast.csw_a)
    assert "他機関へつなぐ" in text(client.get(case.get_absolute_url()))
    # The sender names the worker there who answers (unnamed workers may not: 403).
    response = client.post(
        send_url(case),
        form_data(cast, shared_contacts=[shared.pk], named_worker=cast.consultation_b.pk),
    )
    referral = Referral.objects.get()
    assert response.status_code == 302 and response.url == referral.get_absolute_url()
    assert referral.sent_by == cast.csw_a and list(referral.shared_contacts.all()) == [shared]
    assert referral.assigned_worker == cast.consultation_b

    client.force_login(cast.consultation_b)
    assert referral.get_absolute_url() in text(client.get(INBOX))
    page = text(client.get(referral.get_absolute_url()))
    assert "共有する記録" not in page and "03-9999-0000" not in page
    assert url("accept", referral) in page
    assert client.get(case.get_absolute_url()).status_code == 404

    response = client.post(url("accept", referral), {"worker": cast.consultation_b.pk})
    assert response.status_code == 302
    page = text(client.get(referral.get_absolute_url()))
    assert "共有する記録" in page and "共有しない記録" not in page
    assert "03-9999-0000" in page and "目黒区中町二丁目3番4号" in page
    assert client.get(case.get_absolute_url()).status_code == 403
    assert case.get_absolute_url() not in page  # no "open the case" for a summary

    client.force_login(cast.supervisor_b)
    page = text(client.get(referral.get_absolute_url()))
    assert "共有する記録" in page and "共有しない記録" not in page
    assert client.get(case.get_absolute_url()).status_code == 403

    client.force_login(cast.csw_a)
    assert client.post(url("withdraw", referral), {"reason": "本人の希望"}).status_code == 302
    referral.refresh_from_db()
    assert referral.state == ReferralState.WITHDRAWN

    client.force_login(cast.consultation_b)
    page = text(client.get(referral.get_absolute_url()))  # still in the inbox's history
    assert "共有する記録" not in page and "03-9999-0000" not in page
    assert client.get(case.get_absolute_url()).status_code == 404
    assert not sees(cast.consultation_b, case) and not sees(cast.supervisor_b, case)


def test_full_scope_opens_the_case_page(client, cast, refer):
    case = refer.case()
    refer.contact(case, "一つ目の記録")
    refer.contact(case, "二つ目の記録")
    referral = refer.accepted(case, scope=Scope.FULL)
    for user in (cast.consultation_b, cast.supervisor_b):
        client.force_login(user)
        page = text(client.get(case.get_absolute_url()))
        assert "一つ目の記録" in page and "二つ目の記録" in page
        assert "他機関へつなぐ" not in page  # reading only
        assert case.get_absolute_url() in text(client.get(referral.get_absolute_url()))
    client.force_login(cast.csw_b)
    assert client.get(case.get_absolute_url()).status_code == 404


def test_other_staff_of_the_receiving_agency_see_no_shared_records(client, cast, refer):
    case = refer.case(phone="03-9999-0000")
    shared = refer.contact(case, "共有する記録")
    referral = refer.accepted(case, contacts=[shared])
    client.force_login(cast.csw_b)
    page = text(client.get(referral.get_absolute_url()))
    assert "共有する記録" not in page and "03-9999-0000" not in page
    # Only the assigned worker and the supervisors record completion.
    assert url("complete", referral) not in page
    assert client.get(url("complete", referral)).status_code == 403


@pytest.mark.parametrize("who", ["consultation_a", "admin_a", "admin_b", "indicator_officer"])
def test_referral_detail_is_404_for_those_outside(client, cast, refer, who):
    referral = refer.send()
    client.force_login(getattr(cast, who))
    assert client.get(referral.get_absolute_url()).status_code == 404


def test_referral_detail_is_404_for_a_third_agency(client, refer, third):
    referral = refer.send()
    client.force_login(third.csw)
    assert client.get(referral.get_absolute_url()).status_code == 404
    for action in ("accept", "decline", "complete", "withdraw"):
        assert client.post(url(action, referral), {}).status_code == 404


def test_anonymous_users_are_sent_to_login(client, refer):
    referral = refer.send()
    for path in (INBOX, OUTBOX, referral.get_absolute_url(), url("accept", referral)):
        response = client.get(path)
        assert response.status_code == 302 and "login" in response.url


@pytest.mark.parametrize("pk", ["0", "abc", "99999999999999999999", "-1"])
def test_garbage_referral_ids_are_404(client, cast, pk):
    client.force_login(cast.csw_a)
    for path in (f"/referrals/{pk}/", f"/referrals/{pk}/accept/", f"/referrals/new/{pk}/"):
        assert client.get(path).status_code == 404


# --- the answer forms ---------------------------------------------------------------------


def test_accept_form_offers_only_the_receiving_agencys_case_staff(client, cast, refer):
    referral = refer.send()
    client.force_login(cast.supervisor_b)
    response = client.get(url("accept", referral))
    assert response.status_code == 200
    workers = set(response.context["form"].fields["worker"].queryset)
    assert workers == {cast.csw_b, cast.consultation_b, cast.supervisor_b}


@pytest.mark.parametrize(
    "worker", ["", "abc", "99999999", "99999999999999999999999", "-1", "csw_a", "admin_b"]
)
def test_accept_with_a_bad_worker_is_refused_next_to_the_field(client, cast, refer, worker):
    referral = refer.send()
    value = getattr(cast, worker).pk if worker in ("csw_a", "admin_b") else worker
    client.force_login(cast.supervisor_b)
    before = snapshot()
    response = client.post(url("accept", referral), {"worker": value})
    assert response.status_code == 400
    assert "worker" in response.context["form"].errors
    assert 'id="id_worker_error"' in text(response)
    assert snapshot() == before


def test_decline_without_a_reason_is_refused_next_to_the_field(client, cast, refer):
    referral = refer.send(named_worker=cast.csw_b)
    client.force_login(cast.csw_b)
    before = snapshot()
    for reason in ("", "   "):
        response = client.post(url("decline", referral), {"reason": reason})
        assert response.status_code == 400
        assert "reason" in response.context["form"].errors
    assert snapshot() == before
    response = client.post(url("decline", referral), {"reason": "担当外"})
    assert response.status_code == 302
    referral.refresh_from_db()
    assert (referral.state, referral.answered_by) == (ReferralState.DECLINED, cast.csw_b)


def test_answering_a_referral_twice_is_refused_on_the_page(client, cast, refer):
    referral = refer.accepted()
    client.force_login(cast.supervisor_b)
    before = snapshot()
    response = client.post(url("accept", referral), {"worker": cast.csw_b.pk})
    assert response.status_code == 400
    assert response.context["form"].non_field_errors()
    response = client.post(url("decline", referral), {"reason": "やはり断る"})
    assert response.status_code == 400 and response.context["form"].non_field_errors()
    assert snapshot() == before
    response = client.post(url("complete", referral), {"note": "完了"})
    assert response.status_code == 302
    response = client.post(url("complete", referral), {"note": "もう一度"})
    assert response.status_code == 400 and response.context["form"].non_field_errors()
    client.force_login(cast.csw_a)
    response = client.post(url("withdraw", referral), {"reason": ""})
    assert response.status_code == 400 and response.context["form"].non_field_errors()


@pytest.mark.parametrize("action", ["accept", "decline", "complete"])
def test_the_sending_side_cannot_answer(client, cast, refer, action):
    referral = refer.accepted() if action == "complete" else refer.send()
    client.force_login(cast.csw_a)
    before = snapshot()
    assert client.get(url(action, referral)).status_code == 403
    response = client.post(url(action, referral), {"worker": cast.csw_a.pk, "reason": "x"})
    assert response.status_code == 403
    assert snapshot() == before


@pytest.mark.parametrize("who", ["consultation_b", "supervisor_b"])
def test_the_receiving_side_cannot_withdraw(client, cast, refer, who):
    referral = refer.accepted()
    client.force_login(getattr(cast, who))
    before = snapshot()
    assert client.post(url("withdraw", referral), {}).status_code == 403
    assert snapshot() == before


def test_detail_offers_the_actions_each_side_may_take(client, cast, refer):
    referral = refer.send()
    client.force_login(cast.supervisor_b)
    page = text(client.get(referral.get_absolute_url()))
    assert url("accept", referral) in page and url("decline", referral) in page
    assert url("withdraw", referral) not in page
    # A worker the sender did not name answers nothing.
    client.force_login(cast.consultation_b)
    page = text(client.get(referral.get_absolute_url()))
    assert url("accept", referral) not in page and url("decline", referral) not in page
    assert url("withdraw", referral) not in page
    client.force_login(cast.csw_a)
    page = text(client.get(referral.get_absolute_url()))
    assert url("withdraw", referral) in page
    assert url("accept", referral) not in page and url("complete", referral) not in page


# --- the case page ------------------------------------------------------------------------


def test_case_page_shows_the_referral_history(client, cast, refer, third):
    case = refer.case()
    declined = refer.decline(refer.send(case))
    accepted = refer.accepted(case, consent=False, scope=Scope.FULL)
    waiting = refer.send(case, to=third.agency)
    client.force_login(cast.csw_a)
    page = text(client.get(case.get_absolute_url()))
    assert "つなぎ(他機関紹介)" in page
    for referral in (declined, accepted, waiting):
        assert referral.get_absolute_url() in page
    assert "お断り" in page and "受理" in page and "回答待ち" in page
    assert third.agency.name in page
    assert send_url(case) in page
    client.force_login(cast.consultation_b)
    page = text(client.get(case.get_absolute_url()))
    assert accepted.get_absolute_url() in page
    assert send_url(case) not in page


def test_case_page_without_referrals_says_so(client, cast, refer):
    case = refer.case()
    client.force_login(cast.csw_a)
    assert "つなぎはありません。" in text(client.get(case.get_absolute_url()))


def test_notifications_link_to_a_page_the_recipient_may_open(client, cast, refer):
    referral = refer.send()
    for note in Notification.objects.select_related("recipient"):
        client.force_login(note.recipient)
        assert client.get(note.url).status_code == 200
    refer.accept(referral)
    for note in Notification.objects.filter(recipient__username__endswith="_a"):
        client.force_login(note.recipient)
        assert client.get(note.url).status_code == 200
