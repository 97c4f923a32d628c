"""How other apps add to the access policy: subclass AccessRules, register one instance.

Part of the access policy: casework.access re-exports these names."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from django.contrib.auth.models import User
    from django.db.models import QuerySet

    from casework.models import Case, Consent, Person, StaffMembership


class AccessRules:
    """What an app adds to the access policy: subclass, override the hooks it needs, and
    register one instance with `register_rules`. casework never imports the apps.

    Every hook takes the user and their membership first, then the object it asks about.
    """

    def readable_cases(self, user: User, membership: StaffMembership) -> QuerySet[Any] | None:
        """More cases the member may read in full (VIEW): a query of their ids (one column,
        e.g. `.values("case_id")`), one indexable branch of the visibility UNION."""
        return None

    def summary_cases(self, user: User, membership: StaffMembership) -> QuerySet[Any] | None:
        """More cases the member may read only in the shared summary (SUMMARY): as above."""
        return None

    def case_permissions(self, user: User, membership: StaffMembership, case: Case) -> set[str]:
        """What the member may do with the case by rule, beyond their stored grants."""
        return set()

    def case_grants(self, user: User, membership: StaffMembership | None, case: Case) -> set[str]:
        """The stored grants on the case that this app's records justify for the user."""
        return set()

    def may_open_case(self, user: User, membership: StaffMembership, person: Person) -> bool:
        """May the member open their own agency's case for the person?"""
        return False

    def consent_withdrawn(
        self, user: User, membership: StaffMembership | None, consent: Consent
    ) -> None:
        """End whatever this app let rest on the consent (the user withdrew it)."""


rules: list[AccessRules] = []


def register_rules(new: AccessRules) -> AccessRules:
    """The one way in for other apps' access rules (referrals, outreach)."""
    if not any(type(existing) is type(new) for existing in rules):
        rules.append(new)
    return new
