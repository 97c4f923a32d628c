"""The access policy: the one place that decides who may see and do what with a case.

Per-case grants (assignment, share, and later accepted referrals) are django-guardian
object permissions stored in direct foreign-key tables (CaseUserObjectPermission), and
visibility is filtered with one SQL statement using subqueries on those tables. The
agency-wide scope of supervisors is a rule on Case.owning_agency, not a row per case.

Nothing outside this module calls django-guardian or decides visibility on its own.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, TypeVar, cast

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db.models import Exists, Model, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from guardian.shortcuts import assign_perm, remove_perm

from casework.access_rules import AccessRules as AccessRules
from casework.access_rules import register_rules as register_rules
from casework.access_rules import rules as _rules
from casework.models import (
    CASE_ROLES,
    MAX_ID,
    AccessLog,
    Agency,
    Case,
    CaseAssignment,
    CaseGroupObjectPermission,
    CaseShare,
    CaseUserObjectPermission,
    Consent,
    Person,
    Role,
    StaffMembership,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import User


_RecordT = TypeVar("_RecordT", bound=Model)

VIEW = "view_case"
WORK = "work_case"
# Read only what another agency chose to share (a referral in summary scope): the person,
# the referral and the contact records picked for it, never the rest of the case.
SUMMARY = "view_case_summary"
# Not a stored grant: supervisors of the owning agency hold it by rule.
SUPERVISE = "supervise_case"
GRANTABLE = (VIEW, WORK, SUMMARY)


_MISSING = object()


def parse_id(pk: str | int) -> int:
    """A primary key from a URL, or 404: text and numbers beyond the column never reach SQL."""
    try:
        number = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    if not 0 < number <= MAX_ID:
        raise Http404
    return number


def membership_of(user: User | AnonymousUser | None) -> StaffMembership | None:
    """The user's agency membership, cached on the user object for the request."""
    if user is None or isinstance(user, AnonymousUser) or not user.is_authenticated:
        return None
    cached = getattr(user, "_tsunagu_membership", _MISSING)
    if cached is not _MISSING:
        return cast("StaffMembership | None", cached)
    try:
        membership = StaffMembership.objects.select_related("agency").get(user=user)
    except ObjectDoesNotExist:
        membership = None
    user._tsunagu_membership = membership  # type: ignore[attr-defined]  # per-request cache
    return membership


def handles_cases(user: User) -> bool:
    membership = membership_of(user)
    return membership is not None and membership.handles_cases


def is_supervisor_of(user: User, agency_id: int) -> bool:
    membership = membership_of(user)
    return (
        membership is not None
        and membership.role == Role.SUPERVISOR
        and membership.agency_id == agency_id
    )


def _granted_case_ids(user: User, perms: tuple[str, ...]) -> list[QuerySet[Any]]:
    """The ids of the cases the user holds any of `perms` on: granted to them, or to a
    group of theirs (the index on the user, or the group, answers each)."""
    direct = CaseUserObjectPermission.objects.filter(
        user_id=user.pk,
        permission__codename__in=perms,
        permission__content_type__app_label="casework",
    ).values("content_object_id")
    via_group = CaseGroupObjectPermission.objects.filter(
        group__user=user.pk,
        permission__codename__in=perms,
        permission__content_type__app_label="casework",
    ).values("content_object_id")
    return [direct, via_group]


def _branches(user: User, perms: tuple[str, ...], column: str = "pk") -> list[QuerySet[Any]]:
    """The branches that let the user know cases with `perms` (their grants, their agency's
    cases for a supervisor, other apps' rules), each an index lookup giving the cases'
    `column`: their ids, or (for persons) the ids of the persons behind them."""
    membership = membership_of(user)
    if membership is None or not membership.handles_cases:
        return []
    ids = _granted_case_ids(user, perms)
    for rules in _rules:
        for perm, extra in (
            (VIEW, rules.readable_cases(user, membership)),
            (SUMMARY, rules.summary_cases(user, membership)),
        ):
            if perm in perms and extra is not None:
                ids.append(extra)
    # A branch of a UNION takes no ORDER BY (a model's default ordering).
    if column == "pk":
        branches = [branch.order_by() for branch in ids]
    else:
        branches = [
            Case.objects.filter(pk__in=branch.order_by()).order_by().values(column)
            for branch in ids
        ]
    if membership.role == Role.SUPERVISOR:
        agency = Case.objects.filter(owning_agency_id=membership.agency_id)
        branches.append(agency.order_by().values(column))
    return branches


def _visible(user: User, perms: tuple[str, ...]) -> QuerySet[Case]:
    """The cases the user may know with `perms`, in one indexable shape: `id IN (… UNION …)`
    over the branches that grant them. Each branch is an index lookup, so a list, a count
    or a search starts from the few ids the user may see, never from a scan of every case."""
    ids = _visible_ids(user, perms)
    return Case.objects.none() if ids is None else Case.objects.filter(pk__in=ids)


def _visible_ids(user: User, perms: tuple[str, ...]) -> QuerySet[Any] | None:
    """The `… UNION …` of the cases' ids itself (None: no case at all), for a read that
    needs only the ids (`case_id IN (…)`): not wrapped in the case table, which the
    planner would scan whole to match the union against."""
    branches = _branches(user, perms)
    if not branches:
        return None
    first, *rest = branches
    return first.union(*rest)


def visible_case_ids(user: User) -> QuerySet[Any]:
    """The ids of every case the user may know exists, as one subquery for `case_id IN (…)`
    (a referral's, a report's, a meeting link's): the union itself, not matched against the
    case table first, which the planner would scan whole to do it."""
    ids = _visible_ids(user, (VIEW, SUMMARY))
    return Case.objects.none().values("pk") if ids is None else ids


def readable_case_ids(user: User) -> QuerySet[Any]:
    """The ids of the cases the user may read in full, as `visible_case_ids`."""
    ids = _visible_ids(user, (VIEW,))
    return Case.objects.none().values("pk") if ids is None else ids


def cases_visible_to(user: User) -> QuerySet[Case]:
    """Every case the user may know exists. Lists, searches, exports and tasks start here."""
    return _visible(user, (VIEW, SUMMARY))


def agency_cases(user: User) -> QuerySet[Case]:
    """Every case the supervisor's agency owns (their scope by rule); 403 for others."""
    return Case.objects.filter(agency_scope(user))


def agency_scope(user: User, path: str = "") -> Q:
    """The supervisor's scope by rule as a condition on the case reached by `path` (for
    example "case__" from a plan), so a read joins the case instead of listing every case
    of the agency; 403 for others."""
    membership = require_supervisor(user)
    return Q(**{f"{path}owning_agency_id": membership.agency_id})


def cases_readable_by(user: User) -> QuerySet[Case]:
    """The cases the user may read in full: not those shared with them only as a summary.
    What hangs off a case beyond the summary (meetings, the household) starts here."""
    return _visible(user, (VIEW,))


def case_permissions(user: User, case: Case) -> frozenset[str]:
    """What the user may do with a case they can see: VIEW, WORK, SUPERVISE."""
    membership = membership_of(user)
    if membership is None or not membership.handles_cases:
        return frozenset()
    perms: set[str] = set(
        CaseUserObjectPermission.objects.filter(
            user_id=user.pk, content_object_id=case.pk
        ).values_list("permission__codename", flat=True)
    )
    perms |= set(
        CaseGroupObjectPermission.objects.filter(
            group__user=user.pk, content_object_id=case.pk
        ).values_list("permission__codename", flat=True)
    )
    if membership.role == Role.SUPERVISOR and membership.agency_id == case.owning_agency_id:
        perms |= {VIEW, WORK, SUPERVISE}
    for rules in _rules:
        perms |= rules.case_permissions(user, membership, case)
    return frozenset(perms)


def case_for_user(user: User, pk: str | int, perm: str = VIEW) -> Case:
    """The case, or 404 when the user may not know it exists, or 403 without `perm`.

    The returned case carries `user_perms`, the set of what the user may do with it.
    """
    pk = parse_id(pk)
    case = (
        cases_visible_to(user)
        .select_related("person", "person__district", "owning_agency")
        .filter(pk=pk)
        .first()
    )
    if case is None:
        raise Http404
    perms = case_permissions(user, case)
    if perm not in perms:
        raise PermissionDenied
    case.user_perms = perms  # type: ignore[attr-defined]  # carried for the views
    return case


def persons_visible_to(user: User) -> QuerySet[Person]:
    """Persons behind a visible case, and persons the user's agency registered who have no
    case anywhere yet (so intake can find them). Nothing else."""
    membership = membership_of(user)
    if membership is None or not membership.handles_cases:
        return Person.objects.none()
    has_any_case = Exists(Case.objects.filter(person_id=OuterRef("pk")))
    # One UNION of indexed branches, as for cases: the persons behind each branch of the
    # visible cases (a supervisor's agency through its own index, not through the ids of
    # its cases), and the agency's persons without a case. Never an OR over every person.
    behind_cases = _branches(user, (VIEW, SUMMARY), column="person_id")
    own_without_case = (
        Person.objects.filter(registered_by_agency_id=membership.agency_id)
        .filter(~has_any_case)
        .order_by()
        .values("pk")
    )
    return Person.objects.filter(pk__in=own_without_case.union(*behind_cases))


def person_for_user(user: User, pk: str | int) -> Person:
    pk = parse_id(pk)
    person = persons_visible_to(user).select_related("district").filter(pk=pk).first()
    if person is None:
        raise Http404
    return person


def person_in_agency_scope(user: User, person: Person) -> bool:
    """May the user act for their agency on this person: open a new case, record or
    withdraw a consent? Only when the agency holds the person itself: a case it owns that
    the user sees, or its own registration of a person who has no case anywhere.

    A read-only share from another agency is not enough: it would let that agency keep the
    person after the consent behind the share is withdrawn.
    """
    membership = membership_of(user)
    if membership is None or not membership.handles_cases:
        return False
    own_case = (
        cases_visible_to(user)
        .filter(person_id=person.pk, owning_agency_id=membership.agency_id)
        .exists()
    )
    if own_case:
        return True
    return (
        person.registered_by_agency_id == membership.agency_id
        and not Case.objects.filter(person_id=person.pk).exists()
    )


def may_open_case_for(user: User, person: Person) -> bool:
    """May the user open their agency's own case for the person: when the agency holds the
    person already, or by another app's rule (an accepted referral to the agency)."""
    if person_in_agency_scope(user, person):
        return True
    membership = membership_of(user)
    return membership is not None and any(
        rules.may_open_case(user, membership, person) for rules in _rules
    )


def require_case_role(user: User) -> StaffMembership:
    membership = membership_of(user)
    if membership is None or not membership.handles_cases:
        raise PermissionDenied
    return membership


def sharing_basis(
    person: Person, agency: Agency, on: datetime.date | None = None
) -> Consent | None:
    """An active consent or legal basis of the person that covers the agency, if any."""
    day = on or timezone.localdate()
    return (
        Consent.objects.filter(
            person=person, agencies=agency, withdrawn_on__isnull=True, given_on__lte=day
        )
        .order_by("-given_on", "-pk")
        .first()
    )


# --- grants -------------------------------------------------------------------------------


class _CaseworkRules(AccessRules):
    """casework's own grants: an active assignment, and an active share."""

    def case_grants(self, user: User, membership: StaffMembership | None, case: Case) -> set[str]:
        perms: set[str] = set()
        if CaseAssignment.objects.filter(case=case, worker=user, ended_at__isnull=True).exists():
            perms |= {VIEW, WORK}
        if CaseShare.objects.filter(case=case, user=user, revoked_at__isnull=True).exists():
            perms.add(VIEW)
        return perms


register_rules(_CaseworkRules())


def sync_case_grants(
    *, case: Case, user: User, actor: User, reason: str = ""
) -> tuple[set[str], set[str]]:
    """Make the user's stored grants on the case match what the records justify.

    Every source is asked, so removing one reason for access keeps the access that another
    still justifies. Each grant and revocation is written to the access log.
    Returns (granted, revoked).
    """
    wanted: set[str] = set()
    membership = membership_of(user)
    for rules in _rules:
        wanted |= rules.case_grants(user, membership, case)
    held = set(
        CaseUserObjectPermission.objects.filter(
            user_id=user.pk, content_object_id=case.pk
        ).values_list("permission__codename", flat=True)
    )
    granted = {p for p in GRANTABLE if p in wanted and p not in held}
    revoked = {p for p in GRANTABLE if p in held and p not in wanted}
    for perm in sorted(granted):
        assign_perm(f"casework.{perm}", user, case)
    for perm in sorted(revoked):
        remove_perm(f"casework.{perm}", user, case)
    if granted:
        log_access(
            actor,
            person=case.person,
            case=case,
            action=AccessLog.Action.GRANT,
            detail=_grant_detail(user, granted, reason),
        )
    if revoked:
        log_access(
            actor,
            person=case.person,
            case=case,
            action=AccessLog.Action.REVOKE,
            detail=_grant_detail(user, revoked, reason),
        )
    return granted, revoked


_PERM_LABELS = {VIEW: "閲覧", WORK: "記録", SUMMARY: "共有された概要の閲覧"}


def _grant_detail(user: User, perms: Iterable[str], reason: str) -> str:
    full = f"{user.last_name} {user.first_name}".strip()
    name = f"{full}({user.get_username()})" if full else user.get_username()
    labels = "・".join(_PERM_LABELS.get(p, p) for p in sorted(perms))
    text = f"{name}: {labels}"
    return f"{text}({reason})"[:300] if reason else text[:300]


# --- records that hang off a case --------------------------------------------------------


def case_record_for_user(
    user: User,
    model: type[_RecordT],
    pk: str | int,
    perm: str = VIEW,
    case_path: str = "case",
) -> _RecordT:
    """A record belonging to a case (plan, assessment, enrolment, closure request…), with the
    same answers as its case: 404 when the case is hidden, 403 without `perm`.

    `case_path` is the lookup from the record to its case, e.g. "enrolment__case".
    The record carries `user_perms` and its case as `record_case`.
    """
    pk = parse_id(pk)
    record: _RecordT | None = (
        # The base manager: a 経過記録 marked 誤記録 is off the timeline, not out of reach.
        model._base_manager.filter(pk=pk, **{f"{case_path}__in": cases_visible_to(user)})
        .select_related(case_path)
        .first()
    )
    if record is None:
        raise Http404
    case: Any = record  # each step of `case_path` in turn, the case at the end
    for step in case_path.split("__"):
        case = getattr(case, step)
    perms = case_permissions(user, case)
    if perm not in perms:
        raise PermissionDenied
    case.user_perms = perms
    record.user_perms = perms  # type: ignore[attr-defined]  # carried for the views
    record.record_case = case  # type: ignore[attr-defined]  # carried for the views
    return record


def require_supervisor(user: User) -> StaffMembership:
    """Supervisor pages: 403 for everyone else who is signed in."""
    membership = membership_of(user)
    if membership is None or membership.role != Role.SUPERVISOR:
        raise PermissionDenied
    return membership


def agency_worker_for_supervisor(user: User, pk: str | int) -> User:
    """A case-handling member of the supervisor's own agency, or 404."""
    membership = require_supervisor(user)
    pk = parse_id(pk)
    worker = (
        StaffMembership.objects.filter(
            agency_id=membership.agency_id,
            role__in=CASE_ROLES,
            user_id=pk,
        )
        .select_related("user")
        .first()
    )
    if worker is None:
        raise Http404
    return worker.user


# The access log (access_log.py), consents, households, corrections and notifications
# (access_records.py), attachments (access_attachments.py) and confidential marks
# (access_confidential.py) have their own modules; their names are part of this module.

from casework.access_attachments import attachment_for_user as attachment_for_user  # noqa: E402
from casework.access_attachments import attachment_version_for_user as attachment_version_for_user  # noqa: E402
from casework.access_attachments import case_attachments as case_attachments  # noqa: E402
from casework.access_attachments import may_attach_to_person as may_attach_to_person  # noqa: E402
from casework.access_attachments import person_attachments as person_attachments  # noqa: E402
from casework.access_confidential import address_hidden as address_hidden  # noqa: E402
from casework.access_confidential import case_records_hidden as case_records_hidden  # noqa: E402
from casework.access_confidential import mark_for_user as mark_for_user  # noqa: E402
from casework.access_confidential import marks_of_person as marks_of_person  # noqa: E402
from casework.access_confidential import may_manage_mark as may_manage_mark  # noqa: E402
from casework.access_confidential import may_mark_address as may_mark_address  # noqa: E402
from casework.access_confidential import may_mark_records as may_mark_records  # noqa: E402
from casework.access_confidential import record_hidden as record_hidden  # noqa: E402
from casework.access_log import access_log_about as access_log_about  # noqa: E402
from casework.access_log import access_log_for_supervisor as access_log_for_supervisor  # noqa: E402
from casework.access_log import log_access as log_access  # noqa: E402
from casework.access_log import log_form_read as log_form_read  # noqa: E402
from casework.access_log import log_list as log_list  # noqa: E402
from casework.access_records import consent_for_user as consent_for_user  # noqa: E402
from casework.access_records import consent_is_own as consent_is_own  # noqa: E402
from casework.access_records import consent_withdrawn as consent_withdrawn  # noqa: E402
from casework.access_records import consents_of as consents_of  # noqa: E402
from casework.access_records import contact_correction_rights as contact_correction_rights  # noqa: E402
from casework.access_records import household_member_for_user as household_member_for_user  # noqa: E402
from casework.access_records import household_readable as household_readable  # noqa: E402
from casework.access_records import may_correct_person as may_correct_person  # noqa: E402
from casework.access_records import may_edit_household as may_edit_household  # noqa: E402
from casework.access_records import meeting_for_user as meeting_for_user  # noqa: E402
from casework.access_records import meetings_visible_to as meetings_visible_to  # noqa: E402
from casework.access_records import notification_for_user as notification_for_user  # noqa: E402
