"""What an accepted referral grants, registered with casework's access policy.

The receiving agency's assigned worker holds a per-case grant (a guardian row, kept in step
by casework.access.sync_case_grants); the receiving agency's supervisors see the case by
rule while the referral is accepted. Summary scope grants only the summary permission.
"""

from django.db.models import Q

from casework import access
from casework.models import Role
from referrals.models import Referral, ReferralState, Scope


def _scope_perms(scopes) -> set[str]:
    scopes = set(scopes)
    if not scopes:
        return set()
    return {access.VIEW} if Scope.FULL in scopes else {access.SUMMARY}


@access.register_grant_source
def assigned_worker_grants(case, user) -> set[str]:
    membership = access.membership_of(user)
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


def _accepted_to(membership, scope: str) -> Q:
    if membership.role != Role.SUPERVISOR:
        return Q(pk__in=[])
    accepted = Referral.objects.filter(
        receiving_agency_id=membership.agency_id, state=ReferralState.ACCEPTED, scope=scope
    ).values("case_id")
    return Q(pk__in=accepted)


@access.register_visibility_rule(access.VIEW)
def receiving_supervisors_read(user, membership) -> Q:
    return _accepted_to(membership, Scope.FULL)


@access.register_visibility_rule(access.SUMMARY)
def receiving_supervisors_see_summary(user, membership) -> Q:
    return _accepted_to(membership, Scope.SUMMARY)


@access.register_permission_rule
def receiving_supervisors_may(user, membership, case) -> set[str]:
    if membership.role != Role.SUPERVISOR or membership.agency_id == case.owning_agency_id:
        return set()
    scopes = Referral.objects.filter(
        case=case, receiving_agency_id=membership.agency_id, state=ReferralState.ACCEPTED
    ).values_list("scope", flat=True)
    return _scope_perms(scopes)


@access.register_consent_withdrawal_hook
def end_referrals_resting_on(*, consent, actor) -> None:
    from referrals import services

    services.referrals_end_for_withdrawn_consent(consent=consent, actor=actor)


def referral_for_user(user, pk) -> Referral:
    """A referral the user may open: staff of the receiving agency (its inbox), or those
    who may read the whole case on the sending side. 404 for everyone else."""
    from django.http import Http404

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
    referral.user_is_receiving = receiving
    # Once a referral has ended without the receiving side taking the person on (declined,
    # withdrawn, consent withdrawn), that side keeps only that it happened, not who or why.
    referral.identifies = (
        not receiving
        or referral.state in (ReferralState.SENT, ReferralState.ACCEPTED)
        or (
            referral.state == ReferralState.COMPLETED
            and (referral.assigned_worker_id == user.pk or membership.role == Role.SUPERVISOR)
        )
    )
    return referral
