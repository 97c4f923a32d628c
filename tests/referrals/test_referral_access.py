"""Access that follows a referral: granted on accept in the shared scope, revoked exactly when
the referral ends (unless something else still justifies it), logged, and told to both sides."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from casework import services
from casework.access import SUMMARY, SUPERVISE, VIEW, WORK
from casework.models import AccessLog, CaseShare, Notification
from referrals.models import Referral, ReferralState, Scope
from tests.referrals.conftest import perms, recipients, sees

A_SIDE = {
    "csw_a": {VIEW, WORK},
    "consultation_a": set(),
    "supervisor_a": {VIEW, WORK, SUPERVISE},
    "admin_a": set(),
}
NOBODY_ELSE = {"admin_b": set(), "indicator_officer": set(), "outsider": set()}


def _referral_in(refer, state, scope):
    if state == "sent":
        return refer.send(scope=scope)
    referral = refer.send(scope=scope)
    if state == "declined":
        return refer.decline(referral)
    if state == "withdrawn_sent":
        return refer.withdraw(referral)
    referral = refer.accept(referral, worker=refer.cast.consultation_b)
    if state == "completed":
        return refer.complete(referral)
    if state == "withdrawn_accepted":
        return refer.withdraw(referral)
    return referral


@pytest.mark.parametrize("scope", [Scope.SUMMARY, Scope.FULL])
@pytest.mark.parametrize(
    "state",
    ["sent", "accepted", "declined", "withdrawn_sent", "withdrawn_accepted", "completed"],
)
def test_access_matrix_of_the_receiving_agency(cast, refer, state, scope):
    """The casework access matrix, extended to agency B's roles in every referral state."""
    referral = _referral_in(refer, state, scope)
    case = referral.case
    granted = {SUMMARY} if scope == Scope.SUMMARY else {VIEW}
    accepted = state == "accepted"
    expected = {
        **A_SIDE,
        "consultation_b": granted if accepted else set(),  # the assigned worker
        "supervisor_b": granted if accepted else set(),  # by the agency rule
        "csw_b": set(),
        **NOBODY_ELSE,
    }
    for name, user in cast.roles().items():
        assert set(perms(user, case)) == expected[name], name
        assert sees(user, case) is bool(expected[name]), name
        assert WORK not in perms(user, case) or name in ("csw_a", "supervisor_a")


def test_nobody_at_the_receiving_agency_sees_the_case_before_accept(cast, refer):
    case = refer.case()
    contact = refer.contact(case, "記録")
    refer.send(case, contacts=[contact], scope=Scope.FULL)
    for user in (cast.csw_b, cast.consultation_b, cast.supervisor_b, cast.admin_b):
        assert not sees(user, case)
        assert perms(user, case) == frozenset()


def test_supervisor_rule_is_limited_to_the_referred_case(cast, refer):
    referred = refer.case()
    other = refer.case(given_name="次郎")
    refer.accepted(referred)
    assert sees(cast.supervisor_b, referred)
    assert not sees(cast.supervisor_b, other)
    assert perms(cast.supervisor_b, other) == frozenset()


def test_receiving_supervisor_does_not_supervise(cast, refer):
    case = refer.accepted(scope=Scope.FULL).case
    assert perms(cast.supervisor_b, case) == {VIEW}
    with pytest.raises(PermissionDenied):
        services.case_assign(actor=cast.supervisor_b, case=case, worker=cast.csw_b)


def test_receiving_side_with_full_scope_cannot_write(cast, refer):
    from django.utils import timezone

    case = refer.accepted(scope=Scope.FULL).case
    for user in (cast.consultation_b, cast.supervisor_b):
        with pytest.raises(PermissionDenied):
            services.contact_record_add(
                actor=user,
                case=case,
                occurred_at=timezone.now(),
                method="phone",
                minutes=5,
                summary="書けてはいけない",
            )


@pytest.mark.parametrize("end", ["withdraw", "complete"])
@pytest.mark.parametrize("scope", [Scope.SUMMARY, Scope.FULL])
def test_ending_an_accepted_referral_revokes_everything_it_granted(cast, refer, end, scope):
    referral = refer.accepted(scope=scope)
    case = referral.case
    assert sees(cast.consultation_b, case) and sees(cast.supervisor_b, case)
    getattr(refer, end)(referral)
    for user in (cast.consultation_b, cast.supervisor_b, cast.csw_b):
        assert not sees(user, case)
        assert perms(user, case) == frozenset()
    # The sending side keeps its own access.
    assert perms(cast.csw_a, case) == {VIEW, WORK}


def test_two_referrals_one_after_another_grant_their_own_scope(cast, refer):
    """Referral 1 (full) is completed; referral 2 (summary) to the same agency and worker then
    grants only the summary: nothing of the first one lingers."""
    case = refer.case()
    first = refer.accepted(case, scope=Scope.FULL)
    assert perms(cast.consultation_b, case) == {VIEW}
    refer.complete(first)
    assert perms(cast.consultation_b, case) == frozenset()
    second = refer.accepted(case, scope=Scope.SUMMARY, consent=False)
    assert perms(cast.consultation_b, case) == {SUMMARY}
    assert perms(cast.supervisor_b, case) == {SUMMARY}
    refer.withdraw(second)
    assert perms(cast.consultation_b, case) == frozenset()
    assert not sees(cast.supervisor_b, case)


def test_ending_one_referral_keeps_the_access_another_still_needs(cast, refer):
    """The same worker on two accepted referrals (two cases): ending one keeps the other."""
    one = refer.accepted(refer.case(given_name="一郎"))
    two = refer.accepted(refer.case(given_name="二郎"), scope=Scope.FULL)
    refer.complete(one)
    assert not sees(cast.consultation_b, one.case)
    assert perms(cast.consultation_b, two.case) == {VIEW}
    assert sees(cast.supervisor_b, two.case) and not sees(cast.supervisor_b, one.case)
    refer.withdraw(two)
    assert not sees(cast.consultation_b, two.case)


def test_referrals_of_one_case_to_two_agencies_end_independently(cast, refer, third):
    case = refer.case()
    to_b = refer.accepted(case)
    to_c = refer.accept(refer.send(case, to=third.agency), worker=third.csw, actor=third.supervisor)
    refer.withdraw(to_b)
    assert not sees(cast.consultation_b, case) and not sees(cast.supervisor_b, case)
    assert perms(third.csw, case) == {SUMMARY}
    assert perms(third.supervisor, case) == {SUMMARY}
    refer.complete(to_c, actor=third.csw)
    assert not sees(third.csw, case) and not sees(third.supervisor, case)


@pytest.mark.parametrize("end", ["withdraw", "complete"])
@pytest.mark.parametrize("scope", [Scope.SUMMARY, Scope.FULL])
def test_a_share_keeps_its_view_after_the_referral_ends(cast, refer, case_a, end, scope):
    """consultation_b holds a consented share of case_a; the referral adds and removes only
    what it granted itself."""
    assert perms(cast.consultation_b, case_a) == {VIEW}
    referral = refer.accepted(case_a, scope=scope, consent=False)
    expected = {VIEW, SUMMARY} if scope == Scope.SUMMARY else {VIEW}
    assert perms(cast.consultation_b, case_a) == expected
    getattr(refer, end)(referral)
    assert perms(cast.consultation_b, case_a) == {VIEW}
    assert sees(cast.consultation_b, case_a)
    assert not sees(cast.supervisor_b, case_a)


def test_revoking_the_share_keeps_the_referrals_access(cast, refer, case_a):
    refer.accepted(case_a, scope=Scope.SUMMARY, consent=False)
    share = CaseShare.objects.get(case=case_a, user=cast.consultation_b)
    services.share_revoke(actor=cast.csw_a, share=share)
    assert perms(cast.consultation_b, case_a) == {SUMMARY}


# --- consent withdrawn --------------------------------------------------------------------


def test_withdrawing_the_consent_ends_every_referral_resting_on_it(cast, refer, third):
    case = refer.case()
    consent = refer.consent(case, cast.agency_b, third.agency)
    to_b = refer.accepted(case, consent=False)
    to_c = refer.send(case, to=third.agency, consent=False)
    assert to_b.basis == consent == to_c.basis
    Notification.objects.all().delete()
    log_before = _last_log_pk()

    services.consent_withdraw(actor=cast.csw_a, consent=consent)

    for referral in (to_b, to_c):
        referral.refresh_from_db()
        assert referral.state == ReferralState.WITHDRAWN
        assert referral.withdrawn_by == cast.csw_a and referral.withdrawn_at is not None
        assert "本人同意" in referral.withdraw_reason
    for user in (cast.consultation_b, cast.supervisor_b, third.csw, third.supervisor):
        assert not sees(user, case)
        assert perms(user, case) == frozenset()
    revokes = AccessLog.objects.filter(pk__gt=log_before, case=case, action=AccessLog.Action.REVOKE)
    assert revokes.filter(detail__contains="(consultation_b):").exists()
    assert revokes.filter(detail__contains="の管理者").exists()
    assert not AccessLog.objects.filter(pk__gt=log_before, action=AccessLog.Action.GRANT).exists()
    # Both sides are told: the receiving worker and supervisors, the sender and A's supervisors.
    assert {"consultation_b", "supervisor_b", "supervisor_c", "csw_a", "supervisor_a"} <= (
        recipients()
    )
    assert "admin_b" not in recipients() and "csw_b" not in recipients()
    assert Notification.objects.filter(recipient=cast.consultation_b).count() == 1
    # Without a basis no new referral can be sent.
    with pytest.raises(ValidationError):
        refer.send(case, consent=False)


def test_withdrawing_one_consent_leaves_referrals_on_another(cast, refer):
    one = refer.case(given_name="一郎")
    two = refer.case(given_name="二郎")
    first = refer.accepted(one)
    second = refer.accepted(two)
    services.consent_withdraw(actor=cast.csw_a, consent=first.basis)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.state == ReferralState.WITHDRAWN
    assert second.state == ReferralState.ACCEPTED
    assert perms(cast.consultation_b, two) == {SUMMARY}
    assert sees(cast.supervisor_b, two) and not sees(cast.supervisor_b, one)


def test_closed_referrals_are_left_alone_when_the_consent_is_withdrawn(cast, refer):
    case = refer.case()
    declined = refer.decline(refer.send(case))
    completed = refer.complete(refer.accepted(case, consent=False))
    services.consent_withdraw(actor=cast.csw_a, consent=declined.basis)
    assert Referral.objects.get(pk=declined.pk).state == ReferralState.DECLINED
    assert Referral.objects.get(pk=completed.pk).state == ReferralState.COMPLETED


def test_consent_withdrawn_ends_both_the_share_and_the_referral(cast, refer, case_a):
    consent = CaseShare.objects.get(case=case_a).consent
    referral = refer.accepted(case_a, scope=Scope.SUMMARY, consent=False)
    assert referral.basis == consent
    services.consent_withdraw(actor=cast.csw_a, consent=consent)
    assert perms(cast.consultation_b, case_a) == frozenset()
    assert not sees(cast.consultation_b, case_a)


def test_consent_withdrawn_from_the_page(client, cast, refer):
    from django.urls import reverse
    from django.utils import timezone

    referral = refer.accepted()
    client.force_login(cast.csw_a)
    response = client.post(
        reverse("casework:consent_withdraw", kwargs={"pk": referral.basis.pk}),
        {"withdrawn_on": timezone.localdate().isoformat()},
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.state == ReferralState.WITHDRAWN
    assert not sees(cast.consultation_b, referral.case)


# --- the access log -----------------------------------------------------------------------


def _new_log(since):
    return list(
        AccessLog.objects.filter(pk__gt=since)
        .exclude(action=AccessLog.Action.VIEW_CASE)
        .order_by("pk")
        .values_list("action", "user__username", "case_id", "detail")
    )


def _last_log_pk():
    last = AccessLog.objects.order_by("-pk").first()
    return last.pk if last else 0


PERM_LABELS = {SUMMARY: "共有された概要の閲覧", VIEW: "閲覧"}


def _grant_detail(user, codename, why):
    """A grant or revocation as the supervisor reads it: 姓 名(username): 権限(理由)."""
    return f"{user.last_name} {user.first_name}({user.username}): {PERM_LABELS[codename]}({why})"


def _agency_detail(referral, what):
    return (
        f"{referral.receiving_agency.name}の管理者: {what}"
        f"(紹介 No.{referral.pk}、{referral.get_scope_display()})"
    )


@pytest.mark.parametrize("scope", [Scope.SUMMARY, Scope.FULL])
def test_accept_and_withdraw_are_logged_for_the_worker_and_the_supervisors(cast, refer, scope):
    referral = refer.send(scope=scope)
    case = referral.case
    codename = SUMMARY if scope == Scope.SUMMARY else VIEW
    since = _last_log_pk()
    refer.accept(referral, actor=cast.supervisor_b)
    rows = _new_log(since)
    assert [(a, u, c) for a, u, c, _ in rows] == [
        ("grant", "supervisor_b", case.pk),
        ("grant", "supervisor_b", case.pk),
    ]
    assert rows[0][3] == _grant_detail(
        cast.consultation_b, codename, f"紹介 No.{referral.pk} の受理"
    )
    assert rows[1][3] == _agency_detail(referral, "紹介の受理")
    assert cast.agency_b.name in rows[1][3]
    row = AccessLog.objects.filter(action="grant").order_by("-pk").first()
    assert (row.person_id, row.agency_id) == (case.person_id, cast.agency_b.pk)

    since = _last_log_pk()
    refer.withdraw(referral, actor=cast.csw_a)
    rows = _new_log(since)
    assert [(a, u, c) for a, u, c, _ in rows] == [
        ("revoke", "csw_a", case.pk),
        ("revoke", "csw_a", case.pk),
    ]
    withdrawn = f"紹介 No.{referral.pk} の取り下げ"
    assert rows[0][3] == _grant_detail(cast.consultation_b, codename, withdrawn)
    assert rows[1][3] == _agency_detail(referral, "紹介の取り下げ")


def test_completion_is_logged(cast, refer):
    referral = refer.accepted()
    since = _last_log_pk()
    refer.complete(referral, actor=cast.consultation_b)
    rows = _new_log(since)
    assert [(a, u) for a, u, _, _ in rows] == [
        ("revoke", "consultation_b"),
        ("revoke", "consultation_b"),
    ]
    completed = f"紹介 No.{referral.pk} の終了"
    assert rows[0][3] == _grant_detail(cast.consultation_b, SUMMARY, completed)
    assert rows[1][3] == _agency_detail(referral, "紹介の終了")


@pytest.mark.parametrize("end", ["decline", "withdraw"])
def test_ending_a_referral_that_granted_nothing_logs_nothing(refer, end):
    referral = refer.send()
    since = _last_log_pk()
    getattr(refer, end)(referral)
    assert _new_log(since) == []


def test_sending_logs_no_grant(refer):
    case = refer.case()
    since = _last_log_pk()
    refer.send(case)
    assert _new_log(since) == []


def test_a_referral_on_a_shared_case_logs_only_what_changes(cast, refer, case_a):
    since = _last_log_pk()
    referral = refer.accepted(case_a, scope=Scope.FULL, consent=False)
    rows = _new_log(since)
    # consultation_b already had VIEW through the share: only the supervisors' access starts.
    assert [a for a, *_ in rows] == ["grant"]
    assert rows[0][3] == _agency_detail(referral, "紹介の受理")
    since = _last_log_pk()
    refer.withdraw(referral)
    rows = _new_log(since)
    assert [a for a, *_ in rows] == ["revoke"]
    assert rows[0][3] == _agency_detail(referral, "紹介の取り下げ")


# --- notifications ------------------------------------------------------------------------

NAME_PARTS = ("目黒", "一郎", "めぐろ", "いちろう")


@pytest.fixture
def named_case(refer):
    return refer.case(
        family_name="目黒",
        given_name="一郎",
        family_name_kana="めぐろ",
        given_name_kana="いちろう",
    )


def _notes(since=0):
    return list(Notification.objects.filter(pk__gt=since).select_related("recipient"))


def _last_note_pk():
    last = Notification.objects.order_by("-pk").first()
    return last.pk if last else 0


def _assert_nameless(notes):
    assert notes
    for note in notes:
        for part in NAME_PARTS:
            assert part not in note.message, note.message


def test_send_tells_every_case_worker_of_the_receiving_agency(cast, refer, named_case):
    since = _last_note_pk()
    referral = refer.send(named_case)
    notes = _notes(since)
    assert {n.recipient.username for n in notes} == {"csw_b", "consultation_b", "supervisor_b"}
    assert len(notes) == 3
    assert all(n.url == referral.get_absolute_url() for n in notes)
    assert all(cast.agency_a.name in n.message for n in notes)
    _assert_nameless(notes)


def test_inactive_staff_are_not_notified(cast, refer):
    cast.csw_b.is_active = False
    cast.csw_b.save(update_fields=["is_active"])
    refer.send()
    assert recipients() == {"consultation_b", "supervisor_b"}


@pytest.mark.parametrize("answer", ["accept", "decline", "complete"])
def test_answers_tell_the_sender_and_their_supervisors(cast, refer, named_case, answer):
    referral = refer.send(named_case)
    if answer == "complete":
        referral = refer.accept(referral)
    since = _last_note_pk()
    getattr(refer, answer)(referral)
    notes = [n for n in _notes(since) if n.recipient.membership.agency == cast.agency_a]
    assert {n.recipient.username for n in notes} == {"csw_a", "supervisor_a"}
    assert len(notes) == 2
    assert all(n.url == referral.get_absolute_url() for n in notes)
    assert all(cast.agency_b.name in n.message for n in notes)
    _assert_nameless(notes)


def test_a_supervisor_who_sent_is_told_once(cast, refer):
    referral = refer.send(actor=cast.supervisor_a)
    since = _last_note_pk()
    accepted = refer.accept(referral)
    told = [n.recipient.username for n in _notes(since)]
    # The sending supervisor once; the assigned worker is told they have it.
    assert sorted(told) == sorted(["supervisor_a", accepted.assigned_worker.username])


@pytest.mark.parametrize("accepted", [False, True], ids=["sent", "accepted"])
def test_withdraw_tells_the_receiving_agency(cast, refer, named_case, accepted):
    referral = refer.send(named_case)
    if accepted:
        referral = refer.accept(referral, worker=cast.csw_b)
    since = _last_note_pk()
    refer.withdraw(referral)
    notes = _notes(since)
    told = {n.recipient.username for n in notes}
    assert "supervisor_b" in told
    if accepted:
        # The assigned worker and the supervisors.
        assert told == {"csw_b", "supervisor_b"}
    else:
        # Everyone who was told it arrived is told it is gone.
        assert told == {"csw_b", "consultation_b", "supervisor_b"}
    assert not told & {"csw_a", "supervisor_a", "consultation_a", "admin_b"}
    assert all(n.url == referral.get_absolute_url() for n in notes)
    _assert_nameless(notes)


def test_consent_withdrawal_notices_carry_no_name(cast, refer, named_case):
    referral = refer.accepted(named_case)
    since = _last_note_pk()
    services.consent_withdraw(actor=cast.csw_a, consent=referral.basis)
    _assert_nameless(_notes(since))


def test_refusals_notify_nobody(cast, refer):
    case = refer.case()
    with pytest.raises(ValidationError):
        refer.send(case, consent=False)
    assert not Notification.objects.exists()


def test_the_assigned_worker_is_told_on_accept(cast, refer, named_case):
    referral = refer.send(named_case)
    since = _last_note_pk()
    accepted = refer.accept(referral)
    mine = [n for n in _notes(since) if n.recipient == accepted.assigned_worker]
    assert len(mine) == 1 and mine[0].url == referral.get_absolute_url()
    _assert_nameless(mine)
