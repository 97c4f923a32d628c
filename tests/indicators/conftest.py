import pytest

from tests.indicators.builders import World


@pytest.fixture
def world(cast):
    return World(cast.csw_a, cast.agency_a)
