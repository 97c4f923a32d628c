"""The access log is paged by its last row (an index range, however deep), and its count
stops at 1,000."""

import datetime

from django.urls import reverse
from django.utils import timezone

from casework.models import AccessLog, AccessLogAgency

ACCESS_LOG = reverse("casework:access_log")


def _rows(cast, n):
    start = timezone.now() - datetime.timedelta(days=1)
    rows = AccessLog.objects.bulk_create(
        [
            AccessLog(
                user=cast.csw_a,
                agency=cast.agency_a,
                action=AccessLog.Action.VIEW_LIST,
                detail="担当ケース一覧",
                at=start + datetime.timedelta(seconds=i // 2),  # pairs share a time
            )
            for i in range(n)
        ]
    )
    # The database files each row under its agencies itself.
    assert AccessLogAgency.objects.filter(log__in=rows, agency=cast.agency_a).count() == n
    return rows


def test_pages_follow_the_last_row_and_cover_every_row_once(client, cast):
    made = {r.pk for r in _rows(cast, 120)}
    client.force_login(cast.supervisor_a)
    seen, url, pages = [], ACCESS_LOG, 0
    while url and pages < 10:
        response = client.get(url)
        page = response.context["page"]
        seen += [r.pk for r in page if r.pk in made]
        pages += 1
        url = f"{ACCESS_LOG}?after={page.next_cursor}" if page.next_cursor else ""
    assert pages == 3 and len(seen) == len(set(seen)) and set(seen) == made
    # Newest first, ties by id.
    ordered = list(
        AccessLog.objects.filter(pk__in=made).order_by("-at", "-pk").values_list("pk", flat=True)
    )
    assert seen == ordered


def test_filtered_by_a_worker_pages_walk_that_workers_rows_only(client, cast):
    made = {r.pk for r in _rows(cast, 70)}
    AccessLog.objects.bulk_create(
        [
            AccessLog(
                user=cast.consultation_a,
                agency=cast.agency_a,
                action=AccessLog.Action.VIEW_LIST,
                detail="担当ケース一覧",
                at=timezone.now() - datetime.timedelta(hours=12, seconds=i),
            )
            for i in range(30)
        ]
    )
    client.force_login(cast.supervisor_a)
    seen, after = [], None
    for _ in range(5):
        params = {"worker": cast.csw_a.pk, **({"after": after} if after else {})}
        page = client.get(ACCESS_LOG, params).context["page"]
        assert {r.user_id for r in page} == {cast.csw_a.pk}
        seen += [r.pk for r in page if r.pk in made]
        after = page.next_cursor
        if not after:
            break
    ordered = list(
        AccessLog.objects.filter(pk__in=made).order_by("-at", "-pk").values_list("pk", flat=True)
    )
    assert seen == ordered


def test_a_cursor_that_does_not_parse_is_the_first_page(client, cast):
    _rows(cast, 60)
    client.force_login(cast.supervisor_a)
    for junk in ("x", "2026-13-01_5", "_", "1_999999999999999999999", "-5_3", "9" * 30 + "_1",
                 "1_²", "²_1"):  # fmt: skip
        response = client.get(ACCESS_LOG, {"after": junk})
        assert response.status_code == 200 and response.context["page"].first


def test_the_count_stops_at_a_thousand(client, cast):
    _rows(cast, 1005)
    client.force_login(cast.supervisor_a)
    page = client.get(ACCESS_LOG).content.decode()
    assert "全 1,000 件以上" in page


def test_every_row_is_filed_under_the_readers_the_cases_and_the_listed_agencies(cast, case_a):
    from casework import access

    access.log_access(cast.consultation_b, person=case_a.person, case=case_a, action="view_case")
    access.log_list(cast.csw_b, what="一覧", cases=[case_a])
    rows = AccessLog.objects.order_by("-pk")[:2]
    for row in rows:
        filed = set(AccessLogAgency.objects.filter(log=row).values_list("agency_id", flat=True))
        assert filed == {cast.agency_a.pk, cast.agency_b.pk}
