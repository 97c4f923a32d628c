import io

import pytest
from django.core.management import CommandError, call_command

from casework.models import Role
from indicators.models import ReportedFigure, Snapshot, SurveyResult
from indicators.selectors import current_fiscal_year
from tests.factories import AgencyFactory, StaffFactory

pytestmark = pytest.mark.django_db


def _seed(**options) -> str:
    out = io.StringIO()
    call_command("seed_indicators", stdout=out, **options)
    return out.getvalue()


def test_seed_indicators_once_then_nothing(settings):
    settings.DEBUG = True
    with pytest.raises(CommandError, match="seed_demo"):
        _seed()
    StaffFactory(
        username="shihyo_keikaku",
        agency=AgencyFactory(name="企画経営課", district=None),
        role=Role.INDICATOR_OFFICER,
    )
    assert "Created" in _seed()
    years = current_fiscal_year() - 2022 + 1
    assert Snapshot.objects.count() == years
    assert Snapshot.objects.filter(state="approved").count() == years - 1
    assert SurveyResult.objects.exists() and ReportedFigure.objects.exists()
    counts = (Snapshot.objects.count(), SurveyResult.objects.count())
    assert "nothing to do" in _seed()
    settings.DEBUG = False
    _seed(force=True)
    assert (Snapshot.objects.count(), SurveyResult.objects.count()) == counts


def test_seed_indicators_refuses_when_debug_is_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        _seed()
