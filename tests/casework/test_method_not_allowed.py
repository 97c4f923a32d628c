"""A POST-only address opened with GET answers 405 with a page of the app: what happened,
that nothing changed, and the way back; the Allow header says POST."""

from django.urls import URLPattern, URLResolver, get_resolver, reverse

from casework.models import AccessLog


def _patterns(resolver=None, prefix=""):
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            if str(entry.pattern).startswith("admin/"):
                continue
            yield from _patterns(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry


def _path(pattern: str) -> str:
    import re

    return "/" + re.sub(r"<(?:\w+:)?\w+>", "1", pattern)


def test_every_post_only_address_opened_with_get_explains_itself(client, cast, case_a):
    client.force_login(cast.csw_a)
    explained = []
    for pattern, _entry in _patterns():
        if "<path:" in pattern:
            continue
        before = AccessLog.objects.count()
        response = client.get(_path(pattern))
        if response.status_code != 405:
            continue
        assert AccessLog.objects.count() == before, pattern  # it read nobody's record
        body = response.content.decode()
        assert "この画面は直接開けません" in body, pattern
        assert "何も変更されていません" in body, pattern
        assert "POST" in response.headers["Allow"], pattern
        assert response.headers["X-Frame-Options"] == "DENY", pattern
        explained.append(pattern)
    # The approvals, the decisions and the notification actions among them.
    assert len(explained) >= 8, explained
    assert any("approve" in p for p in explained)


def test_the_page_leads_back_to_the_page_the_action_belongs_to(client, cast, case_a, workflow):
    workflow.screen(case_a, cast.csw_a)
    workflow.assess(case_a, cast.csw_a)
    plan = workflow.draft_plan(case_a, cast.csw_a)
    client.force_login(cast.csw_a)
    response = client.get(reverse("casework:plan_approve", args=[plan.pk]))
    assert response.status_code == 405
    assert f'href="{plan.get_absolute_url()}"' in response.content.decode()
    # In English too.
    client.cookies["django_language"] = "en"
    body = client.get(reverse("casework:plan_approve", args=[plan.pk])).content.decode()
    assert "この画面" not in body


def test_a_post_to_a_page_that_takes_none_keeps_the_plain_405(client, cast):
    client.force_login(cast.csw_a)
    response = client.post(reverse("casework:home"))
    assert response.status_code == 405 and response.content == b""
