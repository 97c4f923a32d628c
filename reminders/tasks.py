"""Celery tasks of the reminders app. Each is idempotent: running it twice is harmless."""

import uuid

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded

from . import services


@shared_task(name="reminders.scan")
def scan() -> dict:
    """Periodic (django-celery-beat): insert the reminders now due and hand them out."""
    added = services.scan()
    services.release_stale()
    handed_out = services.dispatch()
    return {"added": added, "handed_out": handed_out}


@shared_task(name="reminders.sweep")
def sweep() -> dict:
    """Periodic: release claims of dead workers and hand out what is still pending."""
    released, failed = services.release_stale()
    return {
        "released": released,
        "failed": failed,
        "handed_out": services.dispatch(),
        "emails": services.dispatch_emails(),
    }


@shared_task(name="reminders.deliver")
def deliver(ids: list[int]) -> dict:
    token = uuid.uuid4().hex
    mine = services.claim(ids, token=token)
    try:
        return dict(services.deliver_claimed(mine, token=token))
    except SoftTimeLimitExceeded:
        # Give back what is left so the next sweep hands it to another worker at once.
        services.release(mine, token=token)
        raise


@shared_task(name="reminders.send_email")
def send_email(reminder_id: int) -> str:
    return services.email_send(reminder_id)
