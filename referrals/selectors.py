"""Reads for the referral pages, scoped through casework.access."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.db.models import Case as When_
from django.db.models import IntegerField, QuerySet, Value, When

from casework.models import CASE_ROLES
from referrals.access_rules import referrals_received_by, referrals_sent_by
from referrals.models import Referral, ReferralState

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from casework.models import Case, ContactRecord

_RELATED = ("case__person", "sending_agency", "receiving_agency", "sent_by", "assigned_worker")


def inbox(user: User) -> QuerySet[Referral]:
    """Referrals to the user's agency: waiting for an answer first, earliest deadline first."""
    waiting_first = When_(
        When(state=ReferralState.SENT, then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    return (
        referrals_received_by(user)
        .select_related(*_RELATED)
        .annotate(waiting_first=waiting_first)
        .order_by("waiting_first", "answer_by", "-sent_at", "-pk")
    )


def outbox(user: User) -> QuerySet[Referral]:
    """Referrals the user's agency sent, of the cases the user may see."""
    return referrals_sent_by(user).select_related(*_RELATED).order_by("-sent_at", "-pk")


def case_referrals(case: Case) -> QuerySet[Referral]:
    return case.referrals.select_related(*_RELATED).order_by("-sent_at", "-pk")


def shared_contacts(referral: Referral) -> QuerySet[ContactRecord]:
    return referral.shared_contacts.select_related("worker").order_by("-occurred_at", "-pk")


def receiving_workers(referral: Referral) -> QuerySet[User]:
    return (
        get_user_model()
        .objects.filter(
            membership__agency_id=referral.receiving_agency_id,
            membership__role__in=CASE_ROLES,
            is_active=True,
        )
        .order_by("last_name", "first_name", "username")
    )
