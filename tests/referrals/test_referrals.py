"""The referral lifecycle through the services: every transition, every refusal, the bases
a referral may rest on, and the public-assistance flag."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from casework import access, services
from casework.models import Agency, ConsentBasis
from referrals import services as referral_services
from referrals.models import Referral, ReferralState, Scope, Urgency
from tests.referrals.conftest import days, snapshot, today

# --- transitions --------------------------------------------------------------------------


def test_send_records_the_referral_as_sent(cast, refer):
    case = refer.case()
    shared = refer.contact(case, "共有する記録")
    refer.contact(case, "共有しない記録")
    consent = refer.consent(case, cast.agency_b)
    before = timezone.now()
    referral = refer.send(
        case,
        consent=False,
        contacts=[shared],
        urgency=Urgency.URGENT,
        answer_by=days(3),
        reason="  介護の相談  ",
    )
    referral.refresh_from_db()
    assert referral.state == ReferralState.SENT and referral.is_open
    assert referral.case == case
    assert (referral.sending_agency, referral.sent_by) == (cast.agency_a, cast.csw_a)
    assert referral.receiving_agency == cast.agency_b
    assert before <= referral.sent_at <= timezone.now()
    assert referral.reason == "介護の相談"
    assert (referral.urgency, referral.answer_by, referral.scope) == (
        Urgency.URGENT,
        days(3),
        Scope.SUMMARY,
    )
    assert referral.basis == consent
    assert list(referral.shared_contacts.all()) == [shared]
    assert referral.answered_at is referral.answered_by is referral.assigned_worker is None
    assert referral.completed_at is referral.withdrawn_at is None


def test_answer_by_today_is_allowed(refer):
    assert refer.send(answer_by=today()).answer_by == today()


def test_full_scope_shares_no_picked_contacts(refer):
    case = refer.case()
    contact = refer.contact(case, "記録")
    referral = refer.send(case, scope=Scope.FULL, contacts=[contact])
    assert referral.scope == Scope.FULL
    assert not referral.shared_contacts.exists()


def test_the_owning_agencys_supervisor_may_send(cast, refer):
    referral = refer.send(actor=cast.supervisor_a)
    assert referral.sent_by == cast.supervisor_a
    assert referral.sending_agency == cast.agency_a


def test_accept_records_who_when_and_the_worker(cast, refer):
    # The worker the sender named answers (no other worker there may: PermissionDenied).
    referral = refer.send(named_worker=cast.consultation_b)
    before = timezone.now()
    refer.accept(referral, worker=cast.csw_b, actor=cast.consultation_b)
    referral.refresh_from_db()
    assert referral.state == ReferralState.ACCEPTED and referral.is_open
    assert referral.answered_by == cast.consultation_b
    assert before <= referral.answered_at <= timezone.now()
    assert referral.assigned_worker == cast.csw_b
    assert referral.decline_reason == ""


def test_a_supervisor_may_be_the_assigned_worker(cast, refer):
    referral = refer.accepted(worker=cast.supervisor_b)
    assert referral.assigned_worker == cast.supervisor_b


def test_decline_records_who_when_and_why(cast, refer):
    referral = refer.send()
    before = timezone.now()
    # Nobody was named: only the receiving supervisors answer.
    refer.decline(referral, actor=cast.supervisor_b, reason="  担当地区外のため  ")
    referral.refresh_from_db()
    assert referral.state == ReferralState.DECLINED and not referral.is_open
    assert referral.answered_by == cast.supervisor_b
    assert before <= referral.answered_at <= timezone.now()
    assert referral.decline_reason == "担当地区外のため"
    assert referral.assigned_worker is None


@pytest.mark.parametrize("reason", ["", "   ", "\n\t"])
def test_decline_needs_a_reason(cast, refer, reason):
    referral = refer.send()
    before = snapshot()
    with pytest.raises(ValidationError) as error:
        refer.decline(referral, reason=reason)
    assert "reason" in error.value.message_dict
    assert snapshot() == before
    referral.refresh_from_db()
    assert referral.state == ReferralState.SENT


def test_complete_records_who_when_and_the_note(cast, refer):
    referral = refer.accepted()
    before = timezone.now()
    # The assigned worker completes (another worker there may not).
    refer.complete(referral, actor=cast.consultation_b, note="  介護保険の申請を済ませた  ")
    referral.refresh_from_db()
    assert referral.state == ReferralState.COMPLETED and not referral.is_open
    assert referral.completed_by == cast.consultation_b
    assert before <= referral.completed_at <= timezone.now()
    assert referral.completion_note == "介護保険の申請を済ませた"
    # The answer stays on record.
    assert referral.answered_by == cast.supervisor_b
    assert referral.assigned_worker == cast.consultation_b


@pytest.mark.parametrize("accepted", [False, True], ids=["sent", "accepted"])
def test_the_sender_withdraws_an_open_referral(cast, refer, accepted):
    referral = refer.accepted() if accepted else refer.send()
    before = timezone.now()
    refer.withdraw(referral, actor=cast.supervisor_a, reason="  本人が辞退  ")
    referral.refresh_from_db()
    assert referral.state == ReferralState.WITHDRAWN and not referral.is_open
    assert referral.withdrawn_by == cast.supervisor_a
    assert before <= referral.withdrawn_at <= timezone.now()
    assert referral.withdraw_reason == "本人が辞退"
    assert (referral.answered_at is None) is (not accepted)


def test_withdraw_without_a_reason_is_allowed(cast, refer):
    referral = refer.send()
    referral_services.referral_withdraw(actor=cast.csw_a, referral=referral)
    referral.refresh_from_db()
    assert referral.state == ReferralState.WITHDRAWN and referral.withdraw_reason == ""


def test_a_closed_referral_does_not_block_a_new_one(cast, refer):
    case = refer.case()
    first = refer.send(case)
    refer.decline(first)
    second = refer.send(case, consent=False)
    refer.accept(second)
    refer.complete(second)
    third = refer.send(case, consent=False)
    refer.withdraw(third)
    fourth = refer.send(case, consent=False)
    assert fourth.state == ReferralState.SENT
    assert Referral.objects.filter(case=case).count() == 4


# --- refusals when sending ----------------------------------------------------------------


def _refused_send(refer, case, error_type=ValidationError, **kwargs):
    before = snapshot()
    with pytest.raises(error_type) as error:
        refer.send(case, **kwargs)
    assert snapshot() == before
    return error.value


def _assert_no_basis(error: ValidationError):
    assert "receiving_agency" in error.message_dict
    message = " ".join(error.message_dict["receiving_agency"])
    assert "本人同意" in message and "法的根拠" in message


def test_sending_without_any_basis_is_refused(refer):
    _assert_no_basis(_refused_send(refer, refer.case(), consent=False))


def test_sending_on_a_consent_covering_another_agency_is_refused(cast, refer, third):
    case = refer.case()
    refer.consent(case, third.agency)
    _assert_no_basis(_refused_send(refer, case, consent=False))


def test_sending_on_a_withdrawn_consent_is_refused(cast, refer):
    case = refer.case()
    consent = refer.consent(case, cast.agency_b)
    services.consent_withdraw(actor=cast.csw_a, consent=consent)
    _assert_no_basis(_refused_send(refer, case, consent=False))


def test_sending_on_another_persons_consent_is_refused(cast, refer):
    case = refer.case()
    other = refer.case(given_name="次郎")
    refer.consent(other, cast.agency_b)
    _assert_no_basis(_refused_send(refer, case, consent=False))


def test_sending_to_ones_own_agency_is_refused(cast, refer):
    case = refer.case()
    refer.consent(case, cast.agency_a)
    error = _refused_send(refer, case, to=cast.agency_a, consent=False)
    assert "receiving_agency" in error.message_dict


def test_the_database_refuses_a_referral_to_the_own_agency_too(cast, refer):
    referral = refer.send()
    with pytest.raises(IntegrityError), transaction.atomic():
        Referral.objects.filter(pk=referral.pk).update(receiving_agency=cast.agency_a)


def test_answer_by_in_the_past_is_refused(refer):
    error = _refused_send(refer, refer.case(), answer_by=days(-1))
    assert "answer_by" in error.message_dict


def test_sending_from_a_closed_case_is_refused(cast, refer, workflow):
    case = refer.case()
    workflow.screen(case, cast.csw_a, result="info_only")
    case.refresh_from_db()
    assert not case.is_open
    error = _refused_send(refer, case)
    assert "終結" in " ".join(error.messages)


def test_a_second_open_referral_to_the_same_agency_is_refused(cast, refer):
    case = refer.case()
    refer.send(case)
    error = _refused_send(refer, case, consent=False)
    assert "receiving_agency" in error.message_dict
    refer.accept(Referral.objects.get())
    _refused_send(refer, case, consent=False)


def test_the_database_keeps_one_open_referral_per_agency(refer):
    case = refer.case()
    first = refer.send(case)
    refer.decline(first)
    second = refer.send(case, consent=False)
    with pytest.raises(IntegrityError), transaction.atomic():
        Referral.objects.filter(pk=first.pk).update(state=ReferralState.SENT)
    assert second.state == ReferralState.SENT


def test_open_referrals_to_different_agencies_may_coexist(cast, refer, third):
    case = refer.case()
    refer.send(case)
    refer.send(case, to=third.agency)
    assert Referral.objects.filter(case=case, state=ReferralState.SENT).count() == 2


def test_contacts_of_another_case_cannot_be_shared(refer):
    case = refer.case()
    other = refer.case(given_name="次郎")
    foreign = refer.contact(other, "別の方の記録")
    mine = refer.contact(case, "この方の記録")
    error = _refused_send(refer, case, contacts=[mine, foreign])
    assert "shared_contacts" in error.message_dict


@pytest.mark.parametrize("field", ["reason", "urgency", "scope"])
def test_blank_or_unknown_values_are_refused(refer, field):
    value = {"reason": "   ", "urgency": "asap", "scope": "everything"}[field]
    error = _refused_send(refer, refer.case(), **{field: value})
    assert field in error.message_dict


def test_a_view_share_is_not_enough_to_send(cast, refer, case_a):
    assert "view_case" in access.case_permissions(cast.consultation_b, case_a)
    _refused_send(refer, case_a, PermissionDenied, actor=cast.consultation_b, consent=False)


@pytest.mark.parametrize(
    "who", ["consultation_a", "admin_a", "csw_b", "supervisor_b", "indicator_officer", "outsider"]
)
def test_only_those_who_work_the_case_may_send(cast, refer, who):
    case = refer.case()
    refer.consent(case, cast.agency_b)
    _refused_send(refer, case, PermissionDenied, actor=getattr(cast, who), consent=False)


# --- refusals when answering --------------------------------------------------------------


def _refused(call, error_type, referral):
    referral.refresh_from_db()
    state = referral.state
    before = snapshot()
    with pytest.raises(error_type) as error:
        call()
    assert snapshot() == before
    referral.refresh_from_db()
    assert referral.state == state
    return error.value


@pytest.mark.parametrize("who", ["csw_a", "supervisor_a", "admin_b", "outsider", "csw_c"])
def test_only_the_receiving_agency_accepts(cast, refer, third, who):
    actor = third.csw if who == "csw_c" else getattr(cast, who)
    referral = refer.send()
    _refused(lambda: refer.accept(referral, actor=actor), PermissionDenied, referral)


@pytest.mark.parametrize("who", ["csw_a", "supervisor_a", "admin_b", "outsider", "csw_c"])
def test_only_the_receiving_agency_declines(cast, refer, third, who):
    actor = third.csw if who == "csw_c" else getattr(cast, who)
    referral = refer.send()
    _refused(lambda: refer.decline(referral, actor=actor), PermissionDenied, referral)


@pytest.mark.parametrize("who", ["csw_a", "supervisor_a", "admin_b", "csw_c"])
def test_the_worker_must_be_case_staff_of_the_receiving_agency(cast, refer, third, who):
    worker = third.csw if who == "csw_c" else getattr(cast, who)
    referral = refer.send()
    error = _refused(lambda: refer.accept(referral, worker=worker), ValidationError, referral)
    assert "worker" in error.message_dict


def test_accepting_twice_is_refused(cast, refer):
    referral = refer.accepted()
    error = _refused(lambda: refer.accept(referral, worker=cast.csw_b), ValidationError, referral)
    referral.refresh_from_db()
    assert referral.assigned_worker == cast.consultation_b
    assert "回答待ち" in " ".join(error.messages)


@pytest.mark.parametrize("end", ["decline", "withdraw", "complete"])
def test_a_closed_referral_cannot_be_accepted(cast, refer, end):
    referral = refer.accepted() if end == "complete" else refer.send()
    getattr(refer, end)(referral)
    _refused(lambda: refer.accept(referral), ValidationError, referral)


def test_a_referral_of_a_closed_case_cannot_be_accepted(cast, open_case, workflow):
    case = open_case(cast.csw_a)
    services.consent_record(
        actor=cast.csw_a,
        person=case.person,
        basis=ConsentBasis.CONSENT,
        agencies=[cast.agency_b],
        given_on=timezone.localdate(),
    )
    referral = referral_services.referral_send(
        actor=cast.csw_a,
        case=case,
        receiving_agency=cast.agency_b,
        reason="相談",
        urgency="normal",
        answer_by=timezone.localdate(),
        scope="full",
    )
    workflow.close(case, cast.csw_a)
    with pytest.raises(ValidationError):
        referral_services.referral_accept(
            actor=cast.supervisor_b, referral=referral, worker=cast.csw_b
        )
    assert not access.cases_visible_to(cast.csw_b).filter(pk=case.pk).exists()


def test_declining_an_accepted_referral_is_refused(refer):
    referral = refer.accepted()
    _refused(lambda: refer.decline(referral), ValidationError, referral)


def test_declining_twice_is_refused(refer):
    referral = refer.send()
    refer.decline(referral)
    _refused(lambda: refer.decline(referral, reason="別の理由"), ValidationError, referral)


@pytest.mark.parametrize("state", ["sent", "declined", "withdrawn", "completed"])
def test_only_an_accepted_referral_can_be_completed(refer, state):
    referral = refer.send() if state != "completed" else refer.accepted()
    {
        "sent": lambda: None,
        "declined": lambda: refer.decline(referral),
        "withdrawn": lambda: refer.withdraw(referral),
        "completed": lambda: refer.complete(referral),
    }[state]()
    referral.refresh_from_db()
    # The receiving supervisor may complete; what refuses is the state, not the person.
    _refused(
        lambda: refer.complete(referral, actor=refer.cast.supervisor_b), ValidationError, referral
    )


@pytest.mark.parametrize("who", ["csw_a", "supervisor_a", "admin_b", "csw_c"])
def test_the_sender_and_outsiders_cannot_complete(cast, refer, third, who):
    actor = third.csw if who == "csw_c" else getattr(cast, who)
    referral = refer.accepted()
    _refused(lambda: refer.complete(referral, actor=actor), PermissionDenied, referral)


@pytest.mark.parametrize("accepted", [False, True], ids=["sent", "accepted"])
@pytest.mark.parametrize(
    "who", ["consultation_b", "supervisor_b", "csw_b", "consultation_a", "admin_a", "csw_c"]
)
def test_only_the_sending_side_may_withdraw(cast, refer, third, who, accepted):
    actor = third.csw if who == "csw_c" else getattr(cast, who)
    referral = refer.accepted() if accepted else refer.send()
    _refused(lambda: refer.withdraw(referral, actor=actor), PermissionDenied, referral)


@pytest.mark.parametrize("end", ["completed", "declined", "withdrawn"])
def test_a_closed_referral_cannot_be_withdrawn(refer, end):
    referral = refer.send() if end != "completed" else refer.accepted()
    {"completed": refer.complete, "declined": refer.decline, "withdrawn": refer.withdraw}[end](
        referral
    )
    referral.refresh_from_db()
    _refused(lambda: refer.withdraw(referral), ValidationError, referral)


# --- legal bases and kinds ----------------------------------------------------------------


@pytest.mark.parametrize(
    "basis",
    [ConsentBasis.SUPPORT_MEETING, ConsentBasis.ABUSE_RESPONSE, ConsentBasis.PROTECT_LIFE],
)
def test_a_legal_basis_covering_the_agency_allows_sending(cast, refer, basis):
    case = refer.case()
    record = refer.consent(case, cast.agency_b, basis=basis)
    referral = refer.send(case, consent=False)
    assert referral.basis == record
    assert referral.basis.basis == basis


@pytest.mark.parametrize(
    "basis",
    [ConsentBasis.SUPPORT_MEETING, ConsentBasis.ABUSE_RESPONSE, ConsentBasis.PROTECT_LIFE],
)
def test_a_legal_basis_for_another_agency_does_not(cast, refer, third, basis):
    case = refer.case()
    refer.consent(case, third.agency, basis=basis)
    _assert_no_basis(_refused_send(refer, case, consent=False))


def test_a_referral_to_public_assistance_is_flagged(cast, refer, third):
    assert third.agency.kind == Agency.Kind.PUBLIC_ASSISTANCE
    case = refer.case()
    flagged = refer.send(case, to=third.agency)
    plain = refer.send(case, to=cast.agency_b)
    assert flagged.is_public_assistance is True
    assert plain.is_public_assistance is False
    assert Referral.objects.filter(is_public_assistance=True).get() == flagged


@pytest.mark.parametrize(
    "kind", [k for k in Agency.Kind.values if k != Agency.Kind.PUBLIC_ASSISTANCE]
)
def test_no_other_kind_of_agency_is_flagged(refer, kind):
    from tests.factories import AgencyFactory

    agency = AgencyFactory(name=f"機関-{kind}", kind=kind)
    assert refer.send(to=agency).is_public_assistance is False
