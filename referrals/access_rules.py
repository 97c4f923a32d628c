"""What referrals add to casework's access policy, registered through `access.register_rules`.

An accepted referral lets the receiving agency's assigned worker read the case in the scope
the sender chose (a stored grant, kept in step by `access.sync_case_grants`), and its
supervisors by rule. Who may see the person named in a referral, and who may answer it:

- Before acceptance: the receiving agency's supervisors and the worker the sender named.
  Other staff there see that a referral waits, not whom it is for or why.
- Accept, decline, complete: only the receiving agency's supervisors and the assigned (or
  named) worker.
- After it ends (completed, declined, withdrawn): dates and states only, unless the user
  sees the person by another route (for example the agency's own case, opened while the
  referral was accepted).
- The sending side: whoever may read the whole case.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet
from django.http import Http404

from casework import access
from casework.models import Role
from referrals.models import OPEN_STATES, Referral, ReferralState, Scope

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from casework.models import Case, Consent, Person, StaffMembership


def _scope_perms(scopes: Iterable[str]) -> set[str]:
    scopes = set(scopes)
    if not scopes:
        return set()
    return {access.VIEW} if Scope.FULL in scopes else {access.SUMMARY}


def _accepted_to(membership: StaffMembership, scope: str) -> QuerySet[Any] | None:
    """The cases referred to the supervisor's agency and accepted in `scope` (their ids)."""
    if membership.role != Role.SUPERVISOR:
        return None
    return Referral.objects.filter(
        receiving_agency_id=membership.agency_id, state=ReferralState.ACCEPTED, scope=scope
    ).values("case_id")


class ReferralRules(access.AccessRules):
    def readable_cases(self, user: User, membership: StaffMembership) -> QuerySet[Any] | None:
        return _accepted_to(membership, Scope.FULL)

    def summary_cases(self, user: User, membership: StaffMembership) -> QuerySet[Any] | None:
        return _accepted_to(membership, Scope.SUMMARY)

    def case_permissions(self, user: User, membership: StaffMembership, case: Case) -> set[str]:
        if membership.role != Role.SUPERVISOR or membership.agency_id == case.owning_agency_id:
            return set()
        scopes = Referral.objects.filter(
            case=case, receiving_agency_id=membership.agency_id, state=ReferralState.ACCEPTED
        ).values_list("scope", flat=True)
        return _scope_perms(scopes)

    def case_grants(self, user: User, membership: StaffMembership | None, case: Case) -> set[str]:
        if membership is None or not membership.handles_cases:
            return set()
        # Only while the worker still works for the receiving agency.
        scopes = Referral.objects.filter(
            case=case,
            assigned_worker=user,
            receiving_agency_id=membership.agency_id,
            state=ReferralState.ACCEPTED,
        ).values_list("scope", flat=True)
        return _scope_perms(scopes)

    def may_open_case(self, user: User, membership: StaffMembership, person: Person) -> bool:
        # Accepting lets the receiving agency keep a record of its own work in its own case.
        handlers = Q(assigned_worker=user)
        if membership.role == Role.SUPERVISOR:
            handlers = Q()
        return (
            membership.handles_cases
            and Referral.objects.filter(
                handlers,
                case__person_id=person.pk,
                receiving_agency_id=membership.agency_id,
                state=ReferralState.ACCEPTED,
            ).exists()
        )

    def consent_withdrawn(
        self, user: User, membership: StaffMembership | None, consent: Consent
    ) -> None:
        from referrals import services

        services.referrals_end_for_withdrawn_consent(consent=consent, actor=user)


access.register_rules(ReferralRules())


def referrals_received_by(user: User) -> QuerySet[Referral]:
    """Referrals to the user's agency: every case worker there knows that they exist."""
    membership = access.require_case_role(user)
    return Referral.objects.filter(receiving_agency_id=membership.agency_id)


def referrals_sent_by(user: User) -> QuerySet[Referral]:
    """Referrals the user's agency sent, of the cases the user may read in full."""
    membership = access.require_case_role(user)
    return Referral.objects.filter(
        sending_agency_id=membership.agency_id, case_id__in=access.readable_case_ids(user)
    )


def handles(user: User, referral: Referral) -> bool:
    """Is the user one who answers for the receiving agency: its supervisor, or the worker
    the referral names (chosen by the sender, or assigned on acceptance)?"""
    membership = access.membership_of(user)
    if membership is None or not membership.handles_cases:
        return False
    if membership.agency_id != referral.receiving_agency_id:
        return False
    return membership.role == Role.SUPERVISOR or referral.assigned_worker_id == user.pk


def may_withdraw(user: User, referral: Referral) -> bool:
    """Is the user one who may take the referral back: staff of the sending agency who may
    work the case?"""
    membership = access.membership_of(user)
    return (
        membership is not None
        and membership.handles_cases
        and membership.agency_id == referral.sending_agency_id
        and access.WORK in access.case_permissions(user, referral.case)
    )


def mark_identities(user: User, referrals: Iterable[Referral]) -> list[Referral]:
    """Set `identifies` on each referral: may the user see whom it is for and why.

    One query at most, for ended referrals whose person the user sees by another route."""
    referrals = list(referrals)
    membership = access.membership_of(user)
    ended: list[Referral] = []
    for referral in referrals:
        receiving = membership is not None and membership.agency_id == referral.receiving_agency_id
        referral.user_is_receiving = receiving
        referral.user_handles = handles(user, referral)
        if not receiving:
            # The outbox and the sending side's pages list only cases the user may read.
            referral.identifies = True
        elif referral.state in OPEN_STATES:
            referral.identifies = referral.user_handles
        else:
            referral.identifies = False
            ended.append(referral)
    if ended:
        seen = set(
            access.persons_visible_to(user)
            .filter(pk__in={r.case.person_id for r in ended})
            .values_list("pk", flat=True)
        )
        for referral in ended:
            referral.identifies = referral.case.person_id in seen
    return referrals


def referral_for_user(user: User, pk: str | int) -> Referral:
    """A referral the user may open: staff of the receiving agency (its inbox), or those
    who may read the whole case (the referral is part of its record). 404 for everyone else.

    The referral carries `user_perms` (on its case), `user_is_receiving`, `user_handles`
    (may answer it), `identifies` (may see the person and the reason) and `shows_shared`
    (may see what the sender shared: contact details and the picked contact records)."""
    pk = access.parse_id(pk)
    membership = access.membership_of(user)
    if membership is None or not membership.handles_cases:
        raise Http404
    referral = (
        Referral.objects.select_related(
            "case__person__district",
            "case__owning_agency",
            "sending_agency",
            "receiving_agency",
            "sent_by",
            "answered_by",
            "assigned_worker",
            "completed_by",
            "withdrawn_by",
            "basis",
        )
        .filter(pk=pk)
        .first()
    )
    if referral is None:
        raise Http404
    perms = access.case_permissions(user, referral.case)
    receiving = membership.agency_id == referral.receiving_agency_id
    if not receiving and access.VIEW not in perms:
        raise Http404
    referral.user_perms = perms
    mark_identities(user, [referral])
    # What the receiving side sees of the person is what the sender shared, once accepted.
    accepted_here = referral.state == ReferralState.ACCEPTED and bool(
        perms & {access.VIEW, access.SUMMARY}
    )
    referral.shows_shared = referral.identifies and (not receiving or accepted_here)
    return referral
