"""Celery tasks of the rights app: thin, idempotent (a second run finds nothing due)."""

from celery import shared_task

from rights import disposal


@shared_task(name="rights.dispose")
def dispose() -> dict[str, object]:
    """Periodic (django-celery-beat, daily): dispose of what has been due for the notice days."""
    run = disposal.dispose(source="task")
    if run is None:
        return {"disposed": 0}
    return {"run": run.pk, **{e.record_class: e.count for e in run.entries.all()}}
