"""Every URL that takes a case or person id, for every member of the cast: 200, 403 or 404.

A new URL pattern with an id that is not listed here fails test_every_id_url_is_in_the_matrix,
so nothing that shows case data can be added without deciding who may see it.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from casework.models import AccessLog

# What the id in each URL names: a case or a person.
ID_KIND = {
    "casework:case_detail": "case",
    "casework:contact_add": "case",
    "casework:person_detail": "person",
    "casework:person_case_open": "person",
}

# The shared fixture `case_a`: agency A's case worked by csw_a, shared with consultation_b
# on the person's consent. Everyone not named gets 404: they may not know it exists.
EXPECTED = {
    "casework:case_detail": {"csw_a": 200, "supervisor_a": 200, "consultation_b": 200},
    "casework:contact_add": {"csw_a": 200, "supervisor_a": 200, "consultation_b": 403},
    "casework:person_detail": {"csw_a": 200, "supervisor_a": 200, "consultation_b": 200},
    "casework:person_case_open": {"csw_a": 200, "supervisor_a": 200, "consultation_b": 200},
}

CAST = [
    "csw_a",
    "consultation_a",
    "supervisor_a",
    "admin_a",
    "csw_b",
    "consultation_b",
    "supervisor_b",
    "admin_b",
    "indicator_officer",
    "outsider",
]


def _id_patterns(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            namespace = f"{prefix}{entry.namespace}:" if entry.namespace else prefix
            if entry.app_name == "admin":
                continue
            yield from _id_patterns(entry, namespace)
        elif isinstance(entry, URLPattern) and entry.pattern.converters:
            yield f"{prefix}{entry.name}", set(entry.pattern.converters)


def test_every_id_url_is_in_the_matrix():
    unlisted = {name for name, _ in _id_patterns() if name not in EXPECTED}
    assert not unlisted, f"add these URLs to the access matrix: {sorted(unlisted)}"


@pytest.mark.parametrize("url_name", sorted(EXPECTED))
@pytest.mark.parametrize("member", CAST)
def test_access_matrix(client, cast, case_a, url_name, member):
    target = case_a if ID_KIND[url_name] == "case" else case_a.person
    url = reverse(url_name, kwargs={"pk": target.pk})
    client.force_login(getattr(cast, member))
    response = client.get(url)
    assert response.status_code == EXPECTED[url_name].get(member, 404)


@pytest.mark.parametrize("url_name", sorted(EXPECTED))
def test_anonymous_is_sent_to_login(client, case_a, url_name):
    target = case_a if ID_KIND[url_name] == "case" else case_a.person
    response = client.get(reverse(url_name, kwargs={"pk": target.pk}))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("pk", [987654, 0, 2**63, 10**30])
@pytest.mark.parametrize("url_name", sorted(EXPECTED))
def test_unknown_id_is_404_even_for_supervisor(client, cast, case_a, url_name, pk):
    client.force_login(cast.supervisor_a)
    assert client.get(reverse(url_name, kwargs={"pk": pk})).status_code == 404


@pytest.mark.parametrize("member", CAST)
def test_refused_reads_leave_no_trace_and_allowed_reads_one_row(client, cast, case_a, member):
    client.force_login(getattr(cast, member))
    before = AccessLog.objects.filter(action=AccessLog.Action.VIEW_CASE).count()
    status = client.get(reverse("casework:case_detail", kwargs={"pk": case_a.pk})).status_code
    after = AccessLog.objects.filter(action=AccessLog.Action.VIEW_CASE).count()
    assert after - before == (1 if status == 200 else 0)
