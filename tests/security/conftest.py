"""The security log's tests: the events written during a test."""

import pytest

from security.models import SecurityEvent


@pytest.fixture
def mark(db):
    """The events written after this point: mark() → a list of them, oldest first."""
    start = SecurityEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    return lambda: list(
        SecurityEvent.objects.filter(pk__gt=start)
        .select_related("actor", "subject", "agency")
        .order_by("pk")
    )
