"""Default deny: every page of every app sends an anonymous visitor to sign in, unless it
is one of the few that must work before signing in."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

# What works without signing in, by URL name.
# (security:factor is the sign-in's second step: without the password it sends to login.)
PUBLIC = {"login", "logout", "password_reset_link", "set_language", "healthz", "security:factor"}

SAMPLE = {"int": "1", "str": "x", "slug": "x", "path": "x/y", "uuid": "0" * 32}


def _walk(patterns, prefix="", namespace=""):
    for entry in patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry.url_patterns, route, ns)
        elif isinstance(entry, URLPattern):
            yield f"{namespace}{entry.name or ''}", route


def _url(route: str) -> str:
    def fill(match):
        converter = match.group(1) or "str"
        return SAMPLE.get(converter, "1")

    path = re.sub(r"<(?:(\w+):)?\w+>", fill, route)
    path = path.lstrip("^").rstrip("$").replace("\\Z", "")
    return "/" + path


def _app_pages():
    for name, route in _walk(get_resolver().url_patterns):
        if name.startswith("admin:") or route.startswith("admin/"):
            continue  # the admin has its own sign-in: tested below
        if "(?P<" in route or "\\" in route:
            continue  # regular-expression routes: none outside the admin
        yield name, _url(route)


def test_every_page_outside_the_public_few_sends_an_anonymous_visitor_to_sign_in(client, db):
    checked = 0
    for name, url in _app_pages():
        if name in PUBLIC:
            continue
        for method in (client.get, client.post):
            response = method(url)
            assert response.status_code == 302, (name, url, response.status_code)
            assert response["Location"].startswith("/accounts/login/?next="), (name, url)
        checked += 1
    # Every app's pages were walked, not only a handful.
    assert checked > 60


@pytest.mark.parametrize(("url", "status"), [("/accounts/login/", 200), ("/healthz", 200)])
def test_the_sign_in_page_and_the_health_check_answer_without_signing_in(client, db, url, status):
    assert client.get(url).status_code == status


def test_the_language_switch_works_on_the_sign_in_page(client, db):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/"
    assert client.get("/accounts/login/").headers["Content-Language"] == "en"


@pytest.mark.parametrize(
    "url", ["/admin/", "/admin/casework/case/", "/admin/auth/user/1/password-reset/"]
)
def test_the_admin_sends_an_anonymous_visitor_to_its_own_sign_in(client, db, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    # The admin's sign-in is the app's own login page (the second factor, the security log).
    response = client.get(response["Location"])
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")
    assert client.get(response["Location"]).status_code == 200


def test_the_admin_view_on_site_answers_404_to_everyone(client, db):
    assert client.get("/admin/r/1/1/").status_code == 404


def test_signing_out_after_the_session_lapsed_ends_on_the_sign_in_page(client, db):
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/"
