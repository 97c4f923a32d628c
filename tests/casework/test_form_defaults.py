"""Forms open on sensible defaults and never on a choice nobody made: no 「---------」 among
the screening's radio buttons, no closure reason chosen for the worker, a new plan's dates,
the contact's method, the one current worker when a case is handed over."""

import datetime

from django.urls import reverse
from django.utils import timezone

from casework import services
from casework.forms.plans import add_months


def test_the_screening_offers_its_results_only(client, cast, open_case):
    case = open_case(cast.csw_a)
    client.force_login(cast.csw_a)
    response = client.get(reverse("casework:screening_new", args=[case.pk]))
    body = response.content.decode()
    assert "---------" not in body
    assert 'type="radio"' in body and "checked" not in body.split('name="result"')[1][:200]


def test_the_closure_reason_must_be_chosen(client, cast, open_case):
    case = open_case(cast.csw_a)
    client.force_login(cast.csw_a)
    url = reverse("casework:closure_request", args=[case.pk])
    body = client.get(url).content.decode()
    assert '<option value="" selected>選んでください</option>' in body
    response = client.post(url, {"reason": "", "closing_on": timezone.localdate().isoformat()})
    assert response.status_code == 400
    assert "reason" in response.context["form"].errors
    assert not case.closure_requests.exists()


def test_a_new_plan_opens_on_the_usual_dates(client, cast, open_case, workflow):
    case = open_case(cast.csw_a)
    workflow.screen(case, cast.csw_a)
    workflow.assess(case, cast.csw_a)
    client.force_login(cast.csw_a)
    form = client.get(reverse("casework:plan_new", args=[case.pk])).context["form"]
    today = timezone.localdate()
    assert form.initial["period_start"] == today
    assert form.initial["period_end"] == add_months(today, 6)
    assert form.initial["next_monitoring_on"] == add_months(today, 3)


def test_add_months_keeps_the_day_or_takes_the_months_last():
    assert add_months(datetime.date(2026, 8, 31), 6) == datetime.date(2027, 2, 28)
    assert add_months(datetime.date(2027, 8, 31), 6) == datetime.date(2028, 2, 29)
    assert add_months(datetime.date(2026, 11, 15), 3) == datetime.date(2027, 2, 15)
    assert add_months(datetime.date(2026, 12, 1), 12) == datetime.date(2027, 12, 1)


def test_a_contact_opens_on_the_cases_last_method_or_a_call(client, cast, open_case):
    case = open_case(cast.csw_a)
    client.force_login(cast.csw_a)
    url = reverse("casework:contact_add", args=[case.pk])
    assert client.get(url).context["form"].initial["method"] == "phone"
    services.contact_record_add(
        actor=cast.csw_a,
        case=case,
        occurred_at=timezone.now() - datetime.timedelta(hours=1),
        method="home_visit",
        minutes=30,
        summary="訪問した",
    )
    assert client.get(url).context["form"].initial["method"] == "home_visit"


def test_handing_over_a_case_with_one_worker_names_that_worker(client, cast, open_case):
    case = open_case(cast.csw_a)
    client.force_login(cast.supervisor_a)
    form = client.get(reverse("casework:case_reassign", args=[case.pk])).context["form"]
    assert form.initial["from_worker"] == cast.csw_a.pk
