"""A year still running, a year before records began, and a later approval that replaces
an earlier one (issue 16)."""

import json
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from indicators import services
from indicators.models import Snapshot
from indicators.selectors import current_fiscal_year
from tests.indicators.builders import D
from tests.indicators.conftest import attendances as _attendances

pytestmark = pytest.mark.django_db


def _ref(snapshot, **extra):
    return {"fy": snapshot.fiscal_year, "n": snapshot.number, **extra}


def _page(snapshot):
    return f"{reverse('indicators:snapshot')}?fy={snapshot.fiscal_year}&n={snapshot.number}"


def _section(html, code):
    """The dashboard's card of one indicator."""
    match = re.search(rf"<h2>{re.escape(code)} .*?</section>", html, re.S)
    assert match, code
    return match.group(0)


def _row(html, code):
    """The snapshot page's summary row of one indicator."""
    match = re.search(rf"<td>{re.escape(code)}</td>.*?</tr>", html, re.S)
    assert match, code
    return match.group(0)


def test_a_year_computed_in_december_is_marked_and_shows_no_final_progress(
    client, cast, december_2024
):
    services.snapshot_approve(
        actor=cast.indicator_officer, snapshot=december_2024, partial_year_confirmed=True
    )
    assert december_2024.values["indicators"]["P2-1a"]["value"] == 4569
    client.force_login(cast.supervisor_a)
    card = _section(client.get(reverse("indicators:dashboard")).content.decode(), "P2-1a")
    assert "年度途中(12月31日まで)" in card
    assert "算出していません(令和6年度は年度途中(12月31日まで)の参考値のため)" in card
    assert "-73.5" not in card and "−73.5" not in card
    # The last finished year's progress is still given, named by its year.
    assert "令和5年度の進捗: 50.0%" in card
    assert 'class="partial-year"' in card  # the chart's bar is drawn as partial
    page = client.get(_page(december_2024)).content.decode()
    assert "年度途中(12月31日まで)" in page and "年度の確定値ではありません" in page
    row = _row(page, "P2-1a")
    assert "4569" in row and "参考値のため算出しません(年度途中)" in row
    assert "-73.5" not in page


def test_the_year_running_today_is_marked_until_today(client, cast, world):
    _attendances(world, D(current_fiscal_year(), 4, 1), 1, 30)
    services.snapshot_compute(actor=cast.indicator_officer, fiscal_year=current_fiscal_year())
    today = timezone.localdate()
    client.force_login(cast.indicator_officer)
    card = _section(client.get(reverse("indicators:dashboard")).content.decode(), "P2-1a")
    assert f"年度途中({today.month}月{today.day}日まで)" in card
    assert re.search(r"目標に対する進捗: -?\d", card) is None


def test_a_finished_year_shows_its_progress_and_no_mark(client, cast, world):
    _attendances(world, D(2023, 4, 1), 163, 50)
    snap = services.snapshot_compute(actor=cast.indicator_officer, fiscal_year=2023)
    services.snapshot_approve(actor=cast.indicator_officer, snapshot=snap)
    client.force_login(cast.supervisor_a)
    card = _section(client.get(reverse("indicators:dashboard")).content.decode(), "P2-1a")
    assert "目標に対する進捗: 50.0%" in card
    assert "年度途中" not in card


def test_years_before_records_began_show_no_data_not_zero(client, cast, world):
    # Exercise sessions are recorded from FY2023; the study programme from FY2021, but
    # its only child left in FY2021: for it FY2022 is a real 0.
    _attendances(world, D(2023, 6, 1), 10, 20)
    world.child(D(2021, 5, 1), D(2021, 9, 30))
    fy2022 = services.snapshot_compute(actor=cast.indicator_officer, fiscal_year=2022)
    fy2023 = services.snapshot_compute(actor=cast.indicator_officer, fiscal_year=2023)
    for snap in (fy2022, fy2023):
        services.snapshot_approve(actor=cast.indicator_officer, snapshot=snap)
    entries = fy2022.values["indicators"]
    assert entries["P2-1a"]["no_data"] is True
    assert entries["P2-1a"]["records_from"] == "2023-06-01"
    assert entries["P1-3a"]["no_data"] is False and entries["P1-3a"]["value"] == 0
    assert fy2023.values["indicators"]["P2-1a"]["no_data"] is False
    assert entries["P1"]["no_data"] is True  # no survey entered for the year

    client.force_login(cast.supervisor_a)
    dashboard = client.get(reverse("indicators:dashboard")).content.decode()
    figures = re.findall(r'<td class="num">(.*?)</td>', _section(dashboard, "P2-1a"), re.S)
    assert figures == ["データなし", "200"]
    assert re.findall(r'<td class="num">(.*?)</td>', _section(dashboard, "P1-3a"), re.S) == [
        "0",
        "0",
    ]
    assert "データなし" in _section(dashboard, "P1")
    page = client.get(_page(fy2022)).content.decode()
    assert "データなし" in _row(page, "P2-1a")
    assert "データなし" not in _row(page, "P1-3a")


def test_approving_a_year_still_running_asks_for_a_confirmation(client, cast, december_2024):
    client.force_login(cast.indicator_officer)
    page = client.get(_page(december_2024)).content.decode()
    assert "この集計の時点で終わっていません(12月31日までの記録)" in page
    assert "年度途中の集計であることを確認しました" in page
    url = reverse("indicators:snapshot_approve")
    response = client.post(url, _ref(december_2024))
    assert response.status_code == 400
    assert re.search(
        r'id="id_partial_year_confirmed_error">年度途中の集計です。', response.content.decode()
    )
    december_2024.refresh_from_db()
    assert not december_2024.is_approved
    with pytest.raises(ValidationError) as refused:
        services.snapshot_approve(actor=cast.indicator_officer, snapshot=december_2024)
    assert list(refused.value.error_dict) == ["partial_year_confirmed"]
    response = client.post(url, _ref(december_2024, partial_year_confirmed="on"))
    assert response.status_code == 302
    december_2024.refresh_from_db()
    assert december_2024.is_approved
    assert december_2024.approved_by == cast.indicator_officer


def test_a_finished_year_is_approved_without_the_confirmation(client, cast, world):
    _attendances(world, D(2023, 4, 1), 1, 20)
    snap = services.snapshot_compute(actor=cast.indicator_officer, fiscal_year=2023)
    client.force_login(cast.indicator_officer)
    assert "年度途中の集計であることを確認しました" not in client.get(_page(snap)).content.decode()
    assert client.post(reverse("indicators:snapshot_approve"), _ref(snap)).status_code == 302
    snap.refresh_from_db()
    assert snap.is_approved


def test_a_later_approval_replaces_the_earlier_which_stays_stored_and_readable(
    client, cast, world, december_2024
):
    first = services.snapshot_approve(
        actor=cast.indicator_officer, snapshot=december_2024, partial_year_confirmed=True
    )
    frozen = json.dumps(first.values, sort_keys=True)
    # The rest of the year's sessions are recorded; the year is computed again after it ended.
    _attendances(world, D(2025, 1, 6), 40, 50)
    second = services.snapshot_compute(actor=cast.indicator_officer, fiscal_year=2024)
    assert not second.is_partial_year
    assert second.values["indicators"]["P2-1a"]["value"] == 6569

    client.force_login(cast.indicator_officer)
    page = client.get(_page(second)).content.decode()
    assert "承認済みの第1版があります" in page and "差し替えの理由" in page
    url = reverse("indicators:snapshot_approve")
    response = client.post(url, _ref(second))
    assert response.status_code == 400
    assert 'id="id_reason_error">この年度には承認済みの第1版があります。' in (
        response.content.decode()
    )
    second.refresh_from_db()
    assert not second.is_approved
    reason = "年度末までの記録がそろったため確定値に差し替え"
    assert client.post(url, _ref(second, reason=reason)).status_code == 302

    second.refresh_from_db()
    first = Snapshot.objects.get(pk=first.pk)
    assert second.is_approved and second.supersedes == first and first.replacement == second
    assert (second.approved_by, second.supersede_reason) == (cast.indicator_officer, reason)
    assert second.approved_at >= first.approved_at
    # The first is still there, approved, unchanged, and frozen.
    assert first.is_approved and first.is_superseded
    assert json.dumps(first.values, sort_keys=True) == frozen
    with pytest.raises(PermissionError):
        Snapshot.objects.filter(pk=first.pk).update(values={})

    client.force_login(cast.supervisor_a)
    dashboard = client.get(reverse("indicators:dashboard")).content.decode()
    card = _section(dashboard, "P2-1a")
    assert "6569" in card and "4569" not in card and "年度途中" not in card
    assert "目標に対する進捗: -4.5%" in card
    assert "差し替え済み" in dashboard and "?fy=2024&amp;n=2" in dashboard
    old_page = client.get(_page(first))
    assert old_page.status_code == 200
    old = old_page.content.decode()
    assert "この版は差し替え済みです。この年度の値は第2版です。" in old
    assert reason in old and "?fy=2024&amp;n=2" in old
    assert "4569" in _row(old, "P2-1a")
    new = client.get(_page(second)).content.decode()
    assert "第1版を差し替え" in new and "この年度の承認の履歴" in new and reason in new


def test_an_older_version_never_replaces_a_newer_approval(cast, world):
    older = services.snapshot_compute(actor=cast.indicator_officer, fiscal_year=2024)
    newer = services.snapshot_compute(actor=cast.indicator_officer, fiscal_year=2024)
    services.snapshot_approve(actor=cast.indicator_officer, snapshot=newer)
    with pytest.raises(ValidationError, match="新しい承認済みの版"):
        services.snapshot_approve(actor=cast.indicator_officer, snapshot=older, reason="戻す")
    older.refresh_from_db()
    assert not older.is_approved


def test_an_approval_is_replaced_once_whatever_path_a_write_takes(cast):
    first = services.snapshot_compute(actor=cast.indicator_officer, fiscal_year=2024)
    second = services.snapshot_compute(actor=cast.indicator_officer, fiscal_year=2024)
    third = services.snapshot_compute(actor=cast.indicator_officer, fiscal_year=2024)
    services.snapshot_approve(actor=cast.indicator_officer, snapshot=first)
    services.snapshot_approve(actor=cast.indicator_officer, snapshot=second, reason="再集計")
    # A second replacement of the first (two approvals racing) is refused by the database.
    with pytest.raises(DatabaseError), transaction.atomic():
        Snapshot.objects.filter(pk=third.pk).update(
            state="approved",
            approved_by=cast.indicator_officer,
            approved_at=timezone.now(),
            supersedes=first,
            supersede_reason="x",
        )
    # A replacement without a reason is refused too.
    with pytest.raises(DatabaseError), transaction.atomic():
        Snapshot.objects.filter(pk=third.pk).update(
            state="approved",
            approved_by=cast.indicator_officer,
            approved_at=timezone.now(),
            supersedes=second,
        )
    # The service takes the chain on from its end.
    services.snapshot_approve(actor=cast.indicator_officer, snapshot=third, reason="再々集計")
    third.refresh_from_db()
    assert third.supersedes == second


@pytest.mark.parametrize("member", ["supervisor_a", "supervisor_b", "csw_a", "outsider"])
def test_only_indicator_officers_approve_or_replace(client, cast, december_2024, member):
    user = getattr(cast, member)
    client.force_login(user)
    response = client.post(
        reverse("indicators:snapshot_approve"),
        _ref(december_2024, partial_year_confirmed="on", reason="x"),
    )
    assert response.status_code == 403
    with pytest.raises(PermissionDenied):
        services.snapshot_approve(
            actor=user, snapshot=december_2024, partial_year_confirmed=True, reason="x"
        )
    december_2024.refresh_from_db()
    assert not december_2024.is_approved


def test_supervisors_see_no_approval_form(client, cast, december_2024):
    services.snapshot_approve(
        actor=cast.indicator_officer, snapshot=december_2024, partial_year_confirmed=True
    )
    client.force_login(cast.supervisor_a)
    page = client.get(_page(december_2024)).content.decode()
    assert "確認して承認する" not in page and "年度途中(12月31日まで)" in page


@pytest.mark.postgres
def test_postgres_holds_the_replacement_chain(cast):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: set DATABASE_URL=postgres://...")
    first = services.snapshot_compute(actor=cast.indicator_officer, fiscal_year=2024)
    other = services.snapshot_compute(actor=cast.indicator_officer, fiscal_year=2023)
    second = services.snapshot_compute(actor=cast.indicator_officer, fiscal_year=2024)
    services.snapshot_approve(actor=cast.indicator_officer, snapshot=first)
    services.snapshot_approve(actor=cast.indicator_officer, snapshot=other)
    with pytest.raises(DatabaseError, match="its own fiscal year"), transaction.atomic():
        Snapshot.objects.filter(pk=second.pk).update(
            state="approved",
            approved_by=cast.indicator_officer,
            approved_at=timezone.now(),
            supersedes=other,
            supersede_reason="x",
        )
    with (
        pytest.raises(DatabaseError, match="never changes"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(
            "UPDATE indicators_snapshot SET supersede_reason = 'x' WHERE id = %s", [first.pk]
        )
    services.snapshot_approve(actor=cast.indicator_officer, snapshot=second, reason="再集計")
    assert Snapshot.objects.get(pk=second.pk).supersedes_id == first.pk
