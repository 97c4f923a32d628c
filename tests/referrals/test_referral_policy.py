"""The referral access policy, for every member of the cast, every referral state
and both scopes (docs/access.md):

- Before acceptance only the receiving agency's supervisors and the worker the sender named
  see the person and the reason; other workers there see that a referral waits.
- Only the assigned (or named) worker and the receiving supervisors accept, decline or
  complete a referral.
- An ended referral shows dates and states but not the person, the reason or the notes,
  unless the user sees the person by another route, such as the receiving agency's own case,
  which the assigned worker and the supervisors may open while the referral is accepted.
- A summary receiver's person page shows the person, not the sender's case.
- The inbox writes one access-log row naming only the persons it showed.
"""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from casework import services
from casework.models import AccessLog, Case
from casework.templatetags.tsunagu import jdate, jdatetime
from referrals import services as referral_services
from referrals.models import Referral, ReferralState, Scope
from tests.referrals.conftest import sees, snapshot

NAME = "目黒 一郎"
KANA = "めぐろ いちろう"
PHONE = "03-1234-5678"
ADDRESS = "目黒区中町九丁目8番7号"
REASON = "物忘れが進み、見守りの体制づくりを頼みたい"
SHARED = "共有すると選んだ経過の記録"
UNSHARED = "共有しない経過の記録"
DECLINE_NOTE = "担当地区の外であるためのお断り"
COMPLETION_NOTE = "申請の手続きを終えたという報告"
WITHDRAW_NOTE = "取り下げた事情のメモ"
NOTES = {"declined": DECLINE_NOTE, "completed": COMPLETION_NOTE, "withdrawn": WITHDRAW_NOTE}
NOTES["withdrawn_sent"] = WITHDRAW_NOTE

# A referral from csw_a (agency A) to agency B, nobody named; accepted ones go to
# consultation_b. "withdrawn" is withdrawn after acceptance, "withdrawn_sent" before.
STATES = ["sent", "accepted", "declined", "completed", "withdrawn", "withdrawn_sent"]
SCOPES = [Scope.SUMMARY, Scope.FULL]
OPEN = {"sent", "accepted"}
ASSIGNED = {"accepted", "completed", "withdrawn"}  # consultation_b was assigned

SENDING = {"csw_a", "supervisor_a"}  # they read the whole case
RECEIVING = {"csw_b", "consultation_b", "supervisor_b"}
HIDDEN_OPEN = "(紹介先の管理者と担当者だけに表示します)"
HIDDEN_ENDED = "(終了したつなぎのため表示しません)"
HIDDEN_ROW = "(表示しません)"

INBOX = reverse("referrals:inbox")
OUTBOX = reverse("referrals:outbox")


def url(name, referral):
    return reverse(f"referrals:{name}", kwargs={"pk": referral.pk})


def text(response) -> str:
    return response.content.decode()


def identified(member: str, state: str) -> bool:
    """May the member see whom the referral is for and why (no other route to the person)?"""
    if member in SENDING:
        return True
    if member == "supervisor_b":
        return state in OPEN
    if member == "consultation_b":
        return state == "accepted"
    return False


def shared_shown(member: str, state: str) -> bool:
    """May the member see what the sender shared (contact details, picked records)?"""
    if member in SENDING:
        return True
    return state == "accepted" and member in {"consultation_b", "supervisor_b"}


def answers(member: str, state: str) -> bool:
    """Is the member one who answers for agency B (the answer pages open for them)?"""
    return member == "supervisor_b" or (member == "consultation_b" and state in ASSIGNED)


def applies(action: str, state: str) -> bool:
    return (action in ("accept", "decline") and state == "sent") or (
        action == "complete" and state == "accepted"
    )


def detail_status(member: str) -> int:
    return 200 if member in SENDING | RECEIVING else 404


def answer_status(member: str, state: str) -> int:
    if answers(member, state):
        return 200
    return 403 if member in SENDING | RECEIVING else 404


@pytest.fixture
def story(cast, refer):
    """A referral of 目黒 一郎 in the given state and scope, made through the services."""

    def _make(state="sent", scope=Scope.SUMMARY, named_worker=None, case=None):
        case = case or refer.case(
            family_name="目黒",
            given_name="一郎",
            family_name_kana="めぐろ",
            given_name_kana="いちろう",
            phone=PHONE,
            address=ADDRESS,
        )
        shared = refer.contact(case, SHARED)
        refer.contact(case, UNSHARED)
        referral = refer.send(
            case, scope=scope, contacts=[shared], reason=REASON, named_worker=named_worker
        )
        if state == "declined":
            refer.decline(referral, reason=DECLINE_NOTE)
        elif state == "withdrawn_sent":
            refer.withdraw(referral, reason=WITHDRAW_NOTE)
        elif state != "sent":
            refer.accept(referral, worker=cast.consultation_b)
            if state == "completed":
                refer.complete(referral, note=COMPLETION_NOTE)
            elif state == "withdrawn":
                refer.withdraw(referral, reason=WITHDRAW_NOTE)
        referral.refresh_from_db()
        return referral

    return _make


def _assert_dates_and_states(page: str, referral: Referral, who: str):
    with translation.override("ja"):
        assert referral.get_state_display() in page, who
        assert jdatetime(referral.sent_at) in page, who
        assert jdate(referral.answer_by) in page, who
        for moment in (referral.answered_at, referral.completed_at, referral.withdrawn_at):
            if moment:
                assert jdatetime(moment) in page, who


def _assert_detail(page: str, referral: Referral, state: str, who: str, *, names: bool):
    """The referral page as `who` reads it: `names` says whether it names the person."""
    _assert_dates_and_states(page, referral, who)
    for part in (NAME, KANA, REASON):
        assert (part in page) is names, (who, state, part)
    for note in set(NOTES.values()):
        assert (note in page) is (names and NOTES.get(state) == note), (who, state, note)
    if not names:
        assert (HIDDEN_OPEN if state in OPEN else HIDDEN_ENDED) in page, (who, state)
    assert UNSHARED not in page, who


# --- what each member sees, in every state and scope --------------------------------------


@pytest.mark.parametrize("scope", SCOPES)
@pytest.mark.parametrize("state", STATES)
def test_what_each_member_sees_on_the_referral_page(client, cast, story, state, scope):
    referral = story(state, scope)
    for member, user in cast.roles().items():
        client.force_login(user)
        response = client.get(referral.get_absolute_url())
        assert response.status_code == detail_status(member), (member, state)
        if response.status_code != 200:
            continue
        page = text(response)
        _assert_detail(page, referral, state, member, names=identified(member, state))
        shown = shared_shown(member, state)
        assert (PHONE in page) is shown and (ADDRESS in page) is shown, (member, state)
        assert (SHARED in page) is (shown and scope == Scope.SUMMARY), (member, state)


@pytest.mark.parametrize("scope", SCOPES)
@pytest.mark.parametrize("state", STATES)
def test_what_each_member_sees_in_the_inbox_and_outbox(client, cast, story, state, scope):
    referral = story(state, scope)
    for member, user in cast.roles().items():
        client.force_login(user)
        box = OUTBOX if member in SENDING else INBOX
        response = client.get(box)
        if member not in SENDING | RECEIVING:
            assert response.status_code in (200, 403), member
            if response.status_code == 200:  # consultation_a: a list without this referral
                assert referral not in response.context["page"].object_list
                assert NAME not in text(response)
            continue
        assert response.status_code == 200, member
        assert list(response.context["page"].object_list) == [referral], member
        page = text(response)
        names = identified(member, state)
        assert (NAME in page) is names, (member, state)
        assert (HIDDEN_ROW in page) is not names, (member, state)
        assert referral.get_state_display() in page
        # A list names the person at most: never the reason, the kana or the contact details.
        for part in (KANA, REASON, PHONE, ADDRESS, *NOTES.values()):
            assert part not in page, (member, state, part)


# --- who answers ----------------------------------------------------------------------------

ANSWER_DATA = {"worker": "", "reason": "お断りの理由", "note": "完了の報告"}


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
        assert response.status_code == 200 and response.context["form"].non_field_errors()
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
    """The attack: csw_b's POST ended the referral, revoked the grants and told
    both sides."""
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
    _assert_detail(page, referral, "sent", "csw_b", names=True)
    # What the sender shared waits for the acceptance.
    assert PHONE not in page and ADDRESS not in page and SHARED not in page
    assert url("accept", referral) in page and url("decline", referral) in page
    assert NAME in text(client.get(INBOX))
    assert client.get(url("accept", referral)).status_code == 200
    assert client.get(url("decline", referral)).status_code == 200
    # The other worker there still sees only that a referral waits.
    client.force_login(cast.consultation_b)
    page = text(client.get(referral.get_absolute_url()))
    _assert_detail(page, referral, "sent", "consultation_b", names=False)
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
    _assert_detail(page, referral, "declined", "csw_b", names=False)


def test_a_named_worker_who_is_not_assigned_loses_the_referral(client, cast, story):
    referral = story("sent", named_worker=cast.csw_b)
    referral_services.referral_accept(
        actor=cast.supervisor_b, referral=referral, worker=cast.consultation_b
    )
    referral.refresh_from_db()
    client.force_login(cast.csw_b)
    page = text(client.get(referral.get_absolute_url()))
    _assert_detail(page, referral, "accepted", "csw_b", names=False)
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
        assert response.status_code == 200, wrong
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


# --- the receiving agency's own case --------------------------------------------------------


def _intake(**overrides):
    data = {
        "case-opened_on": timezone.localdate().isoformat(),
        "case-main_concern": "care",
        "case-route": "agency",
        "case-came_in_person": "1",
        "case-chief_complaint": "紹介を受けて本人と面談した",
        "case-consent_status": "given",
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
        _assert_detail(page, referral, "completed", member, names=names)
        # The ended referral shares nothing more, even with those who know the person.
        assert SHARED not in page, member
        inbox = text(client.get(INBOX))
        assert (NAME in inbox) is names, member
        assert client.get(person.get_absolute_url()).status_code == (200 if names else 404)
        assert client.get(own.get_absolute_url()).status_code == (200 if names else 404)
        # Agency A's case closed to B with the referral.
        assert not sees(user, referral.case), member


# --- summary scope: the person, not the sender's case ----------------------------------------


def _case_facts(case):
    with translation.override("ja"):
        return (
            str(case),
            case.get_absolute_url(),
            case.owning_agency.name,
            f"{case.owning_agency} · {case.get_status_display()} · {jdate(case.opened_on)}",
            jdate(case.opened_on),
        )


def test_a_summary_receivers_person_page_shows_the_person_not_the_senders_case(client, cast, story):
    referral = story("accepted", Scope.SUMMARY)
    case, person = referral.case, referral.case.person
    for member in ("consultation_b", "supervisor_b"):
        client.force_login(getattr(cast, member))
        response = client.get(person.get_absolute_url())
        assert response.status_code == 200, member
        page = text(response)
        for part in (NAME, KANA, PHONE, ADDRESS):
            assert part in page, (member, part)
        for fact in _case_facts(case):
            assert fact not in page, (member, fact)
        assert list(response.context["cases"]) == []
        assert "閲覧できるケースはありません。" in page
    # The sender, and a full-scope receiver, do see the case there.
    client.force_login(cast.csw_a)
    page = text(client.get(person.get_absolute_url()))
    assert all(fact in page for fact in _case_facts(case))


def test_a_full_scope_receivers_person_page_lists_the_case(client, cast, story):
    referral = story("accepted", Scope.FULL)
    client.force_login(cast.consultation_b)
    response = client.get(referral.case.person.get_absolute_url())
    assert list(response.context["cases"]) == [referral.case]
    assert all(fact in text(response) for fact in _case_facts(referral.case))


# --- the access log ---------------------------------------------------------------------------


def _ids(*objects) -> str:
    return "," + ",".join(str(pk) for pk in sorted(o.pk for o in objects)) + ","


def _new_rows(since: int):
    return list(AccessLog.objects.filter(pk__gt=since).order_by("pk"))


def _last() -> int:
    last = AccessLog.objects.order_by("-pk").first()
    return last.pk if last else 0


def test_the_inbox_writes_one_row_naming_only_the_persons_it_showed(client, cast, refer):
    unnamed = refer.send(refer.case(given_name="一郎"))
    named = refer.send(refer.case(given_name="二郎"), named_worker=cast.csw_b)
    mine = refer.accepted(refer.case(given_name="三郎"), worker=cast.csw_b)
    theirs = refer.accepted(refer.case(given_name="四郎"), worker=cast.consultation_b)
    ended = refer.decline(refer.send(refer.case(given_name="五郎")))
    expected = {
        cast.csw_b: [named, mine],
        cast.consultation_b: [theirs],
        cast.supervisor_b: [unnamed, named, mine, theirs],
    }
    for user, shown in expected.items():
        client.force_login(user)
        since = _last()
        response = client.get(INBOX)
        assert response.status_code == 200
        assert len(response.context["page"].object_list) == 5
        rows = _new_rows(since)
        assert len(rows) == 1, user
        row = rows[0]
        assert (row.user, row.agency_id, row.action) == (
            user,
            cast.agency_b.pk,
            AccessLog.Action.VIEW_LIST,
        )
        assert row.person_id is None and row.case_id is None
        assert row.detail == "受け取ったつなぎ"
        assert row.case_ids == _ids(*(r.case for r in shown)), user
        assert row.person_ids == _ids(*(r.case.person for r in shown)), user
        page = text(response)
        for referral in (unnamed, named, mine, theirs, ended):
            listed = str(referral.case.person) in page
            assert listed is (referral in shown), (user, referral.case.person)


def test_an_inbox_that_names_nobody_writes_no_row(client, cast, refer):
    refer.send()
    refer.decline(refer.send(refer.case(given_name="次郎")))
    client.force_login(cast.csw_b)
    since = _last()
    response = client.get(INBOX)
    assert len(response.context["page"].object_list) == 2
    assert text(response).count(HIDDEN_ROW) == 2
    assert _new_rows(since) == []


def test_the_outbox_writes_one_row_with_the_senders_cases(client, cast, refer):
    one = refer.send(refer.case(given_name="一郎"))
    two = refer.decline(refer.send(refer.case(given_name="二郎")))
    client.force_login(cast.csw_a)
    since = _last()
    client.get(OUTBOX)
    rows = _new_rows(since)
    assert [(r.action, r.detail) for r in rows] == [(AccessLog.Action.VIEW_LIST, "送ったつなぎ")]
    assert rows[0].case_ids == _ids(one.case, two.case)
    assert rows[0].person_ids == _ids(one.case.person, two.case.person)


def test_the_referral_page_logs_a_read_only_when_it_names_the_person(client, cast, story):
    referral = story("sent")
    client.force_login(cast.csw_b)
    since = _last()
    assert client.get(referral.get_absolute_url()).status_code == 200
    assert _new_rows(since) == []
    client.force_login(cast.supervisor_b)
    assert client.get(referral.get_absolute_url()).status_code == 200
    rows = _new_rows(since)
    assert [(r.user, r.action, r.case_id, r.person_id, r.detail) for r in rows] == [
        (
            cast.supervisor_b,
            AccessLog.Action.VIEW_CASE,
            referral.case_id,
            referral.case.person_id,
            f"つなぎ No.{referral.pk}",
        )
    ]


def test_an_answer_page_logs_a_form_read_only_when_it_names_the_person(client, cast, story):
    referral = story("completed")
    waiting = story("sent", case=referral.case)
    client.force_login(cast.supervisor_b)  # answers for B, but no longer sees the person
    since = _last()
    assert client.get(url("complete", referral)).status_code == 200
    assert _new_rows(since) == []
    assert client.get(url("accept", waiting)).status_code == 200
    rows = _new_rows(since)
    assert [(r.action, r.case_id) for r in rows] == [(AccessLog.Action.VIEW_FORM, waiting.case_id)]
