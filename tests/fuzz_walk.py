"""The walk of tests/test_fuzz.py: the bad values, the roles each URL is tried as, the
URLs with their ids filled, the GET parameters a view reads, the forms a page shows, a
database as strict as PostgreSQL, and the fuzzing of one URL as each of its roles."""

from __future__ import annotations

import inspect
import itertools
import re
from html.parser import HTMLParser
from urllib.parse import urlencode, urlsplit

from django.contrib import admin
from django.db import DataError, models
from django.db.backends.base.operations import BaseDatabaseOperations
from django.forms import BaseForm
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from tests.casework.test_access_matrix import MATRIX

# --- the values --------------------------------------------------------------------------

NUL = "\x00"
HUGE = "x" * 5000  # past every limit
LONG = "あ" * 1000  # the longest value a query string may carry
HUGE_INT = "9" * 30  # past a 64-bit integer
LIST = ["1", "x"]  # a repeated key
# Dealt out over the parameters of one request, one value each (see spread).
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
# Pages that open to none of ROLES, with the roles they are for tried first: the first role
# gets the thorough GET fuzzing, which a 403 would stop at the door. The national return:
# a 自立相談支援機関's supervisor (their agency's) and the indicator officer (the ward's).
LEAD_ROLES = {
    "returns:": ("supervisor_j", "indicator_officer"),
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
    "returns:compute": ("returns:index", None),
    "returns:snapshot_approve": ("returns:snapshot", None),
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
# Pages of the national return that name a version by its fiscal year and number (each
# reader's own scope: the world's return has a twin of the same year and number for the
# agency's supervisor and for the ward), with the other parameters that open them.
RETURN_PAGES: dict[str, dict[str, str]] = {
    "returns:snapshot": {},
    "returns:export_csv": {},
    "returns:export_xlsx": {},
    "returns:snapshot_approve": {},
    "returns:drill": {"item": "R01"},
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
    # An account (the system admin's factor reset): the first, or a 404.
    "security:factor_reset": {"user_id": 1},
    "admin:view_on_site": {"content_type_id": 1, "object_id": 1},
    "admin:app_list": {"app_label": "casework"},
    "admin_view_on_site_disabled": {"content_type_id": 1, "object_id": 1},
    "password_reset_link": {"uidb64": "MQ", "token": "x-y"},
}


def url_for(url_name: str, records: dict) -> str:
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


def refuse_nul(execute, sql, params, many, context):
    rows = list(params or ()) if many else [params or ()]
    for row in rows:
        for value in row.values() if isinstance(row, dict) else row:
            if isinstance(value, str) and NUL in value:
                # What psycopg2 raises for such a parameter: no DatabaseError, so a 500.
                raise ValueError("A string literal cannot contain NUL (0x00) characters.")
    return execute(sql, rows if many else params, many, context)


def refuse_what_postgresql_refuses(sender, instance, raw=False, **kwargs):
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


# --- the walk ----------------------------------------------------------------------------


def _roles(url_name: str) -> list[str | None]:
    roles: list[str | None] = list(ADMIN_ROLES if url_name.startswith("admin:") else ROLES)
    for prefix, lead in LEAD_ROLES.items():
        if url_name.startswith(prefix):
            roles = [*lead, *roles]
    for prefix, extra in EXTRA_ROLES.items():
        if url_name.startswith(prefix):
            roles += extra
    if url_name in ANONYMOUS_PAGES:
        roles.append(None)
    return roles


def spread(names, value) -> dict:
    """Every name set to `value`; a list of values (but LIST, a repeated key) is dealt out
    over the names in turn, so that each request carries each value once or more."""
    if isinstance(value, list) and value is not LIST:
        return dict(zip(names, itertools.cycle(value), strict=False))
    return dict.fromkeys(names, value)


def send(client, method: str, url: str, data=None, *, label: str):
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
            send(client, "get", url, {**base, **spread(names, value)}, label=label)
    for label, value in WRONG.items():
        if first or label in WRONG_AGAIN:
            send(client, "get", url, {**base, **spread(names, value)}, label=label)
    if first:
        for name in sorted(own - set(base)):
            for label, value in ALONE.items():
                send(client, "get", url, {**base, name: value}, label=f"{name}={label}")


def _fuzz_form(client, url: str, form: dict, *, thorough: bool, per_field: bool):
    fields, hidden = form["fields"], form["hidden"]
    visible = sorted(set(fields) - set(hidden))
    for label, value in (FORM_VALUES if thorough else LIGHT).items():
        send(client, "post", url, {**fields, **spread(visible, value)}, label=label)
    if not thorough:
        return
    for label, value in (HIDDEN_VALUES if per_field else ADMIN_HIDDEN_VALUES).items():
        send(client, "post", url, spread(sorted(fields), value), label=f"all {label}")
    send(client, "post", url, {**fields, NUL: "1"}, label="nul key")
    if not per_field:
        return
    # One field at a time, the rest valid: the value reaches the service and the database.
    # The first row of a formset stands for the others.
    for name in sorted(fields):
        if name == "csrfmiddlewaretoken" or re.search(r"-([1-9]\d*|__prefix__)-", name):
            continue
        kind = "long" if name in form["long"] else form["kinds"].get(name)
        for label, value in FIELD_VALUES.get(kind, {}).items():
            send(client, "post", url, {**fields, name: value}, label=f"{name}={label}")


def _forms_for(client, url_name: str, url: str, page, base: dict, records: dict) -> list[dict]:
    """The forms that post to `url`: on its own page, or on the page that holds them."""
    host, host_path = page, url
    if url_name in FORM_HOSTS:
        host_name, kind = FORM_HOSTS[url_name]
        host_path = reverse(host_name, kwargs={"pk": records[kind].pk} if kind else None)
        host = send(client, "get", host_path, base, label="host page")
    if host.status_code != 200 or "html" not in host.get("Content-Type", ""):
        return []
    return forms_on(host.content, host_path, action=urlsplit(url).path)


def fuzz_url(client, world, url_name: str) -> int:
    """Fuzz one URL as each of its roles; the number of forms found."""
    records = world.records
    url = url_for(url_name, records)
    base = {}
    if url_name in SNAPSHOT_PAGES:
        base = {"fy": world.snapshot.fiscal_year, "n": world.snapshot.number}
    elif url_name in RETURN_PAGES:
        version = world.return_snapshot
        base = {"fy": version.fiscal_year, "n": version.number, **RETURN_PAGES[url_name]}
    own = view_params(url_name)
    params = GENERIC_PARAMS | own
    post_url = f"{url}?{urlencode(base)}" if base else url
    in_admin = url_name.startswith("admin:")
    seen_forms: set[tuple] = set()
    for index, role in enumerate(_roles(url_name)):
        client.logout()
        if role is not None:
            client.force_login(world.users[role])
        page = send(client, "get", url, base, label="plain")
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
            data = spread(sorted(params), [NUL, HUGE_INT, "-1", "abc"])
            send(client, "post", post_url, data, label="generic")
    return len(seen_forms)
