"""Fixtures of the casework tests: a case at a given point of the workflow, and the
Django admin's users with the case whose master data they meet."""

import datetime
from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from casework import services
from tests.casework.admin_helpers import PERSON, make_agency_admin
from tests.factories import district

User = get_user_model()


@pytest.fixture
def assessed(cast, case_a, workflow):
    """case_a screened (continue) and assessed once, by csw_a."""
    workflow.screen(case_a, cast.csw_a)
    workflow.assess(case_a, cast.csw_a)
    return case_a


@pytest.fixture
def in_support(cast, case_a, workflow):
    """case_a with an approved plan (v1, period from today, monitoring due in 30 days)."""
    plan = workflow.to_support(case_a, cast.csw_a)
    return SimpleNamespace(case=case_a, plan=plan)


@pytest.fixture
def admins(cast):
    make_agency_admin(cast.admin_a)
    make_agency_admin(cast.admin_b)
    return cast


@pytest.fixture
def root(db):
    return User.objects.create_superuser("root", password="root-password-for-tests-1")


@pytest.fixture
def person_case(cast, open_case, workflow):
    """A case of agency A for a person in the central district, with a plan whose action is
    done by agency B: every piece of master data here has personal data hanging off it."""
    case = open_case(cast.csw_a, district=district("central"), **PERSON)
    workflow.screen(case, cast.csw_a)
    workflow.assess(case, cast.csw_a)
    today = timezone.localdate()
    services.plan_create(
        actor=cast.csw_a,
        case=case,
        actions=[
            {"description": "配食サービスの調整", "agency": cast.agency_b, "frequency": "週1回"}
        ],
        long_term_goal="安定した生活",
        short_term_goals="家計を見直す",
        period_start=today,
        period_end=today + datetime.timedelta(days=180),
        next_monitoring_on=today + datetime.timedelta(days=30),
    )
    return case
