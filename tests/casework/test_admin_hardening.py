"""The Django admin at its edges: delete pages that list nobody, the same answer for
a missing id and a forbidden one, and password resets the issuing admin cannot use."""

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_celery_beat.models import IntervalSchedule

from casework import services
from casework.demo.texts import AGENCY_ADMIN_PERMISSIONS
from casework.models import Agency, Case, District, Notification, PasswordReset, Person
from reminders.models import AgencyReminderSettings
from tests.factories import AgencyFactory, district

User = get_user_model()
OLD_PASSWORD = "correct-horse-battery-9"  # the factories' password
NEW_PASSWORD = "kinmokusei-no-kaori-2026"
PERSON = {
    "family_name": "鷹司",
    "given_name": "紫苑",
    "family_name_kana": "たかつかさ",
    "given_name_kana": "しおん",
}
PERSON_TEXTS = ["鷹司", "紫苑", "たかつかさ", "しおん"]
REFUSAL = "ほかの記録から参照されている"  # …ため削除できません


def make_agency_admin(user):
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    user.user_permissions.add(
        *[
            Permission.objects.get(content_type__app_label=app, codename=codename)
            for app, codename in AGENCY_ADMIN_PERMISSIONS
        ]
    )
    return user


@pytest.fixture
def admins(cast):
    make_agency_admin(cast.admin_a)
    make_agency_admin(cast.admin_b)
    return cast


@pytest.fixture
def root(db):
    return User.objects.create_superuser("root", password="root-password-for-tests-1")


@pytest.fixture
def person_case(cast, open_case, workflow):
    """A case of agency A for a person in the central district, with a plan whose action is
    done by agency B: every piece of master data here has personal data hanging off it."""
    case = open_case(cast.csw_a, district=district("central"), **PERSON)
    workflow.screen(case, cast.csw_a)
    workflow.assess(case, cast.csw_a)
    today = timezone.localdate()
    services.plan_create(
        actor=cast.csw_a,
        case=case,
        actions=[
            {"description": "配食サービスの調整", "agency": cast.agency_b, "frequency": "週1回"}
        ],
        long_term_goal="安定した生活",
        short_term_goals="家計を見直す",
        period_start=today,
        period_end=today + datetime.timedelta(days=180),
        next_monitoring_on=today + datetime.timedelta(days=30),
    )
    return case


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def login_page(client: Client, username: str, password: str):
    return client.post(reverse("login"), {"username": username, "password": password})


def can_sign_in(username: str, password: str) -> bool:
    return login_page(Client(), username, password).status_code == 302


def assert_names_nobody(response, case=None):
    text = response.content.decode()
    for word in PERSON_TEXTS:
        assert word not in text
    if case is not None:
        assert str(case) not in text
        assert "配食サービスの調整" not in text


# --- delete pages ----------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["agency", "district", "plan_agency"])
def test_deleting_master_data_with_dependents_is_refused_naming_nobody(
    cast, root, person_case, kind
):
    obj = {
        "agency": cast.agency_a,
        "district": district("central"),
        "plan_agency": cast.agency_b,  # only a plan action (and staff) point to it
    }[kind]
    model = type(obj)._meta.model_name
    client = signed_in(root)
    url = f"/admin/casework/{model}/{obj.pk}/delete/"

    page = client.get(url)
    assert page.status_code == 200
    assert REFUSAL in page.content.decode()
    assert_names_nobody(page, person_case)

    posted = client.post(url, {"post": "yes"})
    assert posted.status_code == 200
    assert REFUSAL in posted.content.decode()
    assert_names_nobody(posted, person_case)
    assert type(obj).objects.filter(pk=obj.pk).exists()


def test_delete_selected_refuses_when_any_row_has_dependents(cast, root, person_case):
    empty = AgencyFactory(name="使われていない機関")
    client = signed_in(root)
    data = {"action": "delete_selected", "_selected_action": [cast.agency_a.pk, empty.pk]}

    page = client.post("/admin/casework/agency/", data)
    assert page.status_code == 200
    assert REFUSAL in page.content.decode()
    assert_names_nobody(page, person_case)

    confirmed = client.post("/admin/casework/agency/", {**data, "post": "yes"})
    assert REFUSAL in confirmed.content.decode()
    assert Agency.objects.filter(pk__in=[cast.agency_a.pk, empty.pk]).count() == 2


def test_master_data_without_dependents_can_still_be_deleted(root, db):
    lonely = District.objects.create(code="spare", name="予備地区", sort_order=99)
    client = signed_in(root)
    url = f"/admin/casework/district/{lonely.pk}/delete/"
    page = client.get(url)
    assert page.status_code == 200
    assert REFUSAL not in page.content.decode()
    assert "予備地区" in page.content.decode()
    assert client.post(url, {"post": "yes"}).status_code == 302
    assert not District.objects.filter(pk=lonely.pk).exists()

    spares = [AgencyFactory(name=f"予備機関{n}", district=None) for n in range(2)]
    data = {"action": "delete_selected", "_selected_action": [a.pk for a in spares]}
    assert client.post("/admin/casework/agency/", {**data, "post": "yes"}).status_code == 302
    assert not Agency.objects.filter(pk__in=[a.pk for a in spares]).exists()


def test_deleting_a_worker_with_records_is_refused(cast, root, person_case):
    client = signed_in(root)
    url = f"/admin/auth/user/{cast.csw_a.pk}/delete/"
    page = client.post(url, {"post": "yes"})
    assert REFUSAL in page.content.decode()
    assert_names_nobody(page, person_case)
    assert User.objects.filter(pk=cast.csw_a.pk).exists()


def test_history_and_change_pages_name_nobody(cast, root, person_case):
    client = signed_in(root)
    client.post(
        f"/admin/casework/agency/{cast.agency_a.pk}/change/",
        {"name": "社協A(改称)", "kind": "csw", "district": district("central").pk},
    )
    for url in (
        f"/admin/casework/agency/{cast.agency_a.pk}/history/",
        f"/admin/casework/district/{district('central').pk}/history/",
        f"/admin/auth/user/{cast.csw_a.pk}/history/",
        f"/admin/casework/agency/{cast.agency_a.pk}/change/",
        f"/admin/auth/user/{cast.csw_a.pk}/change/",
        "/admin/",
    ):
        page = client.get(url)
        assert page.status_code == 200, url
        assert_names_nobody(page, person_case)


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


# --- passwords -------------------------------------------------------------------------------


def test_agency_admin_can_neither_set_nor_read_a_password(admins):
    worker = admins.csw_a
    worker.email = "csw_a@city.example.lg.jp"
    worker.save(update_fields=["email"])
    client = signed_in(admins.admin_a)
    set_password = {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    assert client.get(f"/admin/auth/user/{worker.pk}/password/").status_code == 404
    assert client.post(f"/admin/auth/user/{worker.pk}/password/", set_password).status_code == 404
    page = client.get(f"/admin/auth/user/{worker.pk}/change/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "pbkdf2" not in text and "md5" not in text and 'name="password' not in text
    assert reverse("admin:auth_user_password_reset", args=[worker.pk]) in text
    # Nor can they point the reset link at an address of their own.
    membership = worker.membership
    client.post(
        f"/admin/auth/user/{worker.pk}/change/",
        {
            "username": "csw_a",
            "last_name": "職員",
            "first_name": "一",
            "email": "admin_a@example.com",
            "is_active": "on",
            **membership_form(admins.agency_a, membership=membership),
        },
    )
    worker.refresh_from_db()
    assert worker.email == "csw_a@city.example.lg.jp"
    assert worker.check_password(OLD_PASSWORD)


def membership_form(agency, role="csw", membership=None) -> dict:
    fields = {"TOTAL_FORMS": "1", "INITIAL_FORMS": "1" if membership else "0"}
    fields.update({"MIN_NUM_FORMS": "1", "MAX_NUM_FORMS": "1", "0-agency": agency.pk})
    fields.update({"0-role": role} | ({"0-id": membership.pk} if membership else {}))
    return {f"membership-{key}": value for key, value in fields.items()}


def _reset(client, worker, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("admin:auth_user_password_reset", args=[worker.pk]))
    assert response.status_code == 302
    return response


def test_reset_by_agency_admin_mails_the_worker_a_link_only_they_can_use(
    admins, django_capture_on_commit_callbacks
):
    worker, admin_a = admins.csw_a, admins.admin_a
    worker.email = "csw_a@city.example.lg.jp"
    worker.save(update_fields=["email"])
    workers_session = signed_in(worker)
    assert workers_session.get(reverse("casework:my_cases")).status_code == 200
    admin_client = signed_in(admin_a)

    response = _reset(admin_client, worker, django_capture_on_commit_callbacks)
    shown_to_admin = admin_client.get(response.url).content.decode()

    # The old password stops working at once, and so does the open session.
    assert not can_sign_in("csw_a", OLD_PASSWORD)
    assert workers_session.get(reverse("casework:my_cases")).status_code == 302
    # The audit row: who, for whom, when.
    reset = PasswordReset.objects.get(worker=worker)
    assert reset.issued_by == admin_a
    assert (timezone.now() - reset.issued_at).total_seconds() < 60
    assert reset.completed_at is None
    # The link went to the worker's address only, and the admin never saw it.
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["csw_a@city.example.lg.jp"]
    link = re.search(r"http\S+/accounts/reset/\S+/", mail.outbox[0].body).group(0)
    path = link.split("127.0.0.1:8000", 1)[-1]
    token = path.rstrip("/").rsplit("/", 1)[-1]
    assert token not in shown_to_admin
    # The admin cannot sign in as the worker with anything they know.
    for guess in (OLD_PASSWORD, "", "!"):
        assert not can_sign_in("csw_a", guess)

    # The worker opens the link and chooses a password the validators accept.
    worker_client = Client()
    form_url = worker_client.get(path).url
    too_short = worker_client.post(form_url, {"new_password1": "short", "new_password2": "short"})
    assert too_short.status_code == 200
    done = worker_client.post(
        form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert done.status_code == 302 and done.url == reverse("login")
    reset.refresh_from_db()
    assert reset.completed_at is not None
    # The link works once.
    assert "このリンクは使えません" in Client().get(path).content.decode()

    assert login_page(worker_client, "csw_a", NEW_PASSWORD).status_code == 302
    assert worker_client.get(reverse("casework:my_cases")).status_code == 200
    notice = worker_client.get(reverse("casework:notifications")).content.decode()
    assert "パスワードをリセットしました" in notice
    assert Notification.objects.filter(recipient=worker, message__contains="リセット").exists()


def test_without_an_address_the_account_stays_locked_until_the_worker_sets_a_password(
    admins, django_capture_on_commit_callbacks
):
    worker = admins.consultation_a
    _reset(signed_in(admins.admin_a), worker, django_capture_on_commit_callbacks)
    assert mail.outbox == []
    assert not can_sign_in(worker.username, OLD_PASSWORD)
    worker.refresh_from_db()
    assert not worker.has_usable_password()

    # At the IT desk the worker types a password into `manage.py changepassword` (which
    # does this); the app then makes them choose another one in private.
    worker.set_password("typed-at-the-it-desk-2026")
    worker.save(update_fields=["password"])
    client = Client()
    assert login_page(client, worker.username, "typed-at-the-it-desk-2026").status_code == 302
    change = reverse("password_change")
    for url in (
        reverse("casework:my_cases"),
        reverse("casework:notifications"),
        reverse("casework:person_search"),
        "/admin/",
    ):
        assert client.get(url).status_code == 302, url
        assert client.get(url).url == change
    assert client.post(reverse("casework:case_open"), {}).url == change
    page = client.get(change)
    assert page.status_code == 200
    assert "パスワードがリセットされました" in page.content.decode()

    desk = "typed-at-the-it-desk-2026"
    weak = {"old_password": desk, "new_password1": "12345678", "new_password2": "12345678"}
    assert client.post(change, weak).status_code == 200
    assert client.get(reverse("casework:my_cases")).url == change
    chosen = {"old_password": desk, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    assert client.post(change, chosen).status_code == 302
    assert client.get(reverse("casework:my_cases")).status_code == 200
    assert PasswordReset.objects.get(worker=worker).completed_at is not None
    notices = client.get(reverse("casework:notifications")).content.decode()
    assert "パスワードをリセットしました" in notices


def test_agency_admin_resets_only_their_own_agencys_workers(admins):
    client = signed_in(admins.admin_a)
    for other in (admins.csw_b, admins.supervisor_a, admins.admin_b, admins.admin_a):
        assert client.post(f"/admin/auth/user/{other.pk}/password-reset/").status_code == 404
        other.refresh_from_db()
        assert other.check_password(OLD_PASSWORD)
    assert not PasswordReset.objects.exists()


def test_system_admin_resets_the_same_way(admins, root, django_capture_on_commit_callbacks):
    _reset(signed_in(root), admins.admin_a, django_capture_on_commit_callbacks)
    admins.admin_a.refresh_from_db()
    assert not admins.admin_a.has_usable_password()
    assert PasswordReset.objects.get(worker=admins.admin_a).issued_by == root
    assert Notification.objects.filter(recipient=admins.admin_a).exists()
    assert signed_in(root).get(f"/admin/auth/user/{admins.csw_a.pk}/password/").status_code == 404


def test_new_account_has_no_password_anyone_but_the_worker_chooses(
    admins, django_capture_on_commit_callbacks
):
    client = signed_in(admins.admin_a)
    form = client.get("/admin/auth/user/add/").content.decode()
    assert 'name="password1"' not in form and 'name="email"' not in form
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/admin/auth/user/add/",
            {
                "username": "new_worker",
                "last_name": "新任",
                "first_name": "職員",
                "password1": "admin-chosen-password-1",
                "password2": "admin-chosen-password-1",
                "email": "admin_a@example.com",
                **membership_form(admins.agency_a),
            },
        )
    assert response.status_code == 302
    new = User.objects.get(username="new_worker")
    assert not new.has_usable_password()
    assert new.email == ""
    assert not can_sign_in("new_worker", "admin-chosen-password-1")
    reset = PasswordReset.objects.get(worker=new)
    assert reset.new_account and reset.issued_by == admins.admin_a
    assert mail.outbox == []


@pytest.mark.parametrize(
    "path",
    [
        "/accounts/reset/MQ/bad-token/",
        "/accounts/reset/%00/%00/",
        "/accounts/reset/" + "A" * 5000 + "/x/",
        "/accounts/reset/OTk5OTk5OTk5OTk5OTk5OTk5OTk5/set-password/",
    ],
)
def test_a_bad_reset_link_is_a_plain_page(db, path):
    response = Client().get(path)
    assert response.status_code == 200
    assert "このリンクは使えません" in response.content.decode()


def test_password_page_without_a_reset_is_an_ordinary_change(cast):
    client = signed_in(cast.csw_a)
    assert client.get(reverse("casework:my_cases")).status_code == 200
    response = client.post(
        reverse("password_change"),
        {"old_password": "wrong", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 200
    cast.csw_a.refresh_from_db()
    assert cast.csw_a.check_password(OLD_PASSWORD)


@pytest.mark.parametrize("bad", ["x", "\x00", "9" * 30])
def test_an_unreadable_selection_is_sent_back_not_a_server_error(cast, root, bad):
    data = {"action": "delete_selected", "index": "0", "_selected_action": [cast.agency_a.pk, bad]}
    response = signed_in(root).post("/admin/casework/agency/", {**data, "post": "yes"})
    assert response.status_code == 302
    assert Agency.objects.filter(pk=cast.agency_a.pk).exists()


def test_view_on_site_says_nothing_about_a_case_or_a_person(client, cast, open_case):
    """/admin/r/<type>/<id>/ used to redirect for an existing case and 404 for a missing one."""
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
