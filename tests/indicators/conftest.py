import datetime
import zoneinfo

import pytest

from indicators import services
from indicators.models import Snapshot
from tests.indicators.builders import D, World

TOKYO = zoneinfo.ZoneInfo("Asia/Tokyo")
DEC_31_2024 = datetime.datetime(2024, 12, 31, 18, 0, tzinfo=TOKYO)


@pytest.fixture
def world(cast):
    return World(cast.csw_a, cast.agency_a)


def computed_at(snapshot, when):
    """As if the draft had been computed on `when` (a draft may still be written)."""
    Snapshot.objects.filter(pk=snapshot.pk).update(computed_at=when)
    snapshot.refresh_from_db()
    return snapshot


def attendances(world, fy_start_day, days, attendance):
    """Exercise-group sessions on `days` consecutive days from `fy_start_day`."""
    group = world.group()
    world.sessions(
        group, [fy_start_day + datetime.timedelta(days=d) for d in range(days)], attendance
    )
    return group


@pytest.fixture
def december_2024(cast, world):
    """FY2023 finished and approved at 8,150 attendances (50% of the way from 6,700 to
    9,600); FY2024 computed on December 31, with 4,569 attendances so far."""
    attendances(world, D(2023, 4, 1), 163, 50)
    attendances(world, D(2024, 4, 1), 90, 50)
    attendances(world, D(2024, 8, 1), 1, 69)
    fy2023 = services.snapshot_compute(actor=cast.indicator_officer, fiscal_year=2023)
    services.snapshot_approve(actor=cast.indicator_officer, snapshot=fy2023)
    fy2024 = services.snapshot_compute(actor=cast.indicator_officer, fiscal_year=2024)
    return computed_at(fy2024, DEC_31_2024)
