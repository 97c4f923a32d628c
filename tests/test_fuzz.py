"""Every URL of the project, fed control characters, huge values and wrong types: no 5xx.

The walk covers every URL pattern, the admin's included. Ids in a URL are filled with the
records the access matrix uses (tests/builders.py), built once for the module. Each URL is
tried signed in as a case worker and as a supervisor, as the roles its pages are for (the
receiving agency for referrals, the indicator officer, the system admin for the admin), and
anonymously where a page opens without a session:
- GET with every parameter its view reads (found in its source) and a generic set, all set
  to each bad value, and each parameter of the view alone set to the wrong types;
- POST to every form the page shows (fields found by parsing it): every field set to each bad
  value; then, the rest of the form valid, each text field with no maxlength filled past any
  sane length and each choice, number or date set to a wrong one, so that the value reaches
  the service and the database.

SQLite stores what PostgreSQL refuses, so the test makes the database as strict as
PostgreSQL: a NUL byte in a query parameter raises what psycopg2 raises (a ValueError, a
500), and saving a value longer than its column or outside its integer range a DataError.

The test client re-raises a view's exception: a failure shows the traceback, chained to
the request that caused it.
"""

from __future__ import annotations

import functools
import inspect
import itertools
import re
from html.parser import HTMLParser
from types import SimpleNamespace
from urllib.parse import urlencode, urlsplit

import pytest
from django.contrib import admin
from django.db import DataError, connection, models, transaction
from django.db.backends.base.operations import BaseDatabaseOperations
from django.db.models.signals import pre_save
from django.forms import BaseForm
from django.test import override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from tests import builders
from tests.casework.test_access_matrix import MATRIX
from tests.factories import UserFactory

# --- the values --------------------------------------------------------------------------

NUL = "\x00"
HUGE = "x" * 5000  # past every limit
LONG = "あ" * 1000  # the longest value a query string may carry
HUGE_INT = "9" * 30  # past a 64-bit integer
LIST = ["1", "x"]  # a repeated key
# Dealt out over the parameters of one request, one value each (see _spread).
CONTROLS = ["12\x0034", "\x01\x08\x1b[31m", "a\r\nb", "a\tb", "\x7f", "\x85\x9b", HUGE]
ODD = [
    LONG,
    "1.5",
    "",
    "0",
    str(2**63),
    "0001-01-01",
    "0001-01-01T00:00",
    "9999-12-31T23:59",
    "\ufffd",  # what an invalid UTF-8 byte decodes to
    "' OR 1=1 --",
    "../../../etc/passwd",
    "https://evil.example/",
]

# Refused by the input middleware before any view: sent once per URL. (Keys with control
# characters and too many parameters: tests/casework/test_input_limits.py.)
REFUSED = {"nul": NUL, "controls": CONTROLS}
# Values a browser can send, which the views themselves must answer: as the first role,
# then the part of them that differs most as each other role the page opens to.
WRONG = {"text": "abc", "negative": "-1", "huge_int": HUGE_INT, "list": LIST, "odd": ODD}
WRONG_AGAIN = ("huge_int", "list")
# Each parameter the view reads, alone (another's refusal must not hide it).
ALONE = {"text": "abc", "huge_int": HUGE_INT}

# Every visible field of a form at once, the hidden ones as the page sent them.
FORM_VALUES = {"nul": NUL, "huge": HUGE, **WRONG}
# The hidden fields too (formset counts, ids). Not a huge count for the admin's inlines:
# Django builds up to 1,000 forms for it (seconds, no error), which is Django's to cap.
HIDDEN_VALUES = {"text": "abc", "huge_int": HUGE_INT}
ADMIN_HIDDEN_VALUES = {"text": "abc"}
# One field, the rest of the form valid (so the value reaches the service), by its kind.
FIELD_VALUES = {
    "long": {"huge": HUGE},
    "number": {"huge_int": HUGE_INT},
    "date": {"date_min": "0001-01-01"},
    "datetime-local": {"datetime_min": "0001-01-01T00:00"},
    "choice": {"huge_int": HUGE_INT, "list": LIST},
}
# A role that meets a form already tried, or a URL with no form: a few values.
LIGHT = {"nul": NUL, "list": LIST}

# Read by many views, or by none yet: sent to every URL.
GENERIC_PARAMS = {
    "q",
    "page",
    "district",
    "status",
    "worker",
    "metric",
    "date_from",
    "date_to",
    "fy",
    "n",
    "format",
    "next",
    "scope",
    "case",
    "person",
    "member",
    "household_for",
    "all",
    "id",
    # the admin's changelist and popups
    "o",
    "p",
    "e",
    "_to_field",
    "_popup",
    "_changelist_filters",
}

# --- the roles ---------------------------------------------------------------------------

ROLES = ("csw_a", "supervisor_a")
# Pages meant for other roles, so that their forms are reached too. The admin is only for
# the system admin (others are sent to its login page, fuzzed as admin:login).
EXTRA_ROLES = {
    "referrals:": ("supervisor_b",),
    "indicators:": ("indicator_officer",),
}
ADMIN_ROLES = ("system_admin",)
ANONYMOUS_PAGES = {"login", "logout", "set_language", "healthz", "admin:login"}

# POST-only URLs: the page whose form posts to them.
FORM_HOSTS = {
    "casework:plan_submit": ("casework:plan_detail", "plan"),
    "casework:plan_approve": ("casework:plan_detail", "plan"),
    "casework:notifications_read": ("casework:notifications", None),
    "indicators:compute": ("indicators:dashboard", None),
    "indicators:snapshot_approve": ("indicators:snapshot", None),
    "logout": ("casework:my_cases", None),
    "set_language": ("login", None),
}
# Indicator pages that name a snapshot by its fiscal year and version.
SNAPSHOT_PAGES = {
    "indicators:snapshot",
    "indicators:export_csv",
    "indicators:export_xlsx",
    "indicators:snapshot_approve",
}


# --- the URLs ----------------------------------------------------------------------------


def _patterns(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            namespace = f"{prefix}{entry.namespace}:" if entry.namespace else prefix
            yield from _patterns(entry, namespace)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{prefix}{entry.name}", entry


ALL_PATTERNS = dict(_patterns())


def _admin_model(url_name: str):
    """The model of an admin URL: admin:<app label>_<model name>_<view>."""
    for model in admin.site._registry:
        if url_name.startswith(f"admin:{model._meta.app_label}_{model._meta.model_name}_"):
            return model
    return None


# Admin URLs whose arguments are not a record of a registered model.
ADMIN_ARGUMENTS = {
    "admin:view_on_site": {"content_type_id": 1, "object_id": 1},
    "admin:app_list": {"app_label": "casework"},
    "admin_view_on_site_disabled": {"content_type_id": 1, "object_id": 1},
    "password_reset_link": {"uidb64": "MQ", "token": "x-y"},
}


def _url(url_name: str, records: dict) -> str:
    if url_name in ADMIN_ARGUMENTS:
        return reverse(url_name, kwargs=ADMIN_ARGUMENTS[url_name])
    converters = set(ALL_PATTERNS[url_name].pattern.converters)
    if not converters:
        return reverse(url_name)
    if url_name in MATRIX:
        return reverse(url_name, kwargs={"pk": records[MATRIX[url_name][0]].pk})
    model = _admin_model(url_name) if url_name.startswith("admin:") else None
    if model is not None and len(converters) == 1:
        obj = model._default_manager.order_by("pk").first()
        return reverse(url_name, args=[obj.pk if obj else 1])
    raise AssertionError(f"the fuzz test does not know how to fill the URL {url_name}")


# --- the GET parameters each view reads ---------------------------------------------------

_GET_KEY = re.compile(r"""request\.GET(?:\.get(?:list)?\(|\[)\s*["'](\w+)["']""")
_GET_FORM = re.compile(r"""(\w+)\(\s*request\.GET""")


def view_params(url_name: str) -> set[str]:
    """The GET parameters the view's source reads, and the fields of forms bound to GET."""
    callback = ALL_PATTERNS[url_name].callback
    function = inspect.unwrap(getattr(callback, "view_class", callback))
    try:
        source = inspect.getsource(function)
    except (OSError, TypeError):
        return set()
    found = set(_GET_KEY.findall(source))
    namespace = getattr(inspect.getmodule(function), "__dict__", {})
    for name in _GET_FORM.findall(source):
        form_class = namespace.get(name)
        if isinstance(form_class, type) and issubclass(form_class, BaseForm):
            found |= set(form_class.base_fields)
    return found


# --- the forms on a page ------------------------------------------------------------------


class _Forms(HTMLParser):
    """The POST forms of a page: their action and fields, each with a value that fits it
    (so that the form as found is valid), the kind of each field, the hidden ones, and the
    text fields that set no maxlength."""

    def __init__(self, page_path: str):
        super().__init__(convert_charrefs=True)
        self.page_path = page_path
        self.forms: list[dict] = []
        self._form: dict | None = None
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            if (a.get("method") or "get").lower() == "post":
                self._form = {
                    "action": urlsplit(a.get("action") or self.page_path).path,
                    "fields": {},
                    "kinds": {},
                    "hidden": {},
                    "long": set(),
                }
                self.forms.append(self._form)
            return
        if self._form is None:
            return
        fields, kinds = self._form["fields"], self._form["kinds"]
        chosen = fields.get(self._select) is None or "selected" in a
        if tag == "option" and self._select and a.get("value") and chosen:
            fields[self._select] = a["value"]
        name = a.get("name")
        if not name:
            return
        kind = (a.get("type") or "text").lower() if tag == "input" else tag
        if tag == "input":
            if kind in ("checkbox", "radio"):
                kinds[name] = "choice"
                if "checked" in a or name not in fields:
                    fields[name] = a.get("value", "on")
            elif kind == "hidden":
                kinds[name] = "choice"
                fields[name] = self._form["hidden"][name] = a.get("value", "")
            elif kind in ("submit", "image"):
                fields.setdefault(name, a.get("value", ""))
            elif kind not in ("button", "reset", "file"):
                kinds[name] = kind
                fields[name] = a.get("value") or _filler(kind)
                if "maxlength" not in a and kind in ("text", "search", "tel", "email", "url"):
                    self._form["long"].add(name)
        elif tag == "button" and (a.get("type") or "submit") == "submit":
            fields.setdefault(name, a.get("value", ""))
        elif tag == "select":
            kinds[name] = "choice"
            self._select = name
            fields.setdefault(name, None)
        elif tag == "textarea":
            kinds[name] = "textarea"
            self._textarea = name
            fields[name] = ""
            if "maxlength" not in a:
                self._form["long"].add(name)

    def handle_data(self, data):
        if self._form is not None and self._textarea:
            self._form["fields"][self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea" and self._form is not None and self._textarea:
            fields = self._form["fields"]
            fields[self._textarea] = fields[self._textarea].strip() or "テスト"
            self._textarea = None


def _filler(kind: str) -> str:
    """A value an input of this type accepts, so that the rest of a form is valid."""
    today = timezone.localdate()
    return {
        "date": today.isoformat(),
        "datetime-local": f"{today.isoformat()}T10:00",
        "time": "10:00",
        "number": "1",
        "email": "tsunagu@example.jp",
        "url": "https://example.jp/",
        "tel": "03-1234-5678",
    }.get(kind, "テスト")


def forms_on(content: bytes, page_path: str, action: str | None = None) -> list[dict]:
    parser = _Forms(page_path)
    parser.feed(content.decode("utf-8", "replace"))
    forms = parser.forms if action is None else [f for f in parser.forms if f["action"] == action]
    for form in forms:
        form["fields"] = {k: v for k, v in form["fields"].items() if v is not None}
    return forms


# --- a database as strict as PostgreSQL --------------------------------------------------


def _refuse_nul(execute, sql, params, many, context):
    rows = list(params or ()) if many else [params or ()]
    for row in rows:
        for value in row.values() if isinstance(row, dict) else row:
            if isinstance(value, str) and NUL in value:
                # What psycopg2 raises for such a parameter: no DatabaseError, so a 500.
                raise ValueError("A string literal cannot contain NUL (0x00) characters.")
    return execute(sql, rows if many else params, many, context)


def _refuse_what_postgresql_refuses(sender, instance, raw=False, **kwargs):
    for field in sender._meta.concrete_fields:
        value = getattr(instance, field.attname, None)
        limit = field.max_length if isinstance(field, models.CharField) else None
        if limit and isinstance(value, str) and len(value) > limit:
            raise DataError(
                f"value too long for type character varying({limit}): "
                f"{sender.__name__}.{field.name}"
            )
        bounds = BaseDatabaseOperations.integer_field_ranges.get(field.get_internal_type())
        if bounds and isinstance(value, int) and not bounds[0] <= value <= bounds[1]:
            raise DataError(f"integer out of range: {sender.__name__}.{field.name}")


@pytest.fixture
def strict_database():
    pre_save.connect(_refuse_what_postgresql_refuses, dispatch_uid="fuzz-strict")
    try:
        with connection.execute_wrapper(_refuse_nul):
            yield
    finally:
        pre_save.disconnect(dispatch_uid="fuzz-strict")


# --- the records, once for the module -----------------------------------------------------


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The cast and one record of every kind, built once inside a transaction that is rolled
    back after the module; each test runs in a savepoint within it (what Django's
    TestCase.setUpTestData does), so the walk does not rebuild them for every URL."""
    from indicators import services as indicator_services

    with django_db_blocker.unblock(), transaction.atomic():
        with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
            cast = builders.build_cast()
            case = builders.shared_case(cast, functools.partial(builders.open_case, cast))
            records = builders.records_of_every_kind(cast, case, builders.Workflow(cast))
            snapshot = indicator_services.snapshot_compute(
                actor=cast.indicator_officer, fiscal_year=2024
            )
            users = {
                **cast.roles(),
                "system_admin": UserFactory(
                    username="system_admin", is_staff=True, is_superuser=True
                ),
            }
        yield SimpleNamespace(cast=cast, records=records, users=users, snapshot=snapshot)
        transaction.set_rollback(True)


# --- the walk ----------------------------------------------------------------------------


def _roles(url_name: str) -> list[str | None]:
    roles: list[str | None] = list(ADMIN_ROLES if url_name.startswith("admin:") else ROLES)
    for prefix, extra in EXTRA_ROLES.items():
        if url_name.startswith(prefix):
            roles += extra
    if url_name in ANONYMOUS_PAGES:
        roles.append(None)
    return roles


def _spread(names, value) -> dict:
    """Every name set to `value`; a list of values (but LIST, a repeated key) is dealt out
    over the names in turn, so that each request carries each value once or more."""
    if isinstance(value, list) and value is not LIST:
        return dict(zip(names, itertools.cycle(value), strict=False))
    return dict.fromkeys(names, value)


def _send(client, method: str, url: str, data=None, *, label: str):
    try:
        if isinstance(data, str):
            response = getattr(client, method)(f"{url}{'&' if '?' in url else '?'}{data}")
        else:
            response = getattr(client, method)(url, data or {})
    except Exception as error:
        raise AssertionError(f"{method.upper()} {url} {label}: {data!r:.300}") from error
    assert response.status_code < 500, (method, url, label, repr(data)[:300])
    return response


def _fuzz_get(client, url: str, base: dict, params: set[str], own: set[str], *, first: bool):
    names = sorted(params - set(base))
    if first:
        for label, value in REFUSED.items():
            _send(client, "get", url, {**base, **_spread(names, value)}, label=label)
    for label, value in WRONG.items():
        if first or label in WRONG_AGAIN:
            _send(client, "get", url, {**base, **_spread(names, value)}, label=label)
    if first:
        for name in sorted(own - set(base)):
            for label, value in ALONE.items():
                _send(client, "get", url, {**base, name: value}, label=f"{name}={label}")


def _fuzz_form(client, url: str, form: dict, *, thorough: bool, per_field: bool):
    fields, hidden = form["fields"], form["hidden"]
    visible = sorted(set(fields) - set(hidden))
    for label, value in (FORM_VALUES if thorough else LIGHT).items():
        _send(client, "post", url, {**fields, **_spread(visible, value)}, label=label)
    if not thorough:
        return
    for label, value in (HIDDEN_VALUES if per_field else ADMIN_HIDDEN_VALUES).items():
        _send(client, "post", url, _spread(sorted(fields), value), label=f"all {label}")
    _send(client, "post", url, {**fields, NUL: "1"}, label="nul key")
    if not per_field:
        return
    # One field at a time, the rest valid: the value reaches the service and the database.
    # The first row of a formset stands for the others.
    for name in sorted(fields):
        if name == "csrfmiddlewaretoken" or re.search(r"-([1-9]\d*|__prefix__)-", name):
            continue
        kind = "long" if name in form["long"] else form["kinds"].get(name)
        for label, value in FIELD_VALUES.get(kind, {}).items():
            _send(client, "post", url, {**fields, name: value}, label=f"{name}={label}")


def _forms_for(client, url_name: str, url: str, page, base: dict, records: dict) -> list[dict]:
    """The forms that post to `url`: on its own page, or on the page that holds them."""
    host, host_path = page, url
    if url_name in FORM_HOSTS:
        host_name, kind = FORM_HOSTS[url_name]
        host_path = reverse(host_name, kwargs={"pk": records[kind].pk} if kind else None)
        host = _send(client, "get", host_path, base, label="host page")
    if host.status_code != 200 or "html" not in host.get("Content-Type", ""):
        return []
    return forms_on(host.content, host_path, action=urlsplit(url).path)


def fuzz_url(client, world, url_name: str) -> int:
    """Fuzz one URL as each of its roles; the number of forms found."""
    records = world.records
    url = _url(url_name, records)
    base = {}
    if url_name in SNAPSHOT_PAGES:
        base = {"fy": world.snapshot.fiscal_year, "n": world.snapshot.number}
    own = view_params(url_name)
    params = GENERIC_PARAMS | own
    post_url = f"{url}?{urlencode(base)}" if base else url
    in_admin = url_name.startswith("admin:")
    seen_forms: set[tuple] = set()
    for index, role in enumerate(_roles(url_name)):
        client.logout()
        if role is not None:
            client.force_login(world.users[role])
        page = _send(client, "get", url, base, label="plain")
        # Every GET as the first role; the others, where the page opens to them.
        if index == 0 or page.status_code == 200:
            _fuzz_get(client, url, {}, params, own, first=index == 0)
            if base:
                _fuzz_get(client, url, base, params, own, first=index == 0)
        forms = _forms_for(client, url_name, url, page, base, records)
        for form in forms:
            # The first role that reaches a form tries it all; the others, a few values.
            signature = (form["action"], tuple(sorted(form["fields"])))
            thorough = signature not in seen_forms
            _fuzz_form(client, post_url, form, thorough=thorough, per_field=not in_admin)
            seen_forms.add(signature)
        if not forms and index == 0:
            # A POST of the generic names, whatever the page shows.
            data = _spread(sorted(params), [NUL, HUGE_INT, "-1", "abc"])
            _send(client, "post", post_url, data, label="generic")
    return len(seen_forms)


@pytest.mark.parametrize("url_name", sorted(ALL_PATTERNS))
def test_no_bad_input_ends_in_a_server_error(world, db, client, strict_database, url_name):
    fuzz_url(client, world, url_name)


def test_the_walk_finds_the_forms(world, db, client):
    """The fuzzing is only as good as the forms it finds."""
    client.force_login(world.cast.csw_a)
    for url_name in ("casework:contact_add", "casework:case_open", "referrals:send"):
        url = _url(url_name, world.records)
        (form,) = forms_on(client.get(url).content, url, action=url)
        assert len(form["fields"]) > 3, (url_name, form)


def test_a_form_as_the_walk_fills_it_is_valid(world, db, client):
    """So the one-field-at-a-time values really reach the service."""
    url = _url("casework:contact_add", world.records)
    client.force_login(world.cast.csw_a)
    (form,) = forms_on(client.get(url).content, url, action=url)
    before = _counts()["ContactRecord"]
    assert client.post(url, form["fields"]).status_code == 302
    assert _counts()["ContactRecord"] == before + 1


def test_the_strict_database_refuses_what_postgresql_refuses(world, db, strict_database):
    from casework.models import District

    with pytest.raises(ValueError, match="NUL"):
        District.objects.filter(code=NUL).exists()
    district = District.objects.get(code="central")
    district.name = HUGE
    with pytest.raises(DataError, match="too long"):
        district.save()


# --- refused input changes nothing --------------------------------------------------------


def _counts() -> dict[str, int]:
    from casework import models as casework_models
    from outreach import models as outreach_models
    from referrals import models as referral_models

    tables = [
        casework_models.Case,
        casework_models.Person,
        casework_models.ContactRecord,
        casework_models.Consent,
        casework_models.Meeting,
        casework_models.ClosureRequest,
        referral_models.Referral,
        outreach_models.WatchReport,
    ]
    return {model.__name__: model._default_manager.count() for model in tables}


REPRESENTATIVE_FORMS = {
    "casework:contact_add": "case",
    "casework:case_open": None,
    "casework:consent_new": "person",
    "casework:meeting_new": None,
    "referrals:send": "case",
    "outreach:report_new": None,
}


@pytest.mark.parametrize("url_name", sorted(REPRESENTATIVE_FORMS))
def test_refused_post_changes_nothing(world, db, client, strict_database, url_name):
    kind = REPRESENTATIVE_FORMS[url_name]
    url = reverse(url_name, kwargs={"pk": world.records[kind].pk} if kind else None)
    client.force_login(world.cast.csw_a)
    (form,) = forms_on(client.get(url).content, url, action=url)
    visible = sorted(set(form["fields"]) - set(form["hidden"]))
    before = _counts()
    for label in ("nul", "huge", "text", "huge_int", "odd", "list"):
        data = {**form["fields"], **_spread(visible, FORM_VALUES[label])}
        response = _send(client, "post", url, data, label=label)
        assert response.status_code == 200, (label, response.status_code)
        assert _counts() == before, label
    response = _send(client, "post", url, {**form["fields"], NUL: "1"}, label="nul key")
    assert response.status_code == 400
    assert _counts() == before
