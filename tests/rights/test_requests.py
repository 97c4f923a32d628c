"""開示・訂正・利用停止 requests through the services: the deadline and its one extension,
decisions and delivery, withdrawal, and who may do what."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from casework import services as casework_services
from casework.models import AccessLog, Case, UseSuspension
from referrals import services as referral_services
from referrals.models import Scope, Urgency
from rights import services
from rights.models import Decision, Delivery, RequestKind, RequestState, RightsRequest
from tests.factories import StaffFactory
from tests.rights.conftest import days, today


@pytest.mark.parametrize("kind", list(RequestKind))
def test_each_kind_is_due_thirty_days_after_it_was_received(register, kind):
    request = register(kind, received_on=days(-3))
    assert request.kind == kind and request.state == RequestState.OPEN
    assert request.due_on == days(27) and request.deadline == days(27)
    assert request.days_left() == 27


def test_the_deadline_is_a_setting(register, settings):
    settings.TSUNAGU_RIGHTS_DEADLINE_DAYS = 14
    assert register(received_on=days(-1)).due_on == days(13)


def test_a_request_cannot_be_received_tomorrow(register):
    with pytest.raises(ValidationError) as error:
        register(received_on=days(1))
    assert "received_on" in error.value.message_dict
    assert not RightsRequest.objects.exists()


def test_registering_is_logged_against_the_person(cast, register):
    request = register()
    row = AccessLog.objects.filter(person=request.person, user=cast.csw_a).latest("pk")
    assert f"開示請求 No.{request.pk}" in row.detail and "受付" in row.detail


def test_only_staff_who_find_the_person_register(cast, case_a, register):
    for user in (cast.csw_b, cast.indicator_officer, cast.outsider):
        with pytest.raises(PermissionDenied):
            register(actor=user)
    # consultation_b sees the case through the person's consent, and registers at agency B.
    request = register(actor=cast.consultation_b)
    assert request.agency == cast.agency_b


def test_the_supervisor_extends_once_with_a_reason(cast, register):
    request = register(received_on=days(-10))
    with pytest.raises(PermissionDenied):
        services.request_extend(
            actor=cast.csw_a, request=request, extended_to=days(30), reason="資料が多い"
        )
    with pytest.raises(ValidationError) as error:
        services.request_extend(
            actor=cast.supervisor_a, request=request, extended_to=days(30), reason=" "
        )
    assert "reason" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.request_extend(
            actor=cast.supervisor_a, request=request, extended_to=days(51), reason="資料が多い"
        )
    assert "extended_to" in error.value.message_dict
    with pytest.raises(ValidationError):
        services.request_extend(
            actor=cast.supervisor_a, request=request, extended_to=days(20), reason="資料が多い"
        )
    request = services.request_extend(
        actor=cast.supervisor_a, request=request, extended_to=days(50), reason="資料が多い"
    )
    assert request.deadline == days(50) and request.due_on == days(20)
    assert request.days_left() == 50
    with pytest.raises(ValidationError) as error:
        services.request_extend(
            actor=cast.supervisor_a, request=request, extended_to=days(45), reason="もう一度"
        )
    assert "一度だけ" in str(error.value)


def test_another_agencys_supervisor_cannot_act(cast, register):
    request = register()
    with pytest.raises(PermissionDenied):
        services.request_withdraw(actor=cast.supervisor_b, request=request, reason="x")


def test_a_disclosure_is_decided_on_an_assembled_package_then_delivered(cast, register):
    request = register(received_on=days(-5))
    with pytest.raises(ValidationError) as error:
        services.request_decide(
            actor=cast.supervisor_a,
            request=request,
            decision=Decision.FULL,
            reason="",
            decided_on=today(),
        )
    assert "decision" in error.value.message_dict
    request = services.package_assemble(actor=cast.supervisor_a, request=request)
    assert request.package is not None and request.package_at is not None
    with pytest.raises(ValidationError) as error:
        services.request_decide(
            actor=cast.supervisor_a,
            request=request,
            decision=Decision.PARTIAL,
            reason="",
            decided_on=today(),
        )
    assert "reason" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.request_decide(
            actor=cast.supervisor_a,
            request=request,
            decision=Decision.FULL,
            reason="",
            decided_on=days(-6),
        )
    assert "decided_on" in error.value.message_dict
    request = services.request_decide(
        actor=cast.supervisor_a,
        request=request,
        decision=Decision.PARTIAL,
        reason="第三者の情報を除く",
        decided_on=today(),
    )
    assert request.state == RequestState.DECIDED and request.decided_by == cast.supervisor_a
    frozen = request.package
    with pytest.raises(ValidationError):
        services.package_assemble(actor=cast.supervisor_a, request=request)
    request.refresh_from_db()
    assert request.package == frozen
    with pytest.raises(ValidationError) as error:
        services.request_deliver(
            actor=cast.supervisor_a, request=request, delivered_on=days(1), delivery="post"
        )
    assert "delivered_on" in error.value.message_dict
    request = services.request_deliver(
        actor=cast.supervisor_a, request=request, delivered_on=today(), delivery=Delivery.POST
    )
    assert request.state == RequestState.DELIVERED and request.delivered_on == today()
    details = list(
        AccessLog.objects.filter(person=request.person, user=cast.supervisor_a).values_list(
            "detail", flat=True
        )
    )
    assert any("決定" in d for d in details) and any("交付・通知(郵送)" in d for d in details)


def test_assembling_is_logged_in_every_agency_holding_a_case(cast, case_a, register):
    # Agency B holds its own case of the person (set up directly: B does not hold them).
    other = Case.objects.create(
        person=case_a.person,
        owning_agency=cast.agency_b,
        opened_on=today(),
        main_concern="income",
        created_by=cast.csw_b,
    )
    request = register()
    services.package_assemble(actor=cast.supervisor_a, request=request)
    row = AccessLog.objects.filter(action=AccessLog.Action.VIEW_LIST).latest("pk")
    assert f",{case_a.pk}," in row.case_ids and f",{other.pk}," in row.case_ids
    assert {e.agency_id for e in row.agencies.all()} >= {cast.agency_a.pk, cast.agency_b.pk}


def test_only_a_disclosure_has_a_package(cast, register):
    request = register(RequestKind.SUSPENSION)
    with pytest.raises(ValidationError):
        services.package_assemble(actor=cast.supervisor_a, request=request)


def test_a_suspension_stops_new_referrals_and_shares_until_refused(cast, case_a, register):
    request = register(RequestKind.SUSPENSION)
    suspension = UseSuspension.objects.get(person=case_a.person, lifted_at__isnull=True)
    assert request.suspension == suspension
    # Every agency that sees the person sees the stop and since when, not the request.
    assert suspension.reason.startswith("本人からの利用停止の請求(受付 ")
    colleague = StaffFactory(username="csw_a2", agency=cast.agency_a, role="csw")
    with pytest.raises(ValidationError) as error:
        casework_services.case_share(actor=cast.csw_a, case=case_a, user=colleague)
    assert "利用停止中" in str(error.value) and "本人からの利用停止の請求" in str(error.value)
    with pytest.raises(ValidationError) as error:
        referral_services.referral_send(
            actor=cast.csw_a,
            case=case_a,
            receiving_agency=cast.agency_b,
            reason="相談",
            urgency=Urgency.NORMAL,
            answer_by=days(7),
            scope=Scope.SUMMARY,
        )
    assert "利用停止中" in error.value.message_dict["receiving_agency"][0]
    services.request_decide(
        actor=cast.supervisor_a,
        request=request,
        decision=Decision.REFUSED,
        reason="法令に基づく利用",
        decided_on=today(),
    )
    suspension.refresh_from_db()
    assert suspension.lifted_at is not None and suspension.lifted_by == cast.supervisor_a
    casework_services.case_share(actor=cast.csw_a, case=case_a, user=colleague)


def test_an_accepted_suspension_keeps_the_stop(cast, case_a, register):
    request = register(RequestKind.SUSPENSION)
    services.request_decide(
        actor=cast.supervisor_a,
        request=request,
        decision=Decision.FULL,
        reason="",
        decided_on=today(),
    )
    assert casework_services.use_suspension_of(case_a.person_id) is not None


def test_a_withdrawn_suspension_lifts_the_stop(cast, case_a, register):
    request = register(RequestKind.SUSPENSION)
    with pytest.raises(ValidationError):
        services.request_withdraw(actor=cast.supervisor_a, request=request, reason="")
    request = services.request_withdraw(
        actor=cast.supervisor_a, request=request, reason="本人が取り下げた"
    )
    assert request.state == RequestState.WITHDRAWN
    assert casework_services.use_suspension_of(case_a.person_id) is None
    with pytest.raises(ValidationError):
        services.request_decide(
            actor=cast.supervisor_a,
            request=request,
            decision=Decision.FULL,
            reason="",
            decided_on=today(),
        )


def test_the_deadline_check_constraints_hold_in_the_database(cast, register):
    request = register()
    request.extended_to = request.due_on + datetime.timedelta(days=5)
    request.extension_reason = ""
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        request.save(update_fields=["extended_to", "extension_reason"])


def test_a_deadline_past_cannot_be_extended(cast, register):
    request = register(received_on=days(-31))
    with pytest.raises(ValidationError) as error:
        services.request_extend(
            actor=cast.supervisor_a, request=request, extended_to=days(10), reason="遅れた"
        )
    assert "期限を過ぎてからは延長できません" in error.value.message_dict["extended_to"][0]


def test_full_disclosure_is_refused_while_the_package_withholds_something(cast, case_a, register):
    casework_services.household_member_add(
        actor=cast.csw_a,
        person=case_a.person,
        person_relation="head",
        new_member={"family_name": "同居", "family_name_kana": "どうきょ"},
        member_relation="child",
    )
    request = services.package_assemble(actor=cast.supervisor_a, request=register())
    assert request.package["withheld_count"] > 0
    with pytest.raises(ValidationError) as error:
        services.request_decide(
            actor=cast.supervisor_a,
            request=request,
            decision=Decision.FULL,
            reason="",
            decided_on=today(),
        )
    assert "一部開示を選んでください" in error.value.message_dict["decision"][0]


def test_a_suspension_stops_a_pending_referral_from_being_accepted(cast, case_a, register):
    referral = referral_services.referral_send(
        actor=cast.csw_a,
        case=case_a,
        receiving_agency=cast.agency_b,
        reason="相談",
        urgency=Urgency.NORMAL,
        answer_by=days(7),
        scope=Scope.SUMMARY,
    )
    register(RequestKind.SUSPENSION)
    with pytest.raises(ValidationError) as error:
        referral_services.referral_accept(
            actor=cast.supervisor_b, referral=referral, worker=cast.csw_b
        )
    assert "利用停止中" in error.value.message_dict["worker"][0]
    referral.refresh_from_db()
    assert referral.state == "sent"


def test_a_worker_who_loses_the_person_loses_the_request(cast, case_a, register):
    from casework.models import CaseShare
    from rights.access_rules import requests_visible_to

    request = register(actor=cast.consultation_b)
    assert list(requests_visible_to(cast.consultation_b)) == [request]
    share = CaseShare.objects.get(case=case_a, user=cast.consultation_b, revoked_at__isnull=True)
    casework_services.share_revoke(actor=cast.csw_a, share=share, reason="終了")
    assert list(requests_visible_to(cast.consultation_b)) == []


def test_a_supervisor_who_does_not_see_the_person_cannot_assemble(cast, case_a, register):
    request = register(actor=cast.consultation_b)
    with pytest.raises(ValidationError) as error:
        services.package_assemble(actor=cast.supervisor_b, request=request)
    assert "見られないため" in str(error.value)
    request.refresh_from_db()
    assert request.package is None
