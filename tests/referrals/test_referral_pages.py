"""The referral pages: inbox, outbox, detail, the send and answer forms, and the history
panel on the case page. Bad input is refused next to its field; no request ends in a 500."""

import datetime

import pytest
from django.urls import reverse

from casework.models import Notification
from referrals.models import Referral, ReferralState, Scope
from tests.referrals.conftest import days, sees, snapshot, today

INBOX = reverse("referrals:inbox")
OUTBOX = reverse("referrals:outbox")


def url(name, obj):
    return reverse(f"referrals:{name}", kwargs={"pk": obj.pk})


def send_url(case):
    return reverse("referrals:send", kwargs={"pk": case.pk})


def form_data(cast, **overrides):
    data = {
        "receiving_agency": cast.agency_b.pk,
        "reason": "介護保険の申請について",
        "urgency": "normal",
        "answer_by": days(7).isoformat(),
        "scope": "summary",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def text(response) -> str:
    return response.content.decode()


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
    assert response.status_code == 200
    assert "worker" in response.context["form"].errors
    assert 'id="id_worker_error"' in text(response)
    assert snapshot() == before


def test_decline_without_a_reason_is_refused_next_to_the_field(client, cast, refer):
    referral = refer.send(named_worker=cast.csw_b)
    client.force_login(cast.csw_b)
    before = snapshot()
    for reason in ("", "   "):
        response = client.post(url("decline", referral), {"reason": reason})
        assert response.status_code == 200
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
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    response = client.post(url("decline", referral), {"reason": "やはり断る"})
    assert response.status_code == 200 and response.context["form"].non_field_errors()
    assert snapshot() == before
    response = client.post(url("complete", referral), {"note": "完了"})
    assert response.status_code == 302
    response = client.post(url("complete", referral), {"note": "もう一度"})
    assert response.status_code == 200 and response.context["form"].non_field_errors()
    client.force_login(cast.csw_a)
    response = client.post(url("withdraw", referral), {"reason": ""})
    assert response.status_code == 200 and response.context["form"].non_field_errors()


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
    assert response.status_code == 200
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
    assert response.status_code == 200
    assert "shared_contacts" in response.context["form"].errors
    assert snapshot() == before


def test_sending_without_a_basis_is_refused_on_the_page(client, cast, refer):
    case = refer.case()
    client.force_login(cast.csw_a)
    before = snapshot()
    response = client.post(send_url(case), form_data(cast))
    assert response.status_code == 200
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
    assert response.status_code == 200
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
    assert response.status_code == 200
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


# --- inbox and outbox ---------------------------------------------------------------------


def _make_overdue(referral, by_days=3):
    Referral.objects.filter(pk=referral.pk).update(answer_by=days(-by_days))
    referral.refresh_from_db()
    return referral


def test_is_overdue_only_while_waiting_past_the_deadline(refer):
    waiting = refer.send(answer_by=today())
    assert not waiting.is_overdue
    overdue = _make_overdue(refer.send())
    assert overdue.is_overdue
    accepted = _make_overdue(refer.accepted())
    assert not accepted.is_overdue
    declined = _make_overdue(refer.decline(refer.send()))
    assert not declined.is_overdue


def test_inbox_lists_waiting_first_and_marks_overdue(client, cast, refer, third):
    accepted = refer.accepted(refer.case(given_name="一郎"), answer_by=days(1))
    later = refer.send(refer.case(given_name="二郎"), answer_by=days(10))
    overdue = _make_overdue(refer.send(refer.case(given_name="三郎")))
    declined = refer.decline(refer.send(refer.case(given_name="四郎"), answer_by=days(2)))
    elsewhere = refer.send(refer.case(given_name="五郎"), to=third.agency)
    client.force_login(cast.csw_b)
    response = client.get(INBOX)
    assert response.status_code == 200
    listed = [r.pk for r in response.context["page"].object_list]
    assert listed == [overdue.pk, later.pk, accepted.pk, declined.pk]
    assert elsewhere.pk not in listed
    page = text(response)
    assert page.count('class="overdue"') == 1
    assert "期限切れ" in page
    # Agency A received nothing.
    client.force_login(cast.csw_a)
    assert list(client.get(INBOX).context["page"].object_list) == []


def test_outbox_lists_only_the_cases_the_user_may_see(client, cast, refer):
    mine = refer.send(refer.case(cast.csw_a, given_name="一郎"))
    theirs = refer.send(
        refer.case(cast.consultation_a, given_name="二郎"), actor=cast.consultation_a
    )
    expected = {
        cast.csw_a: [mine.pk],
        cast.consultation_a: [theirs.pk],
        cast.supervisor_a: [theirs.pk, mine.pk],
        cast.csw_b: [],
        cast.supervisor_b: [],
    }
    for user, pks in expected.items():
        client.force_login(user)
        response = client.get(OUTBOX)
        assert response.status_code == 200
        assert [r.pk for r in response.context["page"].object_list] == pks, user


def test_outbox_keeps_closed_referrals(client, cast, refer):
    case = refer.case()
    withdrawn = refer.withdraw(refer.send(case))
    completed = refer.complete(refer.accepted(case, consent=False))
    client.force_login(cast.csw_a)
    listed = {r.pk for r in client.get(OUTBOX).context["page"].object_list}
    assert listed == {withdrawn.pk, completed.pk}


@pytest.mark.parametrize("who", ["admin_a", "admin_b", "indicator_officer", "outsider"])
def test_inbox_and_outbox_are_forbidden_without_a_case_role(client, cast, who):
    client.force_login(getattr(cast, who))
    assert client.get(INBOX).status_code == 403
    assert client.get(OUTBOX).status_code == 403


@pytest.mark.parametrize("page", ["x", "0", "-1", "999", "99999999999999999999"])
def test_garbage_page_numbers_are_not_errors(client, cast, refer, page):
    refer.send()
    client.force_login(cast.csw_b)
    assert client.get(INBOX, {"page": page}).status_code == 200
    client.force_login(cast.csw_a)
    assert client.get(OUTBOX, {"page": page}).status_code == 200


def test_lists_refuse_post(client, cast):
    client.force_login(cast.csw_a)
    assert client.post(INBOX).status_code == 405
    assert client.post(OUTBOX).status_code == 405


# session, user, membership, the count and the page of rows, one query for the ended rows'
# persons the user sees by another route, the one access-log row, the bell, and the
# session's save (savepoint, update, release).
MAX_LIST_QUERIES = 11


def _queries(client, user, path, django_assert_max_num_queries):
    client.force_login(user)
    with django_assert_max_num_queries(MAX_LIST_QUERIES) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return len(captured.captured_queries), len(response.context["page"].object_list)


def _referrals(refer, cast, count, start=0):
    """Every kind of row from the first two on: one the user handles and one that ended
    (whose person is looked up once for the page), then waiting and overdue ones."""
    for i in range(start, start + count):
        case = refer.case(given_name=f"太郎{i}")
        if i % 4 == 0:
            refer.accepted(case, worker=cast.csw_b)
        elif i % 4 == 1:
            refer.decline(refer.send(case))
        elif i % 4 == 2:
            _make_overdue(refer.send(case, urgency="urgent"))
        else:
            refer.send(case)


def test_inbox_and_outbox_pin_their_query_counts(
    client, cast, refer, django_assert_max_num_queries
):
    _referrals(refer, cast, 2)
    few = {
        "inbox": _queries(client, cast.csw_b, INBOX, django_assert_max_num_queries),
        "inbox_sv": _queries(client, cast.supervisor_b, INBOX, django_assert_max_num_queries),
        "outbox": _queries(client, cast.csw_a, OUTBOX, django_assert_max_num_queries),
        "outbox_sv": _queries(client, cast.supervisor_a, OUTBOX, django_assert_max_num_queries),
    }
    _referrals(refer, cast, 23, start=2)
    many = {
        "inbox": _queries(client, cast.csw_b, INBOX, django_assert_max_num_queries),
        "inbox_sv": _queries(client, cast.supervisor_b, INBOX, django_assert_max_num_queries),
        "outbox": _queries(client, cast.csw_a, OUTBOX, django_assert_max_num_queries),
        "outbox_sv": _queries(client, cast.supervisor_a, OUTBOX, django_assert_max_num_queries),
    }
    for box in few:
        assert few[box][1] == 2 and many[box][1] == 25, box
        assert few[box][0] == many[box][0], box
    # The inbox pays for the ended rows' persons with one query, however many rows.
    assert few["inbox"][0] == MAX_LIST_QUERIES


def test_notifications_link_to_a_page_the_recipient_may_open(client, cast, refer):
    referral = refer.send()
    for note in Notification.objects.select_related("recipient"):
        client.force_login(note.recipient)
        assert client.get(note.url).status_code == 200
    refer.accept(referral)
    for note in Notification.objects.filter(recipient__username__endswith="_a"):
        client.force_login(note.recipient)
        assert client.get(note.url).status_code == 200
