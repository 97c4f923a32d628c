"""From a user's directory groups to their one agency and one role (TSUNAGU_LDAP_GROUP_MAP)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings

from directory.names import normalise_dn


@dataclass(frozen=True)
class Placement:
    """Where the directory puts a user: an agency (by name) and a role (casework's Role)."""

    agency_name: str
    role: str


class NotPlaced(Exception):
    """The directory's groups give the user no agency and role, or more than one, or one
    that Tsunagu does not have. The message says why, in English, for the log; `kind` is
    one of NO_GROUP, CONFLICT, UNKNOWN_AGENCY."""

    NO_GROUP = "no_group"
    CONFLICT = "conflict"
    UNKNOWN_AGENCY = "unknown_agency"

    def __init__(self, message: str, kind: str) -> None:
        super().__init__(message)
        self.kind = kind


def group_map() -> dict[str, tuple[str, str]]:
    """Normalised group DN → (agency name, role), from settings.DIRECTORY_GROUP_MAP."""
    return dict(getattr(settings, "DIRECTORY_GROUP_MAP", {}))


def placement_for(group_dns: Iterable[str]) -> Placement:
    """The one placement the user's groups map to. Several mapped groups are fine when they
    agree (a user in a team group and a department group of the same agency and role);
    groups that map to different agencies or roles are refused rather than guessed."""
    mapping = group_map()
    found: dict[Placement, list[str]] = {}
    for dn in group_dns:
        try:
            key = normalise_dn(dn)
        except ValueError:
            continue
        if key in mapping:
            found.setdefault(Placement(*mapping[key]), []).append(key)
    if not found:
        raise NotPlaced("in no group of TSUNAGU_LDAP_GROUP_MAP", NotPlaced.NO_GROUP)
    if len(found) > 1:
        pairs = "; ".join(
            f"{p.agency_name}/{p.role} ({', '.join(sorted(dns))})"
            for p, dns in sorted(found.items(), key=lambda i: (i[0].agency_name, i[0].role))
        )
        raise NotPlaced(
            f"in groups that map to different agencies or roles: {pairs}", NotPlaced.CONFLICT
        )
    return next(iter(found))
