"""The second factor as a worker meets it: enrolment at the first sign-in with the app's own
QR code, the code at every sign-in, recovery codes, the role setting."""

import re

from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from security import factor
from security.models import EventKind, SecurityEvent
from tests.security.factor_helpers import code_of, password_step, signed_in_as


def _enrolled(user):
    device = factor.enrolment_device(user)
    codes = factor.enrol(user, device, code_of(device))
    assert codes is not None
    device.refresh_from_db()
    return device, codes


def test_the_first_sign_in_enrols_an_authenticator_with_a_qr_code_drawn_here(cast, factor_on):
    client = Client()
    response = password_step(client, "csw_a")
    assert response.status_code == 302
    assert response["Location"] == reverse("security:factor")
    # The password alone signs nobody in.
    assert signed_in_as(client) is None
    page = client.get(reverse("security:factor"))
    body = page.content.decode()
    assert "<svg" in body and "認証アプリ" in body
    assert "https://" not in body.split("<svg", 1)[1].split("</svg>", 1)[0]  # no outside image
    device = TOTPDevice.objects.get(user=cast.csw_a, confirmed=False)
    secret = re.search(r"<code data-secret>([A-Z2-7 ]+)</code>", body).group(1)
    assert secret == factor.secret_text(device)

    wrong = client.post(reverse("security:factor"), {"code": "000000"})
    assert "確認コードが正しくありません" in wrong.content.decode()
    assert not TOTPDevice.objects.filter(user=cast.csw_a, confirmed=True).exists()
    assert signed_in_as(client) is None

    shown = client.post(reverse("security:factor"), {"code": code_of(device)})
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", shown.content.decode())
    assert len(codes) == 10 and len(set(codes)) == 10
    assert "一度だけ表示" in shown.content.decode()
    assert 'href="/"' in shown.content.decode()  # 続ける goes on to 「今日」
    assert signed_in_as(client) == cast.csw_a
    assert TOTPDevice.objects.get(user=cast.csw_a).confirmed
    assert sorted(
        StaticToken.objects.filter(device__user=cast.csw_a).values_list("token", flat=True)
    ) == sorted(codes)
    kinds = list(SecurityEvent.objects.filter(subject=cast.csw_a).values_list("kind", "detail"))
    assert (EventKind.FACTOR_ENROLLED, "") in kinds
    assert (EventKind.LOGIN, factor.FACTOR_TOTP) in kinds


def test_an_enrolled_worker_gives_the_code_at_every_sign_in(cast, factor_on):
    device, _codes = _enrolled(cast.csw_a)
    client = Client()
    password_step(client, "csw_a")
    page = client.get(reverse("security:factor"))
    assert "<svg" not in page.content.decode()  # no second enrolment
    assert signed_in_as(client) is None
    wrong = client.post(reverse("security:factor"), {"code": "123456"})
    assert wrong.status_code == 200
    assert wrong.context["form"].errors["code"]
    assert SecurityEvent.objects.filter(
        kind=EventKind.FACTOR_FAILED, subject=cast.csw_a, result="failure"
    ).exists()
    response = client.post(reverse("security:factor"), {"code": code_of(device, steps_ahead=1)})
    assert response.status_code == 302 and response["Location"] == "/"
    assert signed_in_as(client) == cast.csw_a


def test_the_page_it_was_going_to_opens_after_the_code(cast, factor_on):
    device, _codes = _enrolled(cast.csw_a)
    client = Client()
    target = reverse("casework:my_cases")
    client.post(
        f"{reverse('login')}?next={target}",
        {"username": "csw_a", "password": "correct-horse-battery-9", "next": target},
    )
    response = client.post(reverse("security:factor"), {"code": code_of(device, steps_ahead=1)})
    assert response["Location"] == target


def test_five_wrong_codes_send_back_to_the_password(cast, factor_on):
    _enrolled(cast.csw_a)
    client = Client()
    password_step(client, "csw_a")
    for _ in range(4):
        assert client.post(reverse("security:factor"), {"code": "000000"}).status_code == 200
    response = client.post(reverse("security:factor"), {"code": "000000"}, follow=True)
    assert response.request["PATH_INFO"] == reverse("login")
    assert "確認コードの誤りが続いた" in response.content.decode()
    # The code page has nothing to ask for now.
    assert client.get(reverse("security:factor"))["Location"] == reverse("login")


def test_a_code_waits_five_minutes_at_most(cast, factor_on, monkeypatch):
    device, _codes = _enrolled(cast.csw_a)
    client = Client()
    password_step(client, "csw_a")
    import security.views

    later = security.views.time.time() + security.views.PENDING_SECONDS + 1
    monkeypatch.setattr(security.views.time, "time", lambda: later)
    response = client.post(reverse("security:factor"), {"code": code_of(device, steps_ahead=1)})
    assert response["Location"] == reverse("login")
    assert signed_in_as(client) is None


def test_a_recovery_code_signs_in_once(cast, factor_on):
    _device, codes = _enrolled(cast.csw_a)
    client = Client()
    password_step(client, "csw_a")
    response = client.post(reverse("security:factor"), {"code": codes[0].upper()}, follow=True)
    assert "残りの予備コードは9個" in response.content.decode()
    assert signed_in_as(client) == cast.csw_a
    event = SecurityEvent.objects.get(kind=EventKind.RECOVERY_CODE_USED)
    assert event.subject == cast.csw_a and event.detail == "9"
    again = Client()
    password_step(again, "csw_a")
    refused = again.post(reverse("security:factor"), {"code": codes[0]})
    assert refused.context["form"].errors["code"]
    assert signed_in_as(again) is None


def test_new_recovery_codes_need_a_current_code_and_void_the_old(cast, factor_on):
    device, old = _enrolled(cast.csw_a)
    client = Client()
    password_step(client, "csw_a")
    client.post(reverse("security:factor"), {"code": code_of(device, steps_ahead=1)})
    page = client.get(reverse("security:my_factor"))
    assert "10個" in page.content.decode()
    wrong = client.post(reverse("security:my_factor"), {"code": "000000"})
    assert wrong.context["form"].errors["code"]
    assert factor.recovery_codes_left(cast.csw_a) == 10
    device.refresh_from_db()
    renewed = client.post(reverse("security:my_factor"), {"code": code_of(device, steps_ahead=2)})
    new = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", renewed.content.decode())
    assert len(new) == 10 and not set(new) & set(old)
    assert SecurityEvent.objects.filter(kind=EventKind.RECOVERY_CODES_RENEWED).count() == 1


def test_which_roles_use_it_is_a_setting(cast, settings):
    settings.TSUNAGU_SECOND_FACTOR_ROLES = frozenset({"supervisor"})
    settings.TSUNAGU_SECOND_FACTOR_EVERY_ROLE = False
    worker = Client()
    assert password_step(worker, "csw_a")["Location"] == "/"
    assert signed_in_as(worker) == cast.csw_a
    supervisor = Client()
    assert password_step(supervisor, "supervisor_a")["Location"] == reverse("security:factor")
    assert signed_in_as(supervisor) is None
    # The login page says the factor is not asked of every role.
    assert "data-factor-off" in Client().get(reverse("login")).content.decode()


def test_the_login_page_is_silent_when_every_role_uses_it(db, factor_on):
    assert "data-factor-off" not in Client().get(reverse("login")).content.decode()


def test_a_session_without_the_factor_ends_at_its_next_request(cast, factor_on):
    """However a session came to be signed in with the password alone (another login view,
    a changed setting), the next request ends it."""
    client = Client()
    client.force_login(cast.csw_a)
    response = client.get(reverse("casework:my_cases"))
    assert response.status_code == 302 and response["Location"] == reverse("login")
    assert signed_in_as(client) is None
    assert SecurityEvent.objects.filter(
        kind=EventKind.LOGOUT, subject=cast.csw_a, detail="二要素認証なしのセッション"
    ).exists()


def test_the_admin_signs_in_through_the_same_two_steps(db, factor_on, django_user_model):
    admin = django_user_model.objects.create_superuser(
        "sysadmin", password="correct-horse-battery-9"
    )
    client = Client()
    response = client.get(reverse("admin:login"))
    assert response["Location"].startswith(reverse("login"))
    assert password_step(client, "sysadmin")["Location"] == reverse("security:factor")
    assert client.get(reverse("admin:index")).status_code == 302
    assert signed_in_as(client) is None
    assert admin.pk


def test_a_wrong_code_pauses_the_next_try(cast, factor_on):
    factor_on.OTP_TOTP_THROTTLE_FACTOR = 30
    device, _codes = _enrolled(cast.csw_a)
    client = Client()
    password_step(client, "csw_a")
    client.post(reverse("security:factor"), {"code": "000000"})
    right = client.post(reverse("security:factor"), {"code": code_of(device, steps_ahead=1)})
    assert "秒待ってから入力してください" in right.context["form"].errors["code"][0]
    assert signed_in_as(client) is None


def test_each_sign_in_enrols_with_a_new_secret_never_cached(cast, factor_on):
    first = Client()
    password_step(first, "csw_a")
    page = first.get(reverse("security:factor"))
    assert "no-store" in page["Cache-Control"]
    old_secret = page.context["secret"]
    old_device = TOTPDevice.objects.get(user=cast.csw_a)
    # The page left open, or seen by someone else: a later sign-in gets another secret.
    second = Client()
    password_step(second, "csw_a")
    assert second.get(reverse("security:factor")).context["secret"] != old_secret
    refused = first.post(reverse("security:factor"), {"code": code_of(old_device)})
    assert refused.context["form"].errors["code"]
    assert not TOTPDevice.objects.filter(user=cast.csw_a, confirmed=True).exists()
    assert SecurityEvent.objects.filter(kind=EventKind.FACTOR_FAILED, subject=cast.csw_a).exists()


def test_a_password_changed_between_the_two_steps_voids_the_first(cast, factor_on):
    device, _codes = _enrolled(cast.csw_a)
    client = Client()
    password_step(client, "csw_a")
    cast.csw_a.set_password("another-long-password-2026")
    cast.csw_a.save()
    response = client.post(reverse("security:factor"), {"code": code_of(device, steps_ahead=1)})
    assert response["Location"] == reverse("login")
    assert signed_in_as(client) is None


def test_new_recovery_codes_keep_a_session_signed_in_with_one(cast, factor_on):
    device, codes = _enrolled(cast.csw_a)
    client = Client()
    password_step(client, "csw_a")
    client.post(reverse("security:factor"), {"code": codes[3]})
    client.post(reverse("security:my_factor"), {"code": code_of(device, steps_ahead=1)})
    assert factor.recovery_codes_left(cast.csw_a) == 10
    assert signed_in_as(client) == cast.csw_a


def test_an_admin_account_without_an_agency_counts_as_a_system_admin(
    cast, settings, django_user_model
):
    settings.TSUNAGU_SECOND_FACTOR_ROLES = frozenset({"system_admin"})
    settings.TSUNAGU_SECOND_FACTOR_EVERY_ROLE = False
    django_user_model.objects.create_user(
        "it_staff", password="correct-horse-battery-9", is_staff=True
    )
    assert password_step(Client(), "it_staff")["Location"] == reverse("security:factor")
    assert password_step(Client(), "csw_a")["Location"] == "/"
