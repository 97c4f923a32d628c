"""Celery tasks of the rights app: thin, idempotent (a second run finds nothing due)."""

from celery import shared_task

from rights import disposal


# Its own limits: the first run after years of records may delete many log rows.
@shared_task(name="rights.dispose", time_limit=3600, soft_time_limit=3500)
def dispose() -> dict[str, object]:
    """Periodic (django-celery-beat, daily): dispose of what has been due for the notice days."""
    run = disposal.dispose(source="task")
    if run is None:
        return {"disposed": 0}
    return {"run": run.pk, **{e.record_class: e.count for e in run.entries.all()}}
