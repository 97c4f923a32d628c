"""Celery tasks of casework. Each is idempotent: running it twice is harmless."""

from celery import shared_task

from casework import services


@shared_task(name="casework.drafts_purge")
def drafts_purge() -> dict[str, int]:
    """Periodic (django-celery-beat, hourly): delete expired drafts and used form tokens."""
    drafts, tokens = services.drafts_purge()
    return {"drafts": drafts, "tokens": tokens}
