"""Celery tasks of the reminders app. Each is idempotent: running it twice is harmless."""

import uuid

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded

from . import services


@shared_task(name="reminders.scan")
def scan() -> dict[str, object]:
    """Periodic (django-celery-beat): insert the reminders now due and hand them out."""
    added = services.reminder_scan()
    resolved = services.reminder_resolve()
    services.reminder_release_stale()
    handed_out = services.reminder_dispatch()
    return {"added": added, "resolved": resolved, "handed_out": handed_out}


@shared_task(name="reminders.sweep")
def sweep() -> dict[str, int]:
    """Periodic: release claims of dead workers and hand out what is still pending."""
    released, failed = services.reminder_release_stale()
    return {
        "released": released,
        "failed": failed,
        "handed_out": services.reminder_dispatch(),
        "emails": services.reminder_email_dispatch(),
    }


@shared_task(name="reminders.deliver")
def deliver(ids: list[int]) -> dict[str, int]:
    token = uuid.uuid4().hex
    mine = services.reminder_claim(ids, token=token)
    try:
        return dict(services.reminder_deliver_claimed(mine, token=token))
    except SoftTimeLimitExceeded:
        # Give back what is left so the next sweep hands it to another worker at once.
        services.reminder_release(mine, token=token)
        raise


@shared_task(name="reminders.send_email")
def send_email(reminder_id: int) -> str:
    return services.reminder_email_send(reminder_id)
