"""The reminder settings page: each user's channels; a supervisor's agency periods."""

import pytest

from reminders.models import AgencyReminderSettings, ChannelPreference

URL = "/reminders/settings/"


def test_anonymous_is_sent_to_login(client, db):
    response = client.get(URL)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_user_without_a_membership_is_refused(client, cast):
    client.force_login(cast.outsider)
    assert client.get(URL).status_code == 403


@pytest.mark.parametrize("who", ["csw_a", "consultation_b", "indicator_officer", "admin_a"])
def test_staff_see_their_channels_but_not_the_agency_form(client, cast, who):
    client.force_login(getattr(cast, who))
    page = client.get(URL).content.decode()
    assert "通知方法" in page
    assert "機関のリマインダー設定" not in page


def test_supervisor_sees_the_agency_periods_with_defaults(client, cast):
    client.force_login(cast.supervisor_a)
    page = client.get(URL).content.decode()
    assert "機関のリマインダー設定" in page
    assert 'name="monitoring_due_days" value="7"' in page
    assert 'name="no_contact_days" value="30"' in page


def test_choosing_channels(client, cast):
    cast.csw_a.email = "csw-a@example.lg.jp"
    cast.csw_a.save()
    client.force_login(cast.csw_a)
    response = client.post(URL, {"form": "channels", "in_app": "on", "email": "on"})
    assert response.status_code == 302
    preference = ChannelPreference.objects.get(user=cast.csw_a)
    assert preference.in_app and preference.email


def test_turning_every_channel_off_is_refused_next_to_the_field(client, cast):
    client.force_login(cast.csw_a)
    response = client.post(URL, {"form": "channels"})
    assert response.status_code == 400
    assert "少なくとも一つの通知方法を選んでください。" in response.content.decode()
    assert not ChannelPreference.objects.exists()


def test_email_without_an_address_is_refused(client, cast):
    client.force_login(cast.csw_a)
    response = client.post(URL, {"form": "channels", "email": "on"})
    assert response.status_code == 400
    assert "メールアドレスが登録されていません" in response.content.decode()
    assert not ChannelPreference.objects.exists()


def test_supervisor_sets_the_agency_periods(client, cast):
    client.force_login(cast.supervisor_a)
    response = client.post(
        URL,
        {
            "form": "agency",
            "monitoring_due_days": "5",
            "monitoring_overdue_days": "10",
            "no_contact_days": "21",
        },
    )
    assert response.status_code == 302
    saved = AgencyReminderSettings.objects.get(agency=cast.agency_a)
    assert (saved.monitoring_due_days, saved.monitoring_overdue_days, saved.no_contact_days) == (
        5,
        10,
        21,
    )
    assert saved.updated_by == cast.supervisor_a


@pytest.mark.parametrize(
    "field,value",
    [
        ("monitoring_due_days", "0"),
        ("monitoring_due_days", "61"),
        ("monitoring_overdue_days", "abc"),
        ("no_contact_days", "6"),
        ("no_contact_days", ""),
    ],
)
def test_out_of_range_periods_are_refused_and_change_nothing(client, cast, field, value):
    client.force_login(cast.supervisor_a)
    data = {
        "form": "agency",
        "monitoring_due_days": "7",
        "monitoring_overdue_days": "14",
        "no_contact_days": "30",
        field: value,
    }
    response = client.post(URL, data)
    assert response.status_code == 400
    assert f'id="id_{field}_error"' in response.content.decode()
    assert not AgencyReminderSettings.objects.exists()


def test_non_supervisor_cannot_post_agency_periods(client, cast):
    client.force_login(cast.csw_a)
    response = client.post(
        URL,
        {"form": "agency", "monitoring_due_days": "1", "monitoring_overdue_days": "1"},
    )
    assert response.status_code == 403
    assert not AgencyReminderSettings.objects.exists()


def test_notifications_page_links_to_the_settings(client, cast):
    client.force_login(cast.csw_a)
    assert URL in client.get("/notifications/").content.decode()


def test_periodic_jobs_are_in_the_database_schedule_and_the_admin(client, db):
    from django.contrib.auth import get_user_model
    from django_celery_beat.models import PeriodicTask

    jobs = dict(PeriodicTask.objects.values_list("name", "task"))
    assert jobs["reminders: scan"] == "reminders.scan"
    assert jobs["reminders: sweep"] == "reminders.sweep"
    admin = get_user_model().objects.create_superuser("root", "root@example.lg.jp", "x")
    client.force_login(admin)
    page = client.get("/admin/django_celery_beat/periodictask/").content.decode()
    assert "reminders: scan" in page
    assert client.get("/admin/reminders/reminder/").status_code == 200
    assert client.get("/admin/reminders/reminder/add/").status_code == 403
