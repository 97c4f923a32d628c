"""A check of the built world against the access policy's own rules: for a sample of
(case, user) pairs, the stored object permissions are what `sync_case_grants` would leave
(every registered rule asked, as it asks them)."""

from __future__ import annotations

import random

from django.contrib.auth import get_user_model

from casework import access
from casework.access_rules import rules
from casework.models import Case, CaseAssignment, CaseShare, CaseUserObjectPermission
from referrals.models import Referral


def _pairs(sample: int, rng: random.Random) -> list[tuple[int, int]]:
    """Pairs that hold grants, and pairs whose grant has ended (they must hold none)."""
    found: set[tuple[int, int]] = set()
    sources = [
        CaseUserObjectPermission.objects.values_list("content_object_id", "user_id"),
        CaseAssignment.objects.filter(ended_at__isnull=False).values_list("case_id", "worker_id"),
        CaseShare.objects.filter(revoked_at__isnull=False).values_list("case_id", "user_id"),
        Referral.objects.filter(assigned_worker__isnull=False).values_list(
            "case_id", "assigned_worker_id"
        ),
    ]
    share = max(1, sample // len(sources))
    for rows in sources:
        total = rows.count()
        if not total:
            continue
        for offset in sorted(rng.sample(range(total), min(share, total))):
            pair = rows.order_by("pk")[offset]
            found.add((pair[0], pair[1]))
    return sorted(found)


def check_grants(sample: int = 200, seed: int = 15) -> tuple[int, list[tuple[int, int, set, set]]]:
    """(pairs checked, [(case, user, stored, justified)] for every pair that differs)."""
    rng = random.Random(seed)
    UserModel = get_user_model()
    wrong = []
    pairs = _pairs(sample, rng)
    for case_id, user_id in pairs:
        case = Case.objects.get(pk=case_id)
        user = UserModel.objects.get(pk=user_id)
        membership = access.membership_of(user)
        wanted: set[str] = set()
        for rule in rules:
            wanted |= rule.case_grants(user, membership, case)
        wanted &= set(access.GRANTABLE)
        held = set(
            CaseUserObjectPermission.objects.filter(
                user_id=user_id, content_object_id=case_id
            ).values_list("permission__codename", flat=True)
        )
        if held != wanted:
            wrong.append((case_id, user_id, held, wanted))
    return len(pairs), wrong
