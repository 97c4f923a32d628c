"""Shared helpers for the watch-network and outreach-visit tests: reports and visits are
made through the services, the way users make them; the triage queue as a worker opens it."""

import datetime

from django.urls import reverse
from django.utils import timezone

from casework import services as casework_services
from casework.models import District
from outreach import services


def district(code: str = "central") -> District:
    return District.objects.get(code=code)


def now():
    return timezone.now()


def report(actor, **overrides):
    """A watch report received by `actor` (district central, 通常, an hour ago)."""
    fields = {
        "reporter_kind": "minsei",
        "reporter_name": "民生委員 田中",
        "reporter_contact": "03-1111-2222",
        "received_at": now() - datetime.timedelta(hours=1),
        "address": "目黒区中央町二丁目3番4号",
        "district": district(),
        "subject_name": "鈴木 一郎",
        "subject_description": "高齢の男性、一人暮らし",
        "noticed": "新聞が3日分たまっている。",
        "urgency": "normal",
    }
    fields.update(overrides)
    return services.report_receive(actor=actor, **fields)


def person(actor, family_name="山田", given_name="太郎"):
    return casework_services.person_create(
        actor=actor,
        family_name=family_name,
        given_name=given_name,
        family_name_kana="やまだ",
        given_name_kana="たろう",
    )


def plan(actor, *, case=None, report=None, staff=None, planned_at=None, purpose="安否確認"):
    return services.visit_plan(
        actor=actor,
        case=case,
        report=report,
        staff=[actor] if staff is None else staff,
        planned_at=planned_at or now() - datetime.timedelta(hours=3),
        purpose=purpose,
    )


def record(actor, visit, result="met", *, visited_at=None, **fields):
    return services.visit_record(
        actor=actor,
        visit=visit,
        result=result,
        visited_at=visited_at or now() - datetime.timedelta(hours=2),
        **fields,
    )


def visited(actor, case, result, *, hours_ago):
    """A case visit planned and recorded `hours_ago`."""
    when = now() - datetime.timedelta(hours=hours_ago)
    visit = plan(actor, case=case, planned_at=when)
    return record(actor, visit, result, visited_at=when)


def queue(client, user, **params):
    client.force_login(user)
    response = client.get(reverse("outreach:reports"), params)
    assert response.status_code == 200
    return response


def pks(response):
    return [r.pk for r in response.context["page"].object_list]
