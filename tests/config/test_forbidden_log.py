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
