"""Writes of the reminders app: scanning, claiming, delivering, releasing.

Life of a reminder: a scan inserts it as *pending* (a second scan finds the same key and
inserts nothing); a delivery task *claims* it with a conditional update (SKIP LOCKED on
PostgreSQL), checks that it still applies, and in one transaction creates the in-app
notification and marks it *sent*; or marks it *cancelled* when its object is gone or
closed. The e-mail, if the user chose it, is a task of its own sent after that commit, with
its own retries (email_send). A claim older than REMINDER_CLAIM_TIMEOUT_SECONDS (a worker
that died) is released to *pending* and delivered again; after REMINDER_MAX_ATTEMPTS it is
*failed*.
"""

from __future__ import annotations

import datetime
import logging
import uuid
from collections import Counter, defaultdict
from collections.abc import Iterable
from typing import TYPE_CHECKING

from celery import current_app
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import connection, transaction
from django.db.models import Count, F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from casework import access
from casework.models import Notification

from . import messages as reminder_messages
from . import rules
from .insert import insert_new
from .models import (
    AgencyReminderSettings,
    ChannelPreference,
    EmailState,
    Reminder,
    ReminderState,
)

if TYPE_CHECKING:
    from celery import Task
    from django.contrib.auth.models import User

log = logging.getLogger(__name__)

# Pending reminders are handed to workers in messages of this many.
DELIVERY_BATCH = 50


class LostClaim(Exception):
    """Another worker took the reminder over (the claim had timed out)."""


# --- scanning --------------------------------------------------------------------------------


def _task(name: str) -> Task:
    """A task of this app, by its registered name: the tasks call these services, and the
    services reach the tasks only through the Celery app, so neither imports the other."""
    return current_app.tasks[name]


def reminder_scan(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Insert every reminder that is due now; return how many each rule added."""
    ctx = rules.ScanContext.load(now)
    # The scan's moment: delivery checks each reminder as of it.
    created_at = ctx.now
    for find in rules.RULES.values():
        # Each rule leaves out, in its own query, the keys stored by scans before: a repeat
        # scan reads only what is new. The unique key still decides when two scans run at once.
        insert_new([c.key for c in find(ctx, new_only=True)], created_at=created_at)
    # ignore_conflicts cannot say which rows were new; the shared timestamp can.
    new = dict(
        Reminder.objects.filter(created_at=created_at)
        .values("rule")
        .annotate(n=Count("pk"))
        .values_list("rule", "n")
    )
    return {rule: new.get(rule, 0) for rule in rules.RULES}


def reminder_resolve() -> int:
    """A reminder whose condition no longer holds (the monitoring was recorded, the referral
    answered, the visit recorded, the report triaged) leaves the unread count: its unread
    notification is marked read. Returns how many were.

    As at delivery, each reminder is checked as of its own scan: its rule is run on today's
    records at the scan's moment, so only a change of the records resolves it, never the
    passing of time (a visit's day coming, a due date passing)."""
    groups: dict[tuple[str, datetime.datetime], list[tuple[int, datetime.date, int, int]]] = (
        defaultdict(list)
    )
    for (
        rule,
        created_at,
        object_id,
        due_on,
        recipient_id,
        notification_id,
    ) in Reminder.objects.filter(
        state=ReminderState.SENT,
        notification__isnull=False,
        notification__read_at__isnull=True,
    ).values_list("rule", "created_at", "object_id", "due_on", "recipient_id", "notification_id"):
        groups[(rule, created_at)].append((object_id, due_on, recipient_id, notification_id))
    resolved: list[int] = []
    for (rule, scanned_at), rows in groups.items():
        find = rules.RULES.get(rule)
        if find is None:
            continue
        ctx = rules.ScanContext.load(scanned_at)
        holds = {c.key for c in find(ctx, object_ids={row[0] for row in rows})}
        resolved += [
            notification
            for object_id, due_on, recipient, notification in rows
            if (rule, object_id, due_on, recipient) not in holds
        ]
    return Notification.objects.filter(pk__in=resolved, read_at__isnull=True).update(
        read_at=timezone.now()
    )


# --- handing out -----------------------------------------------------------------------------


def reminder_release_stale(*, now: datetime.datetime | None = None) -> tuple[int, int]:
    """Give back claims a dead or stuck worker left behind. Returns (released, failed)."""
    now = now or timezone.now()
    limit = now - datetime.timedelta(seconds=settings.REMINDER_CLAIM_TIMEOUT_SECONDS)
    stale = Reminder.objects.filter(state=ReminderState.CLAIMED, claimed_at__lt=limit)
    failed = stale.filter(attempts__gte=settings.REMINDER_MAX_ATTEMPTS).update(
        state=ReminderState.FAILED,
        finished_at=now,
        note=_("配信が規定の回数失敗しました。"),
    )
    released = stale.update(
        state=ReminderState.PENDING, claimed_at=None, claim_token="", enqueued_at=None
    )
    if released or failed:
        log.warning("reminders: released %d stale claims, %d failed", released, failed)
    return released, failed


def reenqueue_after() -> datetime.timedelta:
    """A pending reminder whose message went missing (a worker died holding it) is handed
    out again after this long."""
    return datetime.timedelta(seconds=settings.REMINDER_REENQUEUE_SECONDS)


def reminder_dispatch(*, now: datetime.datetime | None = None, limit: int = 20000) -> int:
    """Send the pending reminders to the workers, in batches, once the transaction commits."""
    now = now or timezone.now()
    waiting = Reminder.objects.filter(state=ReminderState.PENDING).filter(
        Q(enqueued_at__isnull=True) | Q(enqueued_at__lt=now - reenqueue_after())
    )
    with transaction.atomic():
        ids = list(waiting.order_by("pk").values_list("pk", flat=True)[:limit])
        Reminder.objects.filter(pk__in=ids).update(enqueued_at=now)
        for start in range(0, len(ids), DELIVERY_BATCH):
            _task("reminders.deliver").delay_on_commit(ids[start : start + DELIVERY_BATCH])
    return len(ids)


def reminder_claim(
    ids: Iterable[int], *, token: str, now: datetime.datetime | None = None
) -> list[int]:
    """Take the pending reminders among `ids` for this worker; return the ones it got."""
    now = now or timezone.now()
    ids = list(ids)
    with transaction.atomic():
        pending = Reminder.objects.filter(pk__in=ids, state=ReminderState.PENDING)
        if connection.features.has_select_for_update_skip_locked:
            # Rows another worker is claiming right now are skipped, not waited for.
            free = list(pending.select_for_update(skip_locked=True).values_list("pk", flat=True))
            pending = Reminder.objects.filter(pk__in=free, state=ReminderState.PENDING)
        # The condition on the state makes the claim safe without the lock too (SQLite).
        pending.update(
            state=ReminderState.CLAIMED,
            claimed_at=now,
            claim_token=token,
            attempts=F("attempts") + 1,
        )
    return list(
        Reminder.objects.filter(
            pk__in=ids, state=ReminderState.CLAIMED, claim_token=token
        ).values_list("pk", flat=True)
    )


def reminder_deliver(ids: Iterable[int]) -> Counter[str]:
    """Claim and deliver the given reminders; those another worker has are left alone."""
    token = uuid.uuid4().hex
    mine = reminder_claim(ids, token=token)
    return reminder_deliver_claimed(mine, token=token)


def reminder_release(ids: Iterable[int], *, token: str) -> int:
    """Hand back claims this worker cannot finish (it is being stopped)."""
    return Reminder.objects.filter(
        pk__in=list(ids), state=ReminderState.CLAIMED, claim_token=token
    ).update(state=ReminderState.PENDING, claimed_at=None, claim_token="", enqueued_at=None)


def reminder_deliver_claimed(ids: Iterable[int], *, token: str) -> Counter[str]:
    outcome: Counter[str] = Counter()
    claimed = list(
        Reminder.objects.filter(pk__in=list(ids), state=ReminderState.CLAIMED, claim_token=token)
        .select_related("recipient", "recipient__reminder_channels")
        .order_by("pk")
    )
    # Each scan's reminders are checked as of that scan: the rule, re-run on today's
    # records but at the scan's moment, finds the same key unless the object was closed
    # or changed, or the recipient is no longer the right person. (Re-run at delivery time,
    # a reminder scanned at 23:55 and delivered at 00:05 would miss its own day.)
    groups: dict[tuple[str, datetime.datetime], list[Reminder]] = defaultdict(list)
    for reminder in claimed:
        groups[(reminder.rule, reminder.created_at)].append(reminder)
    with translation.override(settings.LANGUAGE_CODE):
        for (rule, scanned_at), reminders in groups.items():
            ctx = rules.ScanContext.load(scanned_at)
            current = {
                c.key: c
                for c in rules.RULES[rule](ctx, object_ids={r.object_id for r in reminders})
            }
            for reminder in reminders:
                key = (reminder.rule, reminder.object_id, reminder.due_on, reminder.recipient_id)
                outcome[_deliver_one(reminder, current.get(key), token=token)] += 1
    return outcome


def _channels(user: User) -> ChannelPreference:
    try:
        return user.reminder_channels
    except ChannelPreference.DoesNotExist:
        return ChannelPreference(user=user)


def _finish(reminder: Reminder, token: str, **changes: object) -> None:
    done = Reminder.objects.filter(
        pk=reminder.pk, state=ReminderState.CLAIMED, claim_token=token
    ).update(finished_at=timezone.now(), **changes)
    if done != 1:
        raise LostClaim(reminder.pk)


def _deliver_one(reminder: Reminder, candidate: rules.Candidate | None, *, token: str) -> str:
    """Deliver in the app and mark sent, in one transaction; the e-mail follows on commit.

    Errors other than a lost claim propagate: the task fails, and the claim is released
    after its time limit and retried.
    """
    user = reminder.recipient
    try:
        with transaction.atomic():
            if candidate is None or not user.is_active:
                _finish(
                    reminder,
                    token,
                    state=ReminderState.CANCELLED,
                    note=_("対象が終了・変更されたか、宛先が担当でなくなりました。"),
                )
                return ReminderState.CANCELLED
            message, url = reminder_messages.describe(candidate)
            channels = _channels(user)
            wants_email = channels.email and bool(user.email)
            notification = None
            if channels.in_app or not wants_email:
                notification = Notification.objects.create(
                    recipient=user, message=message[:300], url=url
                )
            # The conditional update holds the row: a worker whose claim was taken over
            # fails here and rolls its notification back.
            _finish(
                reminder,
                token,
                state=ReminderState.SENT,
                notification=notification,
                message=message[:300],
                url=url,
                email_state=EmailState.PENDING if wants_email else EmailState.NONE,
            )
            if wants_email:
                _task("reminders.send_email").delay_on_commit(reminder.pk)
    except LostClaim:
        log.warning("reminders: claim on %s was taken over; not delivering", reminder.pk)
        return "lost"
    return ReminderState.SENT


# --- e-mail ----------------------------------------------------------------------------------


def email_backoff(attempts: int) -> datetime.timedelta:
    """5, 10, 20, 40… minutes after the first, second, third… failed attempt."""
    return datetime.timedelta(minutes=5 * 2 ** max(attempts - 1, 0))


def reminder_email_send(reminder_id: int, *, now: datetime.datetime | None = None) -> str:
    """Send a delivered reminder's e-mail. One worker at a time holds it (a lease on
    email_next_at); a failure is retried with back-off, and after REMINDER_MAX_ATTEMPTS the
    reminder is put in the app instead, if it was not already there."""
    now = now or timezone.now()
    lease = now + datetime.timedelta(seconds=settings.EMAIL_TIMEOUT * 2 + 60)
    got = (
        Reminder.objects.filter(
            pk=reminder_id, state=ReminderState.SENT, email_state=EmailState.PENDING
        )
        .filter(Q(email_next_at__isnull=True) | Q(email_next_at__lte=now))
        .update(email_next_at=lease, email_attempts=F("email_attempts") + 1)
    )
    if not got:
        return "skipped"
    reminder = Reminder.objects.select_related("recipient").get(pk=reminder_id)
    try:
        _email(reminder.recipient, reminder)
    except SoftTimeLimitExceeded:
        raise
    except Exception as error:  # the mail server refused or is down
        log.warning("reminders: e-mail for %s failed: %s", reminder.pk, error)
        return _email_failed(reminder, error, now)
    Reminder.objects.filter(pk=reminder.pk).update(email_state=EmailState.SENT, email_next_at=None)
    return "emailed"


@transaction.atomic
def _email_failed(reminder: Reminder, error: Exception, now: datetime.datetime) -> str:
    note = f"{type(error).__name__}: {error}"[:300]
    if reminder.email_attempts < settings.REMINDER_MAX_ATTEMPTS:
        Reminder.objects.filter(pk=reminder.pk).update(
            email_next_at=now + email_backoff(reminder.email_attempts), note=note
        )
        return "email_retry"
    changes: dict[str, object] = {
        "email_state": EmailState.FAILED,
        "email_next_at": None,
        "note": note,
    }
    if reminder.notification_id is None:
        # E-mail was the only channel: nothing may be forgotten, so the bell gets it.
        changes["notification"] = Notification.objects.create(
            recipient=reminder.recipient, message=reminder.message, url=reminder.url
        )
    Reminder.objects.filter(pk=reminder.pk).update(**changes)
    return "email_failed"


def reminder_email_dispatch(*, now: datetime.datetime | None = None, limit: int = 5000) -> int:
    """Hand out the e-mails whose (next) attempt is due."""
    now = now or timezone.now()
    ids = list(
        Reminder.objects.filter(state=ReminderState.SENT, email_state=EmailState.PENDING)
        .filter(Q(email_next_at__isnull=True) | Q(email_next_at__lte=now))
        .order_by("pk")
        .values_list("pk", flat=True)[:limit]
    )
    for pk in ids:
        _task("reminders.send_email").delay_on_commit(pk)
    return len(ids)


def _email(user: User, reminder: Reminder) -> None:
    subject = _("[Tsunagu] %(rule)s") % {"rule": reminder.get_rule_display()}
    body = "\n\n".join(
        [
            reminder.message,
            settings.TSUNAGU_BASE_URL.rstrip("/") + reminder.url,
            _("このメールは Tsunagu から自動で送信されています。"),
        ]
    )
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])


# --- settings --------------------------------------------------------------------------------


def channel_preference_set(*, actor: User, in_app: bool, email: bool) -> ChannelPreference:
    """The actor's own choice of channels; at least one stays on."""
    if not in_app and not email:
        raise ValidationError({"in_app": _("少なくとも一つの通知方法を選んでください。")})
    if email and not actor.email:
        raise ValidationError(
            {"email": _("メールアドレスが登録されていません。管理者に登録を依頼してください。")}
        )
    preference, _created = ChannelPreference.objects.update_or_create(
        user=actor, defaults={"in_app": in_app, "email": email}
    )
    return preference


@transaction.atomic
def agency_settings_set(*, actor: User, **values: int) -> AgencyReminderSettings:
    """A supervisor sets the reminder periods of their own agency."""
    membership = access.require_supervisor(actor)
    current, _created = AgencyReminderSettings.objects.select_for_update().get_or_create(
        agency_id=membership.agency_id
    )
    for name, value in values.items():
        setattr(current, name, value)
    current.updated_by = actor
    current.full_clean()
    current.save()
    return current
