"""Input no screen sends is refused before it reaches a query: a plain 400 page for query
strings and form keys (casework.middleware.RequestInputMiddleware), a message next to the
field for form values. The walk over every URL is tests/test_fuzz.py."""

import datetime

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from casework.models import District

PASSWORD = "correct-horse-battery-9"


@pytest.mark.parametrize(
    "query",
    [
        "district=%00",
        "district=a%00b",
        "q=%01",
        "q=a%0Ab",
        "q=a%09b",  # a tab too: no search box of the app sends one
        "q=%7F",
        "q=%C2%85",  # C1 (NEL)
        "%00=1",
        "a%1Bb=1",
        "q=" + "x" * 1001,
        "k" * 101 + "=1",
        "&".join(f"p{i}=1" for i in range(101)),
    ],
)
def test_a_query_no_screen_sends_is_a_400_page(client, cast, query):
    client.force_login(cast.csw_a)
    response = client.get(f"{reverse('outreach:reports')}?{query}")
    assert response.status_code == 400
    assert "400.html" in [t.name for t in response.templates]
    assert "入力に使えない文字が含まれているか、入力が長すぎます。" in response.content.decode()


def test_a_long_but_possible_value_reaches_the_page(client, cast):
    client.force_login(cast.csw_a)
    response = client.get(reverse("outreach:reports"), {"district": "あ" * 1000})
    assert response.status_code == 200


def test_the_400_page_opens_without_a_session_and_in_english(client, db):
    response = client.get(f"{reverse('login')}?next=%00")
    assert response.status_code == 400
    assert "不正なリクエスト" in response.content.decode()
    client.cookies["django_language"] = "en"
    response = client.get(f"{reverse('login')}?next=%00")
    assert response.status_code == 400
    assert "Bad request" in response.content.decode()


def test_a_form_key_with_a_nul_is_refused_and_changes_nothing(client, cast, case_a):
    client.force_login(cast.csw_a)
    url = reverse("casework:contact_add", kwargs={"pk": case_a.pk})
    before = case_a.contacts.count()
    response = client.post(url, {"summary": "来所", "\x00": "1"})
    assert response.status_code == 400
    assert case_a.contacts.count() == before


def test_a_nul_in_a_form_value_is_refused_next_to_the_field(client, cast, case_a):
    client.force_login(cast.csw_a)
    url = reverse("casework:contact_add", kwargs={"pk": case_a.pk})
    now = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
    data = {"occurred_at": now, "method": "office", "minutes": "10", "summary": "来\x00所"}
    response = client.post(url, data)
    assert response.status_code == 400
    assert response.context["form"].errors["summary"]


def test_an_over_long_search_is_refused_next_to_the_field(client, cast):
    client.force_login(cast.csw_a)
    response = client.get(reverse("casework:person_search"), {"q": "佐" * 101})
    assert response.status_code == 200
    assert response.context["form"].errors["q"]


@pytest.mark.parametrize("url_name", ["login"])
@pytest.mark.parametrize("length", [151, 5000])
def test_an_over_long_user_name_gets_the_form_error_and_no_lockout_row(
    client, cast, url_name, length
):
    response = client.post(reverse(url_name), {"username": "x" * length, "password": "x"})
    assert response.status_code == 200
    assert response.context["form"].errors["username"]
    assert not AccessAttempt.objects.exists()
    # The form still signs in a real user, and a wrong password still counts.
    assert client.post(reverse("login"), {"username": "csw_b", "password": "x"}).status_code == 200
    assert AccessAttempt.objects.get().username == "csw_b"
    response = client.post(reverse("login"), {"username": "csw_a", "password": PASSWORD})
    assert response.status_code == 302


def test_an_empty_admin_to_field_is_a_400(client, db):
    admin = get_user_model().objects.create_superuser("root", password=PASSWORD)
    client.force_login(admin)
    district = District.objects.get(code="central")
    url = reverse("admin:casework_district_change", args=[district.pk])
    assert client.get(f"{url}?_to_field=").status_code == 400


def test_an_admin_action_on_ids_that_are_none_is_refused(client, db):
    admin = get_user_model().objects.create_superuser("root", password=PASSWORD)
    client.force_login(admin)
    url = reverse("admin:casework_district_changelist")
    action = {"action": "delete_selected", "index": "0"}
    response = client.post(url, {**action, "_selected_action": ["1", "x"]})
    assert response.status_code == 302
    assert District.objects.filter(pk=1).exists()
    # An id past a 64-bit integer names no row (SQLite overflowed on it).
    response = client.post(url, {**action, "_selected_action": "9" * 30})
    assert response.status_code in (200, 302)
    assert District.objects.filter(pk__in=[10**30, -(10**30)]).count() == 0
    assert District.objects.filter(pk__in=[10**30, 1]).count() == 1


def test_a_wrong_crontab_shows_the_form_again(client, db):
    admin = get_user_model().objects.create_superuser("root", password=PASSWORD)
    client.force_login(admin)
    fields = ("minute", "hour", "day_of_week", "day_of_month", "month_of_year")
    data = {**dict.fromkeys(fields, "-1"), "timezone": "Asia/Tokyo"}
    response = client.post(reverse("admin:django_celery_beat_crontabschedule_add"), data)
    assert response.status_code == 200


def test_a_plan_with_a_huge_row_count_is_refused_without_building_the_rows(
    client, cast, case_a, workflow
):
    workflow.screen(case_a, cast.csw_a)
    workflow.assess(case_a, cast.csw_a)
    client.force_login(cast.csw_a)
    today = timezone.localdate()
    data = {
        "long_term_goal": "安定した生活",
        "period_start": today.isoformat(),
        "period_end": (today + datetime.timedelta(days=90)).isoformat(),
        "actions-TOTAL_FORMS": "9" * 30,
        "actions-INITIAL_FORMS": "0",
    }
    response = client.post(reverse("casework:plan_new", kwargs={"pk": case_a.pk}), data)
    assert response.status_code == 400
    assert not case_a.plans.exists()
