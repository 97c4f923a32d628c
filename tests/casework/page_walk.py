"""The walk the content test and the access-log test share: every member of the cast,
and a system admin, opens every page of the project: every URL pattern (the admin's too),
its ids filled with every object of the world of the URL's kind
(tests/casework/leak_world.py), the pages named by a query string with the world's
(World.queries: a return's year and version), the pages without an id, the searches for
each person's name, and the query strings that change whom a list shows. For each page
that answered 200 it keeps which strings of which person it showed and the access-log rows
it wrote."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from casework.models import AccessLog, Person
from tests.casework.leak_world import IDENTITY, PEOPLE, World, build_world
from tests.casework.test_access_matrix import MATRIX

# --- every page of the project --------------------------------------------------------------

# URL patterns not walked, and why. Every other pattern with parameters is filled below, and
# a new one that is not fails the tests.
NOT_WALKED = {
    # A one-time link for one account's new password: it shows no person.
    "password_reset_link",
}
# Lists and forms whose query string changes whom they show, opened with it too.
EXTRA_QUERIES: dict[str, list[dict]] = {
    "casework:my_cases": [{"scope": "shared"}, {"scope": "agency"}],
    "outreach:reports": [{"all": "1"}, {"district": "north", "all": "1"}],
    "casework:caseload_worker": [
        {"metric": m} for m in ("recent_contacts", "no_contact", "monitoring_overdue", "awaiting")
    ],
}
# Forms that find whom they offer by a search box (its field): searched for each person's
# name, on the first page of the pattern a member may open.
SEARCH_FORMS = {"casework:meeting_new": "case_query", "outreach:report_link": "q"}
# Walked after every other page of every member, when the log holds every read.
LAST = {"casework:access_log"}


def typed(text: str) -> str:
    """A name as a worker may type it into a search box, with a space after the first two
    characters: the search ignores spaces, so it finds the person, while the search box and
    the access log's 検索語, which show what was typed, are not taken for the name itself."""
    return f"{text[:2]} {text[2:]}"


def _patterns(resolver=None, prefix="") -> Iterator[tuple[str, tuple[str, ...]]]:
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            namespace = f"{prefix}{entry.namespace}:" if entry.namespace else prefix
            yield from _patterns(entry, namespace)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{prefix}{entry.name}", tuple(sorted(entry.pattern.regex.groupindex))


def _admin_models() -> dict[str, type]:
    """admin:<app>_<model>_<view> -> the model whose id the URL takes."""
    found = {}
    for model in admin.site._registry:
        opts = model._meta
        for view in ("change", "delete", "history", "password_change", "password_reset"):
            found[f"admin:{opts.app_label}_{opts.model_name}_{view}"] = model
    return found


def _admin_searches() -> set[str]:
    return {
        f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist"
        for model, model_admin in admin.site._registry.items()
        if model_admin.search_fields
    }


def _query(url: str, **params) -> str:
    return f"{url}?{urlencode(params)}"


@dataclass
class Target:
    name: str
    url: str
    # The same page with a query string, opened where `url` answered 200.
    follow_ups: list[str] = field(default_factory=list)
    # Opened only for the first URL of the pattern that answered 200 (the same page
    # for another id adds nothing but time).
    once: list[str] = field(default_factory=list)


def _urls(name: str, params: tuple[str, ...], world: World, kinds, admin_models):
    """(the object the URL names, the URL) for every object of the pattern's kind."""
    if not params:
        return [(None, reverse(name))]
    if params == ("pk",) and kinds.get(name) in world.objects:
        return [(o, reverse(name, kwargs={"pk": o.pk})) for o in world.objects[kinds[name]]]
    if params in (("object_id",), ("id",)) and name in admin_models:
        ids = admin_models[name]._default_manager.order_by("pk").values_list("pk", flat=True)
        return [(pk, reverse(name, kwargs={params[0]: pk})) for pk in ids]
    if params == ("user_id",):
        # An account's page (the system admin's factor reset): every account of the world.
        users = get_user_model()._default_manager.order_by("pk")
        return [(u, reverse(name, kwargs={"user_id": u.pk})) for u in users]
    if params == ("app_label",):
        labels = sorted({m._meta.app_label for m in admin.site._registry})
        return [(label, reverse(name, kwargs={"app_label": label})) for label in labels]
    if params == ("content_type_id", "object_id"):
        # The admin's "view on site" redirect: 404 for every id, so one person will do.
        person = world.objects["person"][0]
        kind = ContentType.objects.get_for_model(Person).pk
        url = reverse(name, kwargs={"content_type_id": kind, "object_id": person.pk})
        return [(person, url)]
    return None


def targets(world: World) -> tuple[list[Target], list[str]]:
    """Every page to open, and the URL patterns whose parameters nothing here fills."""
    kinds = {name: kind for name, (kind, _method, _expected) in MATRIX.items()}
    admin_models = _admin_models()
    admin_searches = _admin_searches()
    persons = world.objects["person"]
    found: list[Target] = []
    unfilled: list[str] = []
    seen: set[str] = set()
    for name, params in _patterns():
        if name in seen or name in NOT_WALKED:
            continue
        seen.add(name)
        if name in world.queries:
            # A page named by its query string (a return's year and version): opened with it.
            urls = [(None, _query(reverse(name), **q)) for q in world.queries[name]]
        else:
            urls = _urls(name, params, world, kinds, admin_models)
        if urls is None:
            unfilled.append(name)
            continue
        for named, url in urls:
            target = Target(name, url, [_query(url, **q) for q in EXTRA_QUERIES.get(name, [])])
            if name == "casework:person_search":
                target.follow_ups += [_query(url, q=typed(p.name)) for p in PEOPLE.values()]
                target.once += [_query(url, q="漏洩", household_for=p.pk) for p in persons]
            if name in SEARCH_FORMS:
                field = SEARCH_FORMS[name]
                target.once += [_query(url, **{field: typed(p.name)}) for p in PEOPLE.values()]
            if name in admin_searches:
                # Master data only: one search shows that a person's name finds nothing.
                target.follow_ups.append(_query(url, q=typed(PEOPLE["assigned"].name)))
            if name == "casework:household_add":
                target.once += [_query(url, member=p.pk) for p in persons if p != named]
            if name == "casework:meeting_new":
                target.follow_ups += [_query(url, case=c.pk) for c in world.cases.values()]
            if name == "casework:access_log":
                target.follow_ups += [_query(url, case=c.pk) for c in world.cases.values()]
                target.follow_ups += [_query(url, person=p.pk) for p in persons]
            found.append(target)
    return found, unfilled


@dataclass(frozen=True)
class Row:
    """An access-log row as the tests read it."""

    action: str
    person_id: int | None
    case_id: int | None
    person_ids: str
    case_ids: str
    detail: str


@dataclass(frozen=True)
class Page:
    """A page that answered 200: who opened it, and what of the world's people it showed."""

    member: str
    name: str
    url: str
    shown: frozenset[tuple[str, str]]  # (person key, which of their strings)
    rows: tuple[Row, ...]  # the access-log rows the request wrote, oldest first

    def names(self) -> set[str]:
        return {key for key, what in self.shown if what == "name"}

    def persons(self) -> set[str]:
        """Whom the page shows by their name, kana, phone or address."""
        return {key for key, what in self.shown if what in IDENTITY}


def _last_log_id() -> int:
    # Plain SQL: asked before each of thousands of requests, the ORM's query would cost more.
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT MAX(id) FROM {AccessLog._meta.db_table}")
        return cursor.fetchone()[0] or 0


def _open(client, member: str, name: str, url: str) -> tuple[int, Page | None]:
    before = _last_log_id()
    response = client.get(url)
    if response.status_code != 200:
        return response.status_code, None
    content = b"".join(response.streaming_content) if response.streaming else response.content
    shown = frozenset(
        (key, what)
        for key, someone in PEOPLE.items()
        for what, text in someone.strings().items()
        if text.encode() in content
    )
    rows = tuple(
        Row(r.action, r.person_id, r.case_id, r.person_ids, r.case_ids, r.detail)
        for r in AccessLog.objects.filter(pk__gt=before).order_by("pk")
    )
    return 200, Page(member, name, url, shown, rows)


@dataclass
class Walk:
    world: World
    unfilled: list[str]
    pages: list[Page]  # those that answered 200
    requests: int = 0
    seconds: float = 0.0
    cpu_seconds: float = 0.0

    def summary(self) -> str:
        return (
            f"{self.requests} requests, {len(self.pages)} answered 200, "
            f"{self.seconds:.0f} s ({self.cpu_seconds:.0f} s of CPU)"
        )


def _walk(client, world: World) -> Walk:
    """GET every page as every member; the access log last, once every read is in it."""
    started, cpu = time.perf_counter(), time.process_time()
    pages, unfilled = targets(world)
    walk = Walk(world, unfilled, [])

    def get(member: str, name: str, url: str) -> bool:
        status, page = _open(client, member, name, url)
        walk.requests += 1
        if page is not None:
            walk.pages.append(page)
        return status == 200

    for last in (False, True):
        for member, user in world.members.items():
            client.force_login(user)
            done_once: set[str] = set()
            for target in pages:
                if (target.name in LAST) != last or not get(member, target.name, target.url):
                    continue
                more = list(target.follow_ups)
                if target.name not in done_once:
                    done_once.add(target.name)
                    more += target.once
                for url in more:
                    get(member, target.name, url)
    walk.seconds = time.perf_counter() - started
    walk.cpu_seconds = time.process_time() - cpu
    return walk


_WALKS: list[Walk] = []


def walk_once(client, settings, cast, workflow, open_case) -> Walk:
    """The walk is the slow part (thousands of requests): the content test and the access-log
    test read the same one, made by whichever of them runs first in the session. It keeps
    only what they check (which strings each page showed, which rows it wrote), so it stays
    true after the world's rows are rolled back."""
    if not _WALKS:
        world = build_world(cast, workflow, open_case)
        request_log = logging.getLogger("django.request")
        level = request_log.level
        request_log.setLevel(logging.ERROR)  # thousands of expected 403s and 404s
        # Renewing the session on every request is for the idle timeout: not what this
        # walk looks at, and a tenth of its time.
        settings.SESSION_SAVE_EVERY_REQUEST = False
        try:
            _WALKS.append(_walk(client, world))
        finally:
            request_log.setLevel(level)
    return _WALKS[0]
