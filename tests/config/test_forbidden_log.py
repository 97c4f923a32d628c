"""A refused request is logged as one line naming the user, without a traceback."""

import logging

from django.urls import reverse

from config.logging_filters import OneLineForbidden


def test_a_403_is_one_line_with_the_user(client, cast, case_a, caplog):
    client.force_login(cast.csw_b)  # not a supervisor: ケース点検 refuses
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client.get(reverse("casework:caseload"))
    assert response.status_code == 403
    (record,) = [r for r in caplog.records if r.name == "django.request"]
    assert OneLineForbidden().filter(record)
    line = logging.Formatter("%(levelname)s %(name)s %(message)s").format(record)
    expected = f"Forbidden (Permission denied): /caseload/ (user {cast.csw_b.pk})"
    assert line == f"WARNING django.request {expected}"
    assert "\n" not in line and "Traceback" not in line


def test_other_records_pass_unchanged():
    record = logging.LogRecord("django.request", logging.ERROR, "x", 1, "boom %s", ("!",), None)
    record.status_code = 500
    assert OneLineForbidden().filter(record) and record.getMessage() == "boom !"


def test_djangos_own_handlers_print_no_traceback_beside_it():
    """Under DEBUG Django adds a console handler of its own to the "django" logger, which
    would print the 403's traceback again; every handler a django.request record reaches
    carries the one-line filter."""
    reached = []
    logger: logging.Logger | None = logging.getLogger("django.request")
    while logger is not None:
        # pytest's capture handlers on the root are the test run's, not the project's.
        reached.extend(h for h in logger.handlers if not type(h).__module__.startswith("_pytest"))
        logger = logger.parent if logger.propagate else None
    assert reached
    for handler in reached:
        assert any(isinstance(f, OneLineForbidden) for f in handler.filters), handler
