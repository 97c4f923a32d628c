"""Codes as an authenticator app computes them, and the two-step sign-in."""

import time

from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP

PASSWORD = "correct-horse-battery-9"  # the factories' password


def code_of(device, *, steps_ahead: int = 0) -> str:
    """The app's code now, or `steps_ahead` 30-second steps later (a code is accepted once,
    so a second sign-in within the same step uses the next step's code, as the app's clock
    would be by then; the device tolerates one step of drift)."""
    # The app knows no drift: the device learns it (OTP_TOTP_SYNC) from the codes it accepts.
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, 0)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


def password_step(client: Client, username: str, password: str = PASSWORD, **extra):
    return client.post(reverse("login"), {"username": username, "password": password}, **extra)


def signed_in_as(client: Client):
    response = client.get(reverse("casework:home"))
    return response.wsgi_request.user if response.status_code == 200 else None


def fully_signed_in(user) -> Client:
    """A client signed in as `user` with their (new) authenticator verified, as after the
    two steps; the steps themselves are tested in test_factor.py."""
    from django_otp import DEVICE_ID_SESSION_KEY

    from security import factor

    device = factor.authenticator_of(user)
    if device is None:
        device = factor.enrolment_device(user)
        assert factor.enrol(user, device, code_of(device)) is not None
        device.refresh_from_db()
    client = Client()
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client
