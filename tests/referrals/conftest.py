"""Helpers for the referral tests: every referral is made the way users make one, through
casework.services.consent_record and referrals.services.referral_send."""

import datetime
from dataclasses import dataclass

import pytest
from django.utils import timezone

from casework import access, services
from casework.models import (
    AccessLog,
    Agency,
    CaseUserObjectPermission,
    ConsentBasis,
    Notification,
    Role,
)
from referrals import services as referral_services
from referrals.models import Referral, Scope, Urgency
from tests.factories import AgencyFactory, StaffFactory
from tests.referrals.policy_helpers import (
    ADDRESS,
    COMPLETION_NOTE,
    DECLINE_NOTE,
    PHONE,
    REASON,
    SHARED,
    UNSHARED,
    WITHDRAW_NOTE,
)


def today() -> datetime.date:
    return timezone.localdate()


def days(n: int) -> datetime.date:
    return today() + datetime.timedelta(days=n)


def sees(user, case) -> bool:
    return access.cases_visible_to(user).filter(pk=case.pk).exists()


def perms(user, case) -> frozenset:
    return access.case_permissions(user, case)


def snapshot() -> dict:
    """Everything a refused action must leave exactly as it was."""
    return {
        "referrals": list(Referral.objects.order_by("pk").values()),
        "shared": sorted(
            Referral.shared_contacts.through.objects.values_list("referral_id", "contactrecord_id")
        ),
        "grants": sorted(
            CaseUserObjectPermission.objects.values_list(
                "user_id", "content_object_id", "permission__codename"
            )
        ),
        "access_log": AccessLog.objects.count(),
        "notifications": Notification.objects.count(),
    }


def recipients(message_contains: str = "") -> set[str]:
    rows = Notification.objects.all()
    if message_contains:
        rows = rows.filter(message__contains=message_contains)
    return {n.recipient.username for n in rows.select_related("recipient")}


@dataclass
class ThirdAgency:
    """A third agency (生活保護), for refusals from outside A and B and flagged referrals."""

    agency: Agency
    csw: object
    supervisor: object


@pytest.fixture
def third(db) -> ThirdAgency:
    agency = AgencyFactory(name="生活福祉課C", kind=Agency.Kind.PUBLIC_ASSISTANCE)
    return ThirdAgency(
        agency=agency,
        csw=StaffFactory(username="csw_c", agency=agency, role=Role.CSW),
        supervisor=StaffFactory(username="supervisor_c", agency=agency, role=Role.SUPERVISOR),
    )


class Referrals:
    """Build cases, bases and referrals through the services."""

    def __init__(self, cast, open_case):
        self.cast = cast
        self.open_case = open_case

    def case(self, actor=None, **fields):
        return self.open_case(actor or self.cast.csw_a, **fields)

    def consent(self, case, *agencies, basis=ConsentBasis.CONSENT, actor=None, given_on=None):
        return services.consent_record(
            actor=actor or self.cast.csw_a,
            person=case.person,
            basis=basis,
            agencies=list(agencies) or [self.cast.agency_b],
            given_on=given_on or days(-5),
        )

    def contact(self, case, summary: str, actor=None):
        return services.contact_record_add(
            actor=actor or self.cast.csw_a,
            case=case,
            occurred_at=timezone.now() - datetime.timedelta(minutes=5),
            method="phone",
            minutes=10,
            summary=summary,
        )

    def send(
        self,
        case=None,
        to=None,
        *,
        actor=None,
        consent=True,
        scope=Scope.SUMMARY,
        contacts=(),
        answer_by=None,
        urgency=Urgency.NORMAL,
        reason="介護保険の申請について相談したい",
        named_worker=None,
    ):
        """consent=True records a consent covering `to` first; False records none.
        `named_worker` is the receiving worker the sender names (None: nobody)."""
        case = case or self.case()
        to = to or self.cast.agency_b
        if consent is True:
            self.consent(case, to, actor=actor)
        return referral_services.referral_send(
            actor=actor or self.cast.csw_a,
            case=case,
            receiving_agency=to,
            reason=reason,
            urgency=urgency,
            answer_by=answer_by or days(7),
            scope=scope,
            shared_contacts=contacts,
            named_worker=named_worker,
        )

    def accept(self, referral, worker=None, actor=None):
        return referral_services.referral_accept(
            actor=actor or self.cast.supervisor_b,
            referral=referral,
            worker=worker or self.cast.consultation_b,
        )

    def accepted(self, case=None, worker=None, **send):
        return self.accept(self.send(case, **send), worker=worker)

    def decline(self, referral, actor=None, reason="対象外のため"):
        return referral_services.referral_decline(
            actor=actor or self.cast.supervisor_b, referral=referral, reason=reason
        )

    def complete(self, referral, actor=None, note="支援につながった"):
        return referral_services.referral_complete(
            actor=actor or self.cast.consultation_b, referral=referral, note=note
        )

    def withdraw(self, referral, actor=None, reason="本人の希望"):
        return referral_services.referral_withdraw(
            actor=actor or self.cast.csw_a, referral=referral, reason=reason
        )


@pytest.fixture
def refer(cast, open_case) -> Referrals:
    return Referrals(cast, open_case)


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
