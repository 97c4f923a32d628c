"""An axe-core scan of every page of every role, in Debian's Chromium: no violation at all.

The world of the content test (tests/casework/leak_world.py) fills every URL pattern's ids
(tests/casework/page_walk.py). With the Django test client, fast, each member of the cast
and a system admin opens the pages; the first URL of each pattern that answers an HTML
page with 200 is kept per role (the same page for another id looks the same), with the
query strings that change what a list shows. The sign-in pages are scanned signed out.
Then Chromium opens each page signed in as that member and runs axe-core
(axe-playwright-python bundles it: nothing is fetched from outside) with its default
rules: WCAG 2.x A and AA and axe's best practices. Any violation, of any impact, fails.

The Django admin is in scope: it is the app's own master-data screen for the ward's IT
department and the agency admins, in Japanese, served by the app.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import User
from django.contrib.auth.tokens import default_token_generator
from django.test import Client
from django.urls import resolve, reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from casework.accounts import password_reset_issue
from casework.models import Role
from tests.casework.leak_world import build_world
from tests.casework.page_walk import EXTRA_QUERIES, targets
from tests.casework.test_access_matrix import MATRIX
from tests.factories import StaffFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# axe rules switched off, each with the reason. Empty: every default rule runs.
DISABLED_RULES: dict[str, str] = {}

# The cast has two members of most roles; a pattern one of them cannot open (a referral
# only the receiving side sees) is opened by the other.
ROLE_NAMES = {
    Role.CSW: "CSW",
    Role.CONSULTATION: "consultation worker",
    Role.SUPERVISOR: "supervisor",
    Role.AGENCY_ADMIN: "agency admin",
    Role.INDICATOR_OFFICER: "indicator officer",
}


@dataclass(frozen=True)
class Scan:
    member: str  # "" for a page opened signed out
    role: str
    pattern: str
    url: str
    lands: str = ""  # where the page sends the browser on (a one-time link), if anywhere


def _role(member: str, user: User) -> str:
    membership = getattr(user, "membership", None)
    if membership is not None:
        return ROLE_NAMES[membership.role]
    return "system admin" if user.is_superuser else "no agency"


def _is_admin(pattern: str) -> bool:
    return pattern.startswith("admin")


def _object(url: str) -> tuple[str, str] | None:
    """The app's object a URL names: (the URL's kind, its id), as the access matrix
    kinds its patterns; None for a page of no object or an admin page."""
    match = resolve(urlsplit(url).path)
    kind = MATRIX.get(match.view_name, (None,))[0]
    return (kind, match.kwargs["pk"]) if kind and "pk" in match.kwargs else None


def _is_page(response) -> bool:
    return response.status_code == 200 and response["Content-Type"].startswith("text/html")


def _reset_link(system_admin: User) -> str:
    """The one-time link a new worker receives to choose a password."""
    StaffFactory(username="newcomer", email="newcomer@example.jp", role=Role.CSW)
    newcomer = User.objects.get(username="newcomer")
    password_reset_issue(actor=system_admin, worker=newcomer, new_account=True)
    newcomer.refresh_from_db()
    return reverse(
        "password_reset_link",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(newcomer.pk)),
            "token": default_token_generator.make_token(newcomer),
        },
    )


@pytest.fixture
def scans(settings, cast, workflow, open_case) -> tuple[list[Scan], dict[str, str]]:
    """The pages to scan, and each member's session cookie. Made before the browser
    starts: the test body makes no ORM call."""
    settings.SESSION_SAVE_EVERY_REQUEST = False
    started = time.perf_counter()
    world = build_world(cast, workflow, open_case)
    built = time.perf_counter()
    by_pattern: dict[str, list] = {}
    for target in targets(world)[0]:
        by_pattern.setdefault(target.name, []).append(target)

    found: list[Scan] = []
    cookies: dict[str, str] = {}
    done: set[tuple[str, str]] = set()
    requests = 0
    for member, user in world.members.items():
        assert isinstance(user, User)
        role = _role(member, user)
        client = Client()
        client.force_login(user)
        unknown: set[tuple[str, str]] = set()
        for name, pattern_targets in by_pattern.items():
            # The admin is for staff: to anyone else it answers with its own sign-in page,
            # scanned signed out below.
            if (role, name) in done or (_is_admin(name) and not user.is_staff):
                continue
            for target in pattern_targets:
                thing = _object(target.url)
                if thing in unknown:
                    continue
                response = client.get(target.url)
                requests += 1
                if response.status_code == 404 and thing is not None:
                    # They may not know it exists: no other page of it opens for them.
                    unknown.add(thing)
                if not _is_page(response):
                    continue
                done.add((role, name))
                found.append(Scan(member, role, name, target.url))
                # Every query that changes what a list shows; one of the others (a search,
                # a form opened for one case).
                more = target.follow_ups if name in EXTRA_QUERIES else target.follow_ups[:1]
                for url in [*more, *target.once[:1]]:
                    requests += 1
                    if _is_page(client.get(url)):
                        found.append(Scan(member, role, name, url))
                break
        cookies[member] = client.cookies[django_settings.SESSION_COOKIE_NAME].value

    system_admin = world.members["system_admin"]
    assert isinstance(system_admin, User)
    signed_out = Client()
    for name, url in (
        ("login", reverse("login")),
        ("password_reset_link", _reset_link(system_admin)),
        ("admin:login", reverse("admin:login")),
    ):
        response = signed_out.get(url, follow=True)
        assert _is_page(response), url
        found.append(Scan("", "signed out", name, url, response.request["PATH_INFO"]))
    print(
        f"\naxe: world built in {built - started:.0f} s, {len(found)} pages found with the "
        f"test client in {requests} requests, {time.perf_counter() - built:.0f} s"
    )
    return found, cookies


def _violations(page, axe, scan: Scan) -> list[str]:
    options: dict = {"resultTypes": ["violations"]}
    if DISABLED_RULES:
        options["rules"] = {rule: {"enabled": False} for rule in DISABLED_RULES}
    results = axe.run(page, options=options).response
    where = f"{scan.role} ({scan.member or 'signed out'}) {scan.pattern} {unquote(scan.url)}"
    return [
        f"{where}: {v['id']} [{v['impact']}] " + "; ".join(_node(n) for n in v["nodes"])
        for v in results["violations"]
    ]


def _node(node: dict) -> str:
    """The element's selector, and for a contrast failure the colours and the ratio."""
    found = " ".join(node["target"])
    for check in node["any"]:
        data = check.get("data")
        if check["id"] == "color-contrast" and isinstance(data, dict):
            found += (
                f" ({data.get('fgColor')} on {data.get('bgColor')}: {data.get('contrastRatio')})"
            )
    return found


def test_no_page_of_any_role_has_an_axe_violation(live_server, scans, browser_page):
    from axe_playwright_python.sync_playwright import Axe

    pages, cookies = scans
    page, base, axe = browser_page, live_server.url, Axe()
    host = urlsplit(base).hostname
    started = time.perf_counter()
    found: list[str] = []
    signed_in_as = None
    for scan in pages:
        if scan.member != signed_in_as:
            page.context.clear_cookies()
            if scan.member:
                cookie = {"name": django_settings.SESSION_COOKIE_NAME, "path": "/"}
                cookie |= {"value": cookies[scan.member], "domain": host}
                page.context.add_cookies([cookie])
            signed_in_as = scan.member
        response = page.goto(base + scan.url)
        assert response is not None and response.status == 200, scan
        # The page itself, not a sign-in page it was sent to.
        assert urlsplit(page.url).path == urlsplit(scan.lands or scan.url).path, (scan, page.url)
        if scan.pattern == "password_reset_link":  # the link works: it asks for a password
            assert page.locator("main input[type=password]").count() == 2
        found += _violations(page, axe, scan)
    seconds = time.perf_counter() - started
    roles = sorted({scan.role for scan in pages})
    per_role = ", ".join(f"{r} {sum(s.role == r for s in pages)}" for r in roles)
    print(
        f"\naxe: {len(pages)} pages scanned ({len({(s.role, s.pattern) for s in pages})} "
        f"role x pattern: {per_role}) in {seconds:.0f} s; "
        f"{len(found)} violations"
    )
    assert {"CSW", "supervisor", "consultation worker", "agency admin"} <= set(roles)
    assert {"indicator officer", "system admin", "signed out"} <= set(roles)
    assert not found, f"{len(found)} axe violations:\n" + "\n".join(found)
