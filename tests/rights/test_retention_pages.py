"""The supervisors' 保存期間と廃棄 page, the legal hold forms, the dry run and the daily task."""

import datetime
import io
import re

from django.core.management import call_command
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from casework.models import AccessLog, Case, DisposalEntry, LegalHold
from rights import tasks
from rights.disposal import years_before


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def _closed(case, years=5, days=10):
    closed_on = years_before(timezone.localdate(), years) - datetime.timedelta(days=days)
    Case.objects.filter(pk=case.pk).update(
        status="closed", closed_on=closed_on, opened_on=closed_on - datetime.timedelta(days=30)
    )
    case.refresh_from_db()
    return case


def test_the_page_shows_the_periods_what_is_coming_and_the_ledger(client, cast, open_case):
    case = _closed(open_case(cast.csw_a, family_name="期限", family_name_kana="きげん"))
    client.force_login(cast.supervisor_a)
    text = _text(client.get(reverse("rights:retention")))
    assert "5年" in text and "3年" in text and "30日" in text
    day = case.closed_on.replace(year=case.closed_on.year + 5) + datetime.timedelta(days=30)
    assert str(case) in text and "期限" in text and f"令和{day.year - 2018}年" in text
    assert "廃棄予定" in text and "まだ廃棄は行われていません" in text
    row = AccessLog.objects.filter(user=cast.supervisor_a, action="view_list").latest("pk")
    assert f",{case.pk}," in row.case_ids
    # Another agency's supervisor sees nothing of agency A's.
    client.force_login(cast.supervisor_b)
    assert "期限" not in _text(client.get(reverse("rights:retention")))


def test_a_hold_is_placed_and_lifted_from_the_persons_page(client, cast, open_case):
    case = _closed(open_case(cast.csw_a, family_name="保存", family_name_kana="ほぞん"))
    client.force_login(cast.supervisor_a)
    person_page = _text(
        client.get(reverse("casework:person_detail", kwargs={"pk": case.person_id}))
    )
    assert "法的保存を設定する" in person_page
    url = reverse("rights:hold_new", kwargs={"pk": case.person_id})
    response = client.post(url, {"kind": "abuse", "reason": ""})
    assert response.status_code == 400 and not LegalHold.objects.exists()
    response = client.post(url, {"kind": "abuse", "reason": "虐待対応の継続"}, follow=True)
    assert "法的保存を設定しました" in _text(response)
    hold = LegalHold.objects.get()
    retention = _text(client.get(reverse("rights:retention")))
    assert "保存中(廃棄しない)" in retention and "虐待対応の継続" in retention
    lift = reverse("rights:hold_lift", kwargs={"pk": hold.pk})
    assert client.post(lift, {"reason": ""}).status_code == 400
    client.post(lift, {"reason": "対応終了"})
    hold.refresh_from_db()
    assert hold.lifted_by == cast.supervisor_a and hold.lift_reason == "対応終了"
    assert client.get(lift).status_code == 404


def test_a_worker_sees_no_hold_controls(client, cast, open_case):
    case = open_case(cast.csw_a)
    client.force_login(cast.csw_a)
    page = _text(client.get(reverse("casework:person_detail", kwargs={"pk": case.person_id})))
    assert "法的保存を設定する" not in page
    assert client.get(reverse("rights:hold_new", kwargs={"pk": case.person_id})).status_code == 403
    assert client.get(reverse("rights:retention")).status_code == 403


def test_the_dry_run_prints_and_changes_nothing(cast, open_case):
    case = _closed(open_case(cast.csw_a), days=40)
    out = io.StringIO()
    call_command("dispose", "--dry-run", stdout=out)
    text = out.getvalue()
    assert "nothing is changed" in text and f"case {case.pk:06d}" in text
    assert f"person {case.person_id}" in text
    case.refresh_from_db()
    assert case.disposed_at is None and not DisposalEntry.objects.exists()


def test_the_command_and_the_task_dispose_once(cast, open_case):
    case = _closed(open_case(cast.csw_a), days=40)
    out = io.StringIO()
    with TestCase.captureOnCommitCallbacks(execute=True):
        call_command("dispose", stdout=out)
    assert "case\t匿名化\t1\t終結から5年" in out.getvalue()
    case.refresh_from_db()
    assert case.disposed_at is not None
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert tasks.dispose() == {"disposed": 0}


def test_a_bad_date_is_one_line(cast):
    import pytest
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("dispose", "--on", "tomorrow")


def test_a_real_run_is_for_today_only(cast):
    import pytest
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="--dry-run"):
        call_command("dispose", "--on", "2040-01-01")
