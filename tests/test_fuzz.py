"""Every URL of the project, fed control characters, huge values and wrong types: no 5xx.

The walk covers every URL pattern, the admin's included. Ids in a URL are filled with the
records the access matrix uses (tests/builders.py), built once for the module. Each URL is
tried signed in as a case worker and as a supervisor, as the roles its pages are for (the
receiving agency for referrals, the indicator officer, the system admin for the admin), and
anonymously where a page opens without a session:
- GET with every parameter its view reads (found in its source) and a generic set, all set
  to each bad value, and each parameter of the view alone set to the wrong types;
- POST to every form the page shows (fields found by parsing it): every field set to each bad
  value; then, the rest of the form valid, each text field with no maxlength filled past any
  sane length and each choice, number or date set to a wrong one, so that the value reaches
  the service and the database.

SQLite stores what PostgreSQL refuses, so the test makes the database as strict as
PostgreSQL: a NUL byte in a query parameter raises what psycopg2 raises (a ValueError, a
500), and saving a value longer than its column or outside its integer range a DataError.

The test client re-raises a view's exception: a failure shows the traceback, chained to
the request that caused it.

The walk itself is in tests/fuzz_walk.py.
"""

from __future__ import annotations

import functools
from types import SimpleNamespace

import pytest
from django.db import DataError, connection, transaction
from django.db.models.signals import pre_save
from django.test import override_settings
from django.urls import reverse

from tests import builders
from tests.factories import AgencyFactory, StaffFactory, UserFactory
from tests.fuzz_walk import (
    ALL_PATTERNS,
    FORM_VALUES,
    HUGE,
    NUL,
    forms_on,
    fuzz_url,
    refuse_nul,
    refuse_what_postgresql_refuses,
    send,
    spread,
    url_for,
)

# --- a database as strict as PostgreSQL --------------------------------------------------


@pytest.fixture
def strict_database():
    pre_save.connect(refuse_what_postgresql_refuses, dispatch_uid="fuzz-strict")
    try:
        with connection.execute_wrapper(refuse_nul):
            yield
    finally:
        pre_save.disconnect(dispatch_uid="fuzz-strict")


# --- the records, once for the module -----------------------------------------------------


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The cast and one record of every kind, built once inside a transaction that is rolled
    back after the module; each test runs in a savepoint within it (what Django's
    TestCase.setUpTestData does), so the walk does not rebuild them for every URL."""
    from casework.models import Agency, Role
    from indicators import services as indicator_services
    from indicators.selectors import current_fiscal_year
    from returns import services as return_services

    with django_db_blocker.unblock(), transaction.atomic():
        with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
            cast = builders.build_cast()
            case = builders.shared_case(cast, functools.partial(builders.open_case, cast))
            records = builders.records_of_every_kind(cast, case, builders.Workflow(cast))
            snapshot = indicator_services.snapshot_compute(
                actor=cast.indicator_officer, fiscal_year=2024
            )
            # The national return: a 自立相談支援機関's supervisor, and this year's return
            # (a year still running: its approval asks for the confirmation), 第1版 of the
            # ward's and of the agency's.
            filing = AgencyFactory(
                name="自立相談支援機関J", kind=Agency.Kind.SELF_RELIANCE, district=None
            )
            supervisor_j = StaffFactory(
                username="supervisor_j", agency=filing, role=Role.SUPERVISOR
            )
            fy = current_fiscal_year()
            return_snapshot = return_services.return_compute(
                actor=cast.indicator_officer, fiscal_year=fy
            )
            return_services.return_compute(actor=supervisor_j, fiscal_year=fy)
            users = {
                **cast.roles(),
                "system_admin": UserFactory(
                    username="system_admin", is_staff=True, is_superuser=True
                ),
                "supervisor_j": supervisor_j,
            }
        yield SimpleNamespace(
            cast=cast,
            records=records,
            users=users,
            snapshot=snapshot,
            return_snapshot=return_snapshot,
        )
        transaction.set_rollback(True)


# --- the tests ---------------------------------------------------------------------------


@pytest.mark.parametrize("url_name", sorted(ALL_PATTERNS))
def test_no_bad_input_ends_in_a_server_error(world, db, client, strict_database, url_name):
    fuzz_url(client, world, url_name)


def test_the_walk_finds_the_forms(world, db, client):
    """The fuzzing is only as good as the forms it finds."""
    client.force_login(world.cast.csw_a)
    for url_name in ("casework:contact_add", "casework:case_open", "referrals:send"):
        url = url_for(url_name, world.records)
        (form,) = forms_on(client.get(url).content, url, action=url)
        assert len(form["fields"]) > 3, (url_name, form)


def test_a_form_as_the_walk_fills_it_is_valid(world, db, client):
    """So the one-field-at-a-time values really reach the service."""
    url = url_for("casework:contact_add", world.records)
    client.force_login(world.cast.csw_a)
    (form,) = forms_on(client.get(url).content, url, action=url)
    before = _counts()["ContactRecord"]
    assert client.post(url, form["fields"]).status_code == 302
    assert _counts()["ContactRecord"] == before + 1


def test_the_strict_database_refuses_what_postgresql_refuses(world, db, strict_database):
    from casework.models import District

    with pytest.raises(ValueError, match="NUL"):
        District.objects.filter(code=NUL).exists()
    district = District.objects.get(code="central")
    district.name = HUGE
    with pytest.raises(DataError, match="too long"):
        district.save()


# --- refused input changes nothing --------------------------------------------------------


def _counts() -> dict[str, int]:
    from casework import models as casework_models
    from outreach import models as outreach_models
    from referrals import models as referral_models

    tables = [
        casework_models.Case,
        casework_models.Person,
        casework_models.ContactRecord,
        casework_models.Consent,
        casework_models.Meeting,
        casework_models.ClosureRequest,
        referral_models.Referral,
        outreach_models.WatchReport,
    ]
    return {model.__name__: model._default_manager.count() for model in tables}


REPRESENTATIVE_FORMS = {
    "casework:contact_add": "case",
    "casework:case_open": None,
    "casework:consent_new": "person",
    "casework:meeting_new": None,
    "referrals:send": "case",
    "outreach:report_new": None,
}


@pytest.mark.parametrize("url_name", sorted(REPRESENTATIVE_FORMS))
def test_refused_post_changes_nothing(world, db, client, strict_database, url_name):
    kind = REPRESENTATIVE_FORMS[url_name]
    url = reverse(url_name, kwargs={"pk": world.records[kind].pk} if kind else None)
    client.force_login(world.cast.csw_a)
    (form,) = forms_on(client.get(url).content, url, action=url)
    visible = sorted(set(form["fields"]) - set(form["hidden"]))
    before = _counts()
    for label in ("nul", "huge", "text", "huge_int", "odd", "list"):
        data = {**form["fields"], **spread(visible, FORM_VALUES[label])}
        response = send(client, "post", url, data, label=label)
        assert response.status_code == 400, (label, response.status_code)
        assert _counts() == before, label
    response = send(client, "post", url, {**form["fields"], NUL: "1"}, label="nul key")
    assert response.status_code == 400
    assert _counts() == before
