"""What lands in the security log without its callers asking: sign-in and sign-out (Django's
auth signals), lockouts (django-axes), changes of an account's password, active state, admin
rights, agency and role (model signals, whoever saves: a page, the admin, the directory,
a command), the admin's changes of master data (its LogEntry) and exports and prints of
personal data (their access-log row)."""

from __future__ import annotations

from typing import Any

from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_delete, post_save, pre_save
from django.utils.translation import gettext_noop

from security import events
from security.models import EventKind, EventResult, SecurityEvent

# Set on the request, as (kind, detail), by whoever ends a session that the user did not
# end themselves: the idle timeout, a missing factor.
LOGOUT_REASON = "_tsunagu_logout_reason"
# Set on the request by the factor's page before it signs the user in: how they proved it.
FACTOR_USED = "_tsunagu_factor_used"
# The previous sign-in, kept in the session for the home page (no query per page).
PREVIOUS_SIGN_IN = "tsunagu_previous_sign_in"

DIRECTORY = gettext_noop("ディレクトリ")

_WATCHED_USER_FIELDS = ("password", "is_active", "is_staff", "is_superuser")


def connect() -> None:
    from axes.signals import user_locked_out

    from casework.models import AccessLog, StaffMembership

    user_model = get_user_model()
    user_logged_in.connect(_logged_in, dispatch_uid="security.logged_in")
    user_login_failed.connect(_login_failed, dispatch_uid="security.login_failed")
    user_logged_out.connect(_logged_out, dispatch_uid="security.logged_out")
    user_locked_out.connect(_locked_out, dispatch_uid="security.locked_out")
    pre_save.connect(_user_before, sender=user_model, dispatch_uid="security.user_before")
    post_save.connect(_user_after, sender=user_model, dispatch_uid="security.user_after")
    pre_save.connect(
        _membership_before, sender=StaffMembership, dispatch_uid="security.membership_before"
    )
    post_save.connect(
        _membership_after, sender=StaffMembership, dispatch_uid="security.membership_after"
    )
    post_delete.connect(
        _membership_deleted, sender=StaffMembership, dispatch_uid="security.membership_deleted"
    )
    post_save.connect(_admin_logged, sender=LogEntry, dispatch_uid="security.admin_logged")
    post_save.connect(_access_logged, sender=AccessLog, dispatch_uid="security.access_logged")


def _logged_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if request is None:
        return
    previous = (
        SecurityEvent.objects.filter(subject=user, kind=EventKind.LOGIN)
        .order_by("-at", "-pk")
        .values("at", "address")
        .first()
    )
    if hasattr(request, "session"):
        request.session[PREVIOUS_SIGN_IN] = (
            {"at": previous["at"].isoformat(), "address": previous["address"]}
            if previous is not None
            else {}
        )
    factor = getattr(request, FACTOR_USED, "")
    backend = getattr(user, "backend", "") or ""
    detail = factor or gettext_noop("二要素認証なし")
    if backend == "directory.backend.DirectoryBackend":
        detail = detail + " / " + DIRECTORY
    events.record(EventKind.LOGIN, request=request, actor=user, subject=user, detail=detail)


def _login_failed(sender: Any, credentials: dict[str, Any], request: Any = None, **kw: Any) -> None:
    typed = str(credentials.get("username") or "")[: events.USERNAME_MAX]
    user_model = get_user_model()
    subject = user_model._default_manager.filter(**{user_model.USERNAME_FIELD: typed}).first()
    locked = _refused_by_lock(request)
    events.record(
        EventKind.LOGIN_FAILED,
        result=EventResult.REFUSED if locked else EventResult.FAILURE,
        request=request,
        actor=None,
        subject=subject,
        username=typed,
        detail=gettext_noop("ロック中") if locked else "",
    )


def _refused_by_lock(request: Any) -> bool:
    """Was this attempt refused by a lockout already in place (no password checked)?

    django-axes marks both that attempt and the failure that reaches AXES_FAILURE_LIMIT as
    locked out, and sends user_locked_out for both; only the failure that reaches the limit
    has its failure count on the request (axes.handlers.database: the refused attempt
    returns before counting). That failure is a failure like the others, and starts the
    lockout: one lockout event, not one more for every attempt refused while it lasts."""
    return bool(getattr(request, "axes_locked_out", False)) and (
        getattr(request, "axes_failures_since_start", None) is None
    )


def _locked_out(sender: Any, request: Any, username: str, ip_address: str, **kw: Any) -> None:
    if _refused_by_lock(request):
        return  # an attempt during the lockout: its login_failed event says "refused"
    user_model = get_user_model()
    subject = user_model._default_manager.filter(**{user_model.USERNAME_FIELD: username}).first()
    events.record(
        EventKind.LOCKOUT,
        result=EventResult.REFUSED,
        request=request,
        actor=None,
        subject=subject,
        username=username or "",
    )


def _logged_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is None:
        return
    kind, detail = getattr(request, LOGOUT_REASON, (EventKind.LOGOUT, ""))
    events.record(kind, request=request, actor=user, subject=user, detail=detail)


def _watched(update_fields: Any, names: tuple[str, ...]) -> tuple[str, ...]:
    if update_fields is None:
        return names
    return tuple(name for name in names if name in update_fields)


def _user_before(sender: Any, instance: Any, update_fields: Any = None, **kw: Any) -> None:
    fields = _watched(update_fields, _WATCHED_USER_FIELDS)
    if instance.pk is None or not fields:
        instance._tsunagu_before = None
        return
    instance._tsunagu_before = (
        sender._default_manager.filter(pk=instance.pk).values(*fields).first()
    )


def _user_after(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
    if created:
        events.record(
            EventKind.ACTIVE_CHANGE,
            subject=instance,
            detail=gettext_noop("アカウント作成")
            + ("" if instance.is_active else " / " + gettext_noop("無効")),
        )
        return
    before = getattr(instance, "_tsunagu_before", None)
    instance._tsunagu_before = None
    if not before:
        return
    # A reset (the password made unusable) is recorded by its service, with its issuer; a
    # hash upgraded at sign-in (Django's check_password, new hasher settings) is no change:
    # Django clears `_password` for it, as for every save that did not set a password.
    changed = "password" in before and before["password"] != instance.password
    if changed and instance.has_usable_password() and instance._password is not None:
        events.record(EventKind.PASSWORD_CHANGE, subject=instance)
    if "is_active" in before and before["is_active"] != instance.is_active:
        events.record(
            EventKind.ACTIVE_CHANGE,
            subject=instance,
            detail=gettext_noop("有効") if instance.is_active else gettext_noop("無効"),
        )
    rights = [
        f"{name}: {before[name]} → {getattr(instance, name)}"
        for name in ("is_staff", "is_superuser")
        if name in before and before[name] != getattr(instance, name)
    ]
    if rights:
        events.record(EventKind.ADMIN_RIGHTS_CHANGE, subject=instance, detail="; ".join(rights))


def _membership_text(agency: Any, role: str) -> str:
    return f"{agency.name if agency is not None else '-'} / {role}"


def _membership_before(sender: Any, instance: Any, **kwargs: Any) -> None:
    instance._tsunagu_before = (
        sender._default_manager.filter(pk=instance.pk).select_related("agency").first()
        if instance.pk is not None
        else None
    )


def _membership_after(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
    before = getattr(instance, "_tsunagu_before", None)
    instance._tsunagu_before = None
    if before is not None and (before.agency_id, before.role) == (
        instance.agency_id,
        instance.role,
    ):
        return
    old = _membership_text(before.agency, before.role) if before is not None else "-"
    new = _membership_text(instance.agency, instance.role)
    user = instance.user
    user.__dict__.pop("_tsunagu_membership", None)  # the cached membership is the old one
    detail = f"{old} → {new}"
    events.record(
        EventKind.MEMBERSHIP_CHANGE, subject=user, agency_id=instance.agency_id, detail=detail
    )
    if before is not None and before.agency_id != instance.agency_id:
        # The agency the worker left reads it too.
        events.record(
            EventKind.MEMBERSHIP_CHANGE, subject=user, agency_id=before.agency_id, detail=detail
        )


def _membership_deleted(sender: Any, instance: Any, **kwargs: Any) -> None:
    user_model = get_user_model()
    user = user_model._default_manager.filter(pk=instance.user_id).first()
    if user is None:  # the user itself is being deleted
        return
    events.record(
        EventKind.MEMBERSHIP_CHANGE,
        subject=user,
        agency_id=instance.agency_id,  # the agency it was: the account has none now
        detail=f"{_membership_text(instance.agency, instance.role)} → -",
    )


_ADMIN_ACTIONS = {
    ADDITION: gettext_noop("追加"),
    CHANGE: gettext_noop("変更"),
    DELETION: gettext_noop("削除"),
}


def _admin_logged(sender: Any, instance: LogEntry, created: bool, **kwargs: Any) -> None:
    if not created:
        return
    kind = instance.content_type
    model = getattr(kind, "model", "") if kind is not None else ""
    action = _ADMIN_ACTIONS.get(instance.action_flag, "")
    events.record(
        EventKind.MASTER_DATA_CHANGE,
        actor=instance.user,
        subject=None,
        detail=f"{model} #{instance.object_id} {action}: {instance.get_change_message()}",
    )


def _access_logged(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
    if created and instance.action == "export":
        events.record(EventKind.EXPORT, actor=instance.user, detail=instance.detail)
