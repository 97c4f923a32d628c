import pytest
from django.urls import reverse

from casework import services
from casework.models import Notification


def test_bell_counts_unread_and_the_list_marks_them_read(client, cast):
    services.notification_send(
        recipients=[cast.csw_a, cast.csw_a, None], message="つなぎが届きました", url="/"
    )
    client.force_login(cast.csw_a)
    page = client.get(reverse("casework:my_cases"))
    assert page.context["unread_notifications"] == 1
    assert "つなぎが届きました" in client.get(reverse("casework:notifications")).content.decode()
    client.post(reverse("casework:notifications_read"))
    assert client.get(reverse("casework:my_cases")).context["unread_notifications"] == 0


def test_one_notification_is_marked_read_only_by_its_recipient(client, cast):
    services.notification_send(recipients=[cast.csw_a], message="x")
    note = Notification.objects.get()
    client.force_login(cast.csw_b)
    client.post(reverse("casework:notifications_read"), {"id": note.pk})
    note.refresh_from_db()
    assert note.read_at is None
    client.force_login(cast.csw_a)
    client.post(reverse("casework:notifications_read"), {"id": note.pk})
    note.refresh_from_db()
    assert note.read_at is not None


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "javascript:x"])
def test_mark_read_never_redirects_outside_the_app(client, cast, target):
    client.force_login(cast.csw_a)
    response = client.post(reverse("casework:notifications_read"), {"next": target})
    assert response.url == reverse("casework:notifications")


def test_mark_read_refuses_get_and_bad_ids(client, cast):
    client.force_login(cast.csw_a)
    assert client.get(reverse("casework:notifications_read")).status_code == 405
    assert client.post(reverse("casework:notifications_read"), {"id": "x"}).status_code == 404


def test_consent_is_recorded_and_withdrawn_from_the_person_page(client, cast, open_case):
    case = open_case(cast.csw_a)
    client.force_login(cast.csw_a)
    response = client.post(
        reverse("casework:consent_new", kwargs={"pk": case.person.pk}),
        {"basis": "consent", "agencies": [cast.agency_b.pk], "given_on": "2026-01-05"},
    )
    assert response.status_code == 302
    consent = case.person.consents.get()
    services.case_share(actor=cast.csw_a, case=case, user=cast.csw_b)
    response = client.post(
        reverse("casework:consent_withdraw", kwargs={"pk": consent.pk}),
        {"withdrawn_on": "2025-12-31"},
    )
    assert response.status_code == 400  # before the consent was given: refused
    consent.refresh_from_db()
    assert consent.is_active
    from django.utils import timezone

    response = client.post(
        reverse("casework:consent_withdraw", kwargs={"pk": consent.pk}),
        {"withdrawn_on": timezone.localdate().isoformat()},
    )
    assert response.status_code == 302
    consent.refresh_from_db()
    assert not consent.is_active
    assert not case.shares.filter(revoked_at__isnull=True).exists()


def test_consent_without_agencies_is_refused_next_to_the_field(client, cast, open_case):
    case = open_case(cast.csw_a)
    client.force_login(cast.csw_a)
    response = client.post(
        reverse("casework:consent_new", kwargs={"pk": case.person.pk}),
        {"basis": "consent", "given_on": "2026-01-05"},
    )
    assert response.status_code == 400
    assert "agencies" in response.context["form"].errors
    assert not case.person.consents.exists()
