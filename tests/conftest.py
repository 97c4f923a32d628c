"""The fixed cast of every test: two agencies, in each a CSW, a consultation worker, a
supervisor and an agency admin; an indicator officer; an outsider with no agency.

Tests that need a real server (PostgreSQL, Redis, the browser) skip on a machine without
it, but under CI=true any skip fails the run: CI must exercise them all.
"""

import functools
import os

import pytest
from django.conf import settings as django_settings
from django.db.backends.postgresql.operations import DatabaseOperations as PgOperations
from django.utils import translation

from tests import builders
from tests.builders import Cast, Workflow, build_cast
from tests.factories import PersonFactory

# Helper modules that assert for the tests: pytest rewrites their asserts too, so that a
# failure shows the values compared. They must be registered before anything imports them
# (tests.builders and tests.factories import none of them).
pytest.register_assert_rewrite(
    "tests.casework.admin_helpers",
    "tests.casework.page_helpers",
    "tests.casework.workflow_helpers",
    "tests.fuzz_walk",
    "tests.outreach.outreach_helpers",
    "tests.referrals.policy_helpers",
)

# The database refuses TRUNCATE of the record's append-only tables (the access log, the
# versions of 経過記録, the status history, approved snapshots). Django's test flush on
# PostgreSQL empties every table with one TRUNCATE; it runs as the test database's
# superuser with session_replication_role = replica, under which ordinary triggers do not
# fire. Only the tests do this: the app never flushes.
_pg_flush = PgOperations.execute_sql_flush


def _flush_past_guards(self, sql_list):
    _pg_flush(self, ["SET LOCAL session_replication_role = replica", *sql_list])


PgOperations.execute_sql_flush = _flush_past_guards

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")

_skipped: list[str] = []


def pytest_runtest_logreport(report):
    if report.skipped:
        _skipped.append(report.nodeid)


def pytest_sessionfinish(session, exitstatus):
    if IN_CI and _skipped:
        session.exitstatus = 1


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if IN_CI and _skipped:
        terminalreporter.section("skips are failures under CI=true")
        for nodeid in _skipped:
            terminalreporter.line(f"SKIPPED IN CI: {nodeid}")


@pytest.fixture(autouse=True)
def _the_wards_language():
    """Each test starts in Japanese. A request through the test client runs in this thread,
    and its LocaleMiddleware leaves the request's language active after the response: a
    test that switched to English would otherwise pass English on to the tests after it."""
    translation.activate(django_settings.LANGUAGE_CODE)
    yield
    translation.activate(django_settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # The production hasher is deliberately slow; tests only need it to work.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _password_only_sign_in(settings):
    """The tests sign in with the test client's force_login or the password form; the second
    factor (on for every role by default) is switched on by the tests of tests/security,
    which sign in as a user does."""
    settings.TSUNAGU_SECOND_FACTOR_ROLES = frozenset()
    settings.TSUNAGU_SECOND_FACTOR_EVERY_ROLE = False


@pytest.fixture(autouse=True)
def _attachments_in_a_temporary_folder(settings, tmp_path_factory):
    """Attached files go to a folder of the test session's, never the project's var/."""
    folder = tmp_path_factory.getbasetemp() / "attachments"
    settings.STORAGES = {
        **settings.STORAGES,
        "attachments": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(folder), "base_url": None},
        },
    }


@pytest.fixture
def factor_on(settings):
    """The production default: every role and the system admins use the second factor."""
    settings.TSUNAGU_SECOND_FACTOR_ROLES = frozenset(
        ["csw", "consultation", "supervisor", "agency_admin", "indicator_officer", "system_admin"]
    )
    settings.TSUNAGU_SECOND_FACTOR_EVERY_ROLE = True
    # django-otp's pause after a wrong code (1 s, doubling) is tested on its own
    # (test_a_wrong_code_pauses_the_next_try); elsewhere a right code may follow a wrong one.
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.OTP_STATIC_THROTTLE_FACTOR = 0
    return settings


@pytest.fixture
def cast(db) -> Cast:
    return build_cast()


@pytest.fixture
def open_case(cast):
    """Open a case through the service: open_case(actor, **person_fields)."""
    return functools.partial(builders.open_case, cast)


@pytest.fixture
def case_a(cast, open_case):
    """A case of agency A worked by csw_a, shared with consultation_b on the person's consent."""
    return builders.shared_case(cast, open_case)


@pytest.fixture
def person_factory():
    return PersonFactory


@pytest.fixture
def workflow(cast):
    return Workflow(cast)
