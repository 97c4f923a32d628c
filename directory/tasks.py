"""Celery tasks of the directory app."""

import logging

from celery import shared_task

from directory import sync

logger = logging.getLogger(__name__)


@shared_task(name="directory.sync")
def directory_sync() -> dict[str, object]:
    """Periodic (django-celery-beat, every 15 minutes): switch off the accounts the directory
    no longer has, move those it places elsewhere. Nothing to do while the directory is off."""
    if not sync.directory_enabled():
        return {"enabled": False}
    try:
        result = sync.directory_sync()
    except sync.DirectoryUnavailable as exc:
        # Nothing was changed; the next run tries again. Not retried here: beat's next run
        # is the retry, and a retry loop would only hold a worker.
        logger.error("directory sync: the directory cannot be reached: %s", exc)
        return {"enabled": True, "reached": False}
    except sync.SyncRefused as exc:
        logger.error("directory sync refused: %s", exc)
        return {"enabled": True, "reached": True, "refused": True}
    return {
        "enabled": True,
        "reached": True,
        "checked": result.checked,
        "deactivated": result.deactivated,
        "moved": result.moved,
        "warnings": len(result.warnings),
    }
