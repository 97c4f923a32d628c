"""Recomputing stored search keys after the folding changed (a new variant table, new rules).

Shared by the data migration that introduced variant folding and `manage.py
refresh_search_keys`; it takes the model as an argument so that a migration can pass its
historical model."""

from __future__ import annotations

from typing import Any

from casework.normalize import person_search_key

BATCH_SIZE = 1000
NAME_FIELDS = ("family_name", "given_name", "family_name_kana", "given_name_kana")


def recompute_person_search_keys(person_model: Any, *, batch_size: int = BATCH_SIZE) -> int:
    """Refold every person's search key from the stored name, in batches walked by primary
    key (memory stays flat, on SQLite and PostgreSQL alike). Writes only the keys that
    changed, and returns how many did. The names themselves are read, never written."""
    manager = person_model._base_manager
    changed = 0
    after = 0
    while True:
        batch = list(
            manager.filter(pk__gt=after)
            .order_by("pk")
            .only("pk", "search_key", *NAME_FIELDS)[:batch_size]
        )
        if not batch:
            return changed
        stale = []
        for person in batch:
            key = person_search_key(*(getattr(person, field) for field in NAME_FIELDS))
            if key != person.search_key:
                person.search_key = key
                stale.append(person)
        if stale:
            manager.bulk_update(stale, ["search_key"], batch_size=batch_size)
            changed += len(stale)
        after = batch[-1].pk
