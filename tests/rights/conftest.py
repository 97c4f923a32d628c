"""Requests made the way the counter makes them: through rights.services."""

import datetime

import pytest
from django.utils import timezone

from rights import services
from rights.models import RequestKind
from tests.rights.package_world import record as record  # the package tests' world


def today() -> datetime.date:
    return timezone.localdate()


def days(n: int) -> datetime.date:
    return today() + datetime.timedelta(days=n)


@pytest.fixture
def register(cast, case_a):
    """register(kind, actor=csw_a, received_on=today, person=case_a's person)."""

    def make(kind=RequestKind.DISCLOSURE, *, actor=None, received_on=None, person=None):
        return services.request_register(
            actor=actor or cast.csw_a,
            person=person or case_a.person,
            kind=kind,
            received_on=received_on or today(),
            requester="本人",
            content="保有する記録の全部",
        )

    return make
