"""The main menu: which entries a role sees, and which one the current page belongs to.

The menu marks the page the user is on (aria-current="page"). A page belongs to the entry
whose path is the longest prefix of its own: a case's contact form belongs to 「担当ケース」,
the new-case form (/cases/new/) to 「新規受付」. 「今日」 is the home page itself only.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import get_script_prefix, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from casework.models import Role, StaffMembership

Shown = Callable[[StaffMembership], bool]


def _cases(m: StaffMembership) -> bool:
    return m.handles_cases


def _community(m: StaffMembership) -> bool:
    return m.handles_cases or m.role == Role.INDICATOR_OFFICER


def _indicators(m: StaffMembership) -> bool:
    return m.role in (Role.SUPERVISOR, Role.INDICATOR_OFFICER)


def _returns(m: StaffMembership) -> bool:
    # returns.access.scope_of, on the membership the menu already holds.
    from returns.definitions import FILING_AGENCY_KINDS

    return m.role == Role.INDICATOR_OFFICER or (
        m.role == Role.SUPERVISOR and m.agency.kind in FILING_AGENCY_KINDS
    )


def _supervisor(m: StaffMembership) -> bool:
    return m.role == Role.SUPERVISOR


@dataclass(frozen=True)
class _Entry:
    url_name: str
    label: str | Promise
    shown: Shown
    # Further paths (below the script prefix) whose pages belong to this entry.
    also: tuple[str, ...] = ()
    # The home page is marked on itself only: every path starts with "/".
    exact: bool = False


_MENU: tuple[_Entry, ...] = (
    _Entry("casework:home", _("今日"), _cases, exact=True),
    _Entry(
        "casework:my_cases",
        _("担当ケース"),
        _cases,
        also=("contacts/", "assessments/", "plans/", "enrolments/", "closures/"),
    ),
    _Entry(
        "casework:person_search",
        _("本人検索"),
        _cases,
        also=("household-members/", "consents/"),
    ),
    _Entry("casework:case_open", _("新規受付"), _cases),
    _Entry("referrals:inbox", _("つなぎ"), _cases, also=("referrals/",)),
    _Entry("casework:meeting_list", _("会議"), _cases),
    _Entry("outreach:reports", _("見守り通報"), _cases),
    _Entry("outreach:visits", _("訪問"), _cases, also=("outreach/cases/",)),
    _Entry("outreach:events", _("地域づくり"), _community, also=("outreach/community/",)),
    _Entry("indicators:dashboard", _("成果指標"), _indicators),
    _Entry("returns:index", _("支援状況調査"), _returns),
    _Entry("casework:caseload", _("ケース点検"), _supervisor),
    _Entry("rights:list", _("開示等の請求"), _cases),
    _Entry("casework:access_log", _("アクセス記録"), _supervisor),
)


@dataclass(frozen=True)
class MenuItem:
    url: str
    label: str | Promise
    current: bool


def main_menu(request: HttpRequest, membership: StaffMembership | None) -> list[MenuItem]:
    """The entries `membership` sees, the one the request's page belongs to marked current."""
    if membership is None:
        return []
    entries = [e for e in _MENU if e.shown(membership)]
    prefix = get_script_prefix()
    path = request.path
    best, best_length = None, -1
    urls = {}
    for entry in entries:
        url = reverse(entry.url_name)
        urls[entry.url_name] = url
        candidates = [url] if entry.exact else [url, *(prefix + p for p in entry.also)]
        for candidate in candidates:
            matches = path == candidate if entry.exact else path.startswith(candidate)
            if matches and len(candidate) > best_length:
                best, best_length = entry, len(candidate)
    return [MenuItem(urls[e.url_name], e.label, e is best) for e in entries]
