"""The second factor: TOTP (an authenticator app) with recovery codes, by django-otp.

Who must use it is TSUNAGU_SECOND_FACTOR_ROLES (config/settings.py): by default every role
and the system admins. Signing in is two steps: the password (the login page), then the
code (security.views); only after the code is the user signed in, so no session exists
with the password alone. Only a system admin resets a factor (`factor_reset`), with a
reason; the user is told.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from security import events
from security.models import EventKind

if TYPE_CHECKING:
    from django.contrib.auth.models import User

SYSTEM_ADMIN = "system_admin"
RECOVERY_CODE_COUNT = 10
TOTP_NAME = "authenticator"
RECOVERY_NAME = "recovery"


def role_of(user: Any) -> str | None:
    """The user's role for the factor's setting: system_admin, a membership role, or None."""
    if user.is_superuser:
        return SYSTEM_ADMIN
    from casework import access

    membership = access.membership_of(user)
    return membership.role if membership is not None else None


def required_for(user: Any) -> bool:
    roles = settings.TSUNAGU_SECOND_FACTOR_ROLES
    role = role_of(user)
    if role is None and user.is_staff:
        role = SYSTEM_ADMIN  # the admin without an agency: the ward IT's own accounts
    # An account with no role sees nothing; it still proves itself where every role must.
    return role in roles if role is not None else settings.TSUNAGU_SECOND_FACTOR_EVERY_ROLE


def off_somewhere() -> bool:
    """Is the factor off for any role (the login page says so)?"""
    return not settings.TSUNAGU_SECOND_FACTOR_EVERY_ROLE


def authenticator_of(user: Any) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def enrolment_device(user: Any, device_id: int | None = None) -> TOTPDevice:
    """The unconfirmed authenticator being enrolled in this sign-in (`device_id`, kept by
    the sign-in), else a new one with a new secret: an enrolment page left open or seen by
    someone else earlier shows a secret that no longer counts."""
    if device_id is not None:
        device = TOTPDevice.objects.filter(pk=device_id, user=user, confirmed=False).first()
        if device is not None:
            return device
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name=TOTP_NAME, confirmed=False)


def qr_svg(device: TOTPDevice) -> str:
    """The enrolment QR code as inline SVG, drawn here: the secret goes to no other service."""
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    out = io.BytesIO()
    image.save(out)
    svg = out.getvalue().decode("utf-8")
    return svg[svg.index("<svg") :]  # without the XML declaration, to sit inside the page


def secret_text(device: TOTPDevice) -> str:
    """The secret in base32, in groups of four, for typing into an app by hand."""
    from base64 import b32encode

    text = b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


@dataclass(frozen=True)
class Verified:
    device: Any
    recovery: bool
    recovery_left: int = 0


def wait_seconds(device: Any) -> int:
    """How long django-otp's throttle still refuses the device after wrong codes (1, 2, 4…
    seconds, doubling): 0 when a code may be tried."""
    if device is None:
        return 0
    allowed, data = device.verify_is_allowed()
    if allowed or not data or "locked_until" not in data:
        return 0
    from django.utils import timezone

    return max(1, math.ceil((data["locked_until"] - timezone.now()).total_seconds()))


def _is_app_code(code: str) -> bool:
    """Six digits: the app's code. A recovery code has eight characters (letters and 2-7)."""
    return len(code) == 6 and code.isdigit()


def _clean(code: str) -> str:
    return "".join(code.split()).lower()


def device_for(user: Any, code: str) -> Any:
    """The device a code is for: the authenticator for the app's code, else the recovery
    codes."""
    if _is_app_code(_clean(code)):
        return authenticator_of(user) or TOTPDevice.objects.filter(user=user).first()
    return StaticDevice.objects.filter(user=user, confirmed=True).first()


@transaction.atomic
def verify(user: Any, code: str) -> Verified | None:
    """The user's authenticator code, or one of their recovery codes (used up by this).
    The device's row is locked while it is checked: two requests sending the same code at
    once cannot both pass (django-otp's replay guard and throttle read, then write)."""
    code = _clean(code)
    if _is_app_code(code):
        device = (
            TOTPDevice.objects.select_for_update()
            .filter(user=user, confirmed=True)
            .order_by("pk")
            .first()
        )
        if device is not None and device.verify_token(code):
            return Verified(device=device, recovery=False)
        return None
    recovery = StaticDevice.objects.select_for_update().filter(user=user, confirmed=True).first()
    if recovery is not None and recovery.verify_token(code):
        left = recovery.token_set.count()
        return Verified(device=recovery, recovery=True, recovery_left=left)
    return None


@transaction.atomic
def enrol(user: Any, device: TOTPDevice, code: str) -> list[str] | None:
    """Confirm the authenticator with a code from it: returns the new recovery codes (shown
    once), or None when the code is wrong."""
    device = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=user)
    if device.confirmed or not device.verify_token(_clean(code)):
        return None
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = _new_recovery_codes(user)
    events.record(EventKind.FACTOR_ENROLLED, actor=user, subject=user)
    return codes


def _new_recovery_codes(user: Any) -> list[str]:
    """Ten new codes on the user's one recovery device (kept: a session signed in with a
    recovery code stays verified), the old codes void."""
    device = StaticDevice.objects.filter(user=user).order_by("pk").first()
    if device is None:
        device = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
    StaticDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    StaticToken.objects.filter(device=device).delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=c) for c in codes])
    return codes


@transaction.atomic
def recovery_codes_renew(user: Any, code: str) -> list[str] | None:
    """New recovery codes (the old ones void), on a current authenticator code."""
    device = (
        TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True).order_by("pk")
    ).first()
    if device is None or not device.verify_token(_clean(code)):
        return None
    codes = _new_recovery_codes(user)
    events.record(EventKind.RECOVERY_CODES_RENEWED, actor=user, subject=user)
    return codes


def recovery_codes_left(user: Any) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def may_reset(actor: Any) -> bool:
    return bool(actor.is_active and actor.is_superuser)


@transaction.atomic
def factor_reset(*, actor: User, user: User, reason: str) -> int:
    """The system admin removes the user's authenticator and recovery codes: at the next
    sign-in the user enrols again. Their open sessions end at their next request (the
    device they were verified with is gone: security.middleware); the user is told."""
    if not may_reset(actor):
        raise PermissionDenied
    if user.pk == actor.pk:
        raise PermissionDenied  # another system admin resets one's own factor
    removed = TOTPDevice.objects.filter(user=user).delete()[0]
    removed += StaticDevice.objects.filter(user=user).delete()[0]
    events.record(
        EventKind.FACTOR_RESET,
        actor=actor,
        subject=user,
        detail=reason.strip(),
    )
    from casework import services

    services.notification_send(
        recipients=[user],
        message=_(
            "システム管理者が、あなたの二要素認証(認証アプリと予備コード)をリセットしました。"
            "次にログインするとき、認証アプリをもう一度登録してください。"
            "心当たりがない場合は、区の情報システム担当に連絡してください。"
        ),
    )
    if user.email:
        address = user.email
        transaction.on_commit(lambda: _mail_reset(address))
    return removed


def _mail_reset(address: str) -> None:
    try:
        send_mail(
            _("【つなぐ】二要素認証のリセット"),
            _(
                "システム管理者が、あなたの二要素認証をリセットしました。"
                "次にログインするとき、認証アプリをもう一度登録してください。\n\n"
                "心当たりがない場合は、区の情報システム担当に連絡してください。"
            ),
            None,
            [address],
        )
    except Exception:  # the reset stands; the notification in the app says it too
        import logging

        logging.getLogger(__name__).exception("factor reset notice could not be mailed")


FACTOR_TOTP = gettext_noop("二要素認証: 認証アプリ")
FACTOR_RECOVERY = gettext_noop("二要素認証: 予備コード")
