"""The Django admin answers a missing id and a forbidden one alike: the same status, the
same page."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django_celery_beat.models import IntervalSchedule

from casework.models import Agency, Case, PasswordReset, Person
from reminders.models import AgencyReminderSettings
from tests.casework.admin_helpers import OLD_PASSWORD, signed_in
from tests.factories import district

User = get_user_model()

# --- the same answer for missing and forbidden ids -----------------------------------------

CSRF = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]+"')


def _answer(client, url):
    """The status and the page, less what differs on every page anyway: the CSRF token and
    the address itself (the language switcher returns to it)."""
    response = client.get(url)
    return response.status_code, CSRF.sub(b"", response.content).replace(url.encode(), b"URL")


def _missing_and_forbidden(cast, person_case):
    """(admin, path, forbidden id, missing id) for every object URL of the admin."""
    missing_user = User.objects.order_by("-pk").first().pk + 1000
    missing_agency = Agency.objects.order_by("-pk").first().pk + 1000
    reset = PasswordReset.objects.create(worker=cast.csw_b, issued_by=cast.admin_b)
    # Other apps' admins get the same answers (harden_admin_site in the URLconf).
    interval = IntervalSchedule.objects.create(every=10, period=IntervalSchedule.MINUTES)
    settings_b = AgencyReminderSettings.objects.create(agency=cast.agency_b)
    rows = []
    for suffix in ("change", "delete", "history", "password", "password-reset"):
        for forbidden in (cast.csw_b, cast.supervisor_a, cast.admin_a, cast.admin_b):
            rows.append(("admin_a", f"auth/user/{{}}/{suffix}/", forbidden.pk, missing_user))
    for suffix in ("change", "delete", "history"):
        rows.append(
            ("admin_a", f"casework/agency/{{}}/{suffix}/", cast.agency_a.pk, missing_agency)
        )
        rows.append(("admin_a", f"casework/district/{{}}/{suffix}/", district("central").pk, 9999))
        rows.append(("admin_a", f"casework/passwordreset/{{}}/{suffix}/", reset.pk, reset.pk + 99))
        rows.append(("admin_b", f"auth/user/{{}}/{suffix}/", cast.csw_a.pk, missing_user))
        for model, pk in (
            ("django_celery_beat/intervalschedule", interval.pk),
            ("reminders/agencyremindersettings", settings_b.pk),
        ):
            rows.append(("admin_a", f"{model}/{{}}/{suffix}/", pk, pk + 99))
        # Nobody, the system admin included, may learn that a case or person exists.
        for who in ("admin_a", "root"):
            rows.append((who, f"casework/case/{{}}/{suffix}/", person_case.pk, 999999))
            rows.append((who, f"casework/person/{{}}/{suffix}/", person_case.person_id, 999999))
    for who in ("admin_a", "root"):
        for model, pk in ((Case, person_case.pk), (Person, person_case.person_id)):
            ct = ContentType.objects.get_for_model(model).pk
            rows.append((who, f"r/{ct}/{{}}/", pk, 999999))
    return rows


def test_admin_answers_missing_and_forbidden_ids_alike(admins, root, person_case):
    clients = {"admin_a": signed_in(admins.admin_a), "admin_b": signed_in(admins.admin_b)}
    clients["root"] = signed_in(root)
    for who, pattern, forbidden, missing in _missing_and_forbidden(admins, person_case):
        client = clients[who]
        seen = _answer(client, "/admin/" + pattern.format(forbidden))
        unseen = _answer(client, "/admin/" + pattern.format(missing))
        assert seen[0] == unseen[0] == 404, (who, pattern, seen[0], unseen[0])
        assert seen[1] == unseen[1], (who, pattern)


def test_admin_answers_posts_to_forbidden_ids_like_missing_ones(admins):
    client = signed_in(admins.admin_a)
    for pk in (admins.csw_b.pk, 10**6):
        assert client.post(f"/admin/auth/user/{pk}/change/", {"username": "x"}).status_code == 404
        assert client.post(f"/admin/auth/user/{pk}/delete/", {"post": "yes"}).status_code == 404
        assert client.post(f"/admin/auth/user/{pk}/password-reset/").status_code == 404
    admins.csw_b.refresh_from_db()
    assert admins.csw_b.username == "csw_b"
    assert admins.csw_b.check_password(OLD_PASSWORD)


@pytest.mark.parametrize("raw", ["%00", "abc", "-1", "9" * 30, "x" * 5000, "%E3%81%82"])
def test_odd_ids_get_the_same_not_found(admins, root, raw):
    for client in (signed_in(admins.admin_a), signed_in(root)):
        for url in (
            f"/admin/auth/user/{raw}/change/",
            f"/admin/auth/user/{raw}/password-reset/",
            f"/admin/casework/agency/{raw}/history/",
            f"/admin/casework/district/{raw}/delete/",
        ):
            assert client.get(url).status_code == 404, url


def test_view_on_site_says_nothing_about_a_case_or_a_person(client, cast, open_case):
    """/admin/r/<type>/<id>/ answers 404 alike for an existing case, a missing one and a
    person."""
    case = open_case(cast.csw_a)
    admin_user = get_user_model().objects.create_superuser("it_admin", "", "x-Long-pass-9")
    client.force_login(admin_user)
    statuses = set()
    for model, pk in ((Case, case.pk), (Case, case.pk + 1000), (Person, case.person_id)):
        ct = ContentType.objects.get_for_model(model)
        response = client.get(f"/admin/r/{ct.pk}/{pk}/")
        statuses.add(response.status_code)
        assert case.person.family_name not in response.content.decode()
    assert statuses == {404}
