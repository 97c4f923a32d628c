"""Changes to staff memberships and what follows from them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from casework import access
from casework.models import (
    Case,
    CaseAssignment,
    CaseShare,
    CaseUserObjectPermission,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import User


@transaction.atomic
def staff_membership_revoke_grants(
    *, actor: User, user: User, previous: tuple[int, str] | None
) -> int:
    """After a user's agency or role changed: end every assignment and share they held, so
    that no grant outlives the job it was given for. Returns how many cases lost access.

    `previous` is the (agency id, role) before the change, None for a new membership.
    """
    membership = access.membership_of(user)
    current = (membership.agency_id, membership.role) if membership else None
    if previous is None or previous == current:
        return 0
    now = timezone.now()
    case_ids = set(
        CaseAssignment.objects.filter(worker=user, ended_at__isnull=True).values_list(
            "case_id", flat=True
        )
    ) | set(
        CaseShare.objects.filter(user=user, revoked_at__isnull=True).values_list(
            "case_id", flat=True
        )
    )
    # Grants from elsewhere (an accepted referral) are re-checked as well.
    case_ids |= set(
        CaseUserObjectPermission.objects.filter(user=user).values_list(
            "content_object_id", flat=True
        )
    )
    CaseAssignment.objects.filter(worker=user, ended_at__isnull=True).update(ended_at=now)
    CaseShare.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=now, revoke_reason="職員の異動"
    )
    for case in Case.objects.filter(pk__in=case_ids).select_related("person"):
        access.sync_case_grants(case=case, user=user, actor=actor, reason="職員の異動")
    return len(case_ids)
