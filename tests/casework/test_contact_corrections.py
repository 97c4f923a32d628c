"""A 経過記録 is never edited in place: a correction is a new version, 誤記録 keeps it."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from casework import services
from casework.models import CaseStatusChange, ContactRecord, ContactRecordVersion

LONG = "訪問後の記録。" * 1500  # 10,500 characters


def _add(cast, case, summary="電話で近況を確認した。", actor=None):
    return services.contact_record_add(
        actor=actor or cast.csw_a,
        case=case,
        occurred_at=timezone.now() - datetime.timedelta(hours=1),
        method="phone",
        minutes=10,
        summary=summary,
    )


def _fields(record, **changes):
    values = {f: getattr(record, f) for f in services.CONTACT_FIELDS}
    values.update(changes)
    return values


def _form(record, **changes):
    values = _fields(record, **changes)
    values["occurred_at"] = timezone.localtime(values["occurred_at"]).strftime("%Y-%m-%dT%H:%M")
    return {k: str(v) for k, v in values.items()}


def test_a_correction_is_a_new_version_and_the_old_one_stays(client, cast, case_a):
    record = _add(cast, case_a)
    services.contact_record_correct(
        actor=cast.csw_a,
        record=record,
        version=1,
        reason="聞き取りの誤り",
        **_fields(record, summary="電話で近況と体調を確認した。", minutes=15),
    )
    record.refresh_from_db()
    assert (record.version, record.minutes, record.summary) == (
        2,
        15,
        "電話で近況と体調を確認した。",
    )
    versions = list(record.versions.order_by("number"))
    assert [(v.number, v.summary, v.reason) for v in versions] == [
        (1, "電話で近況を確認した。", ""),
        (2, "電話で近況と体調を確認した。", "聞き取りの誤り"),
    ]
    # The case page shows the present text marked 訂正あり; its versions are one click away.
    client.force_login(cast.consultation_b)
    page = client.get(reverse("casework:case_detail", kwargs={"pk": case_a.pk})).content.decode()
    assert "電話で近況と体調を確認した。" in page and "訂正あり" in page
    assert "電話で近況を確認した。<" not in page
    history = client.get(reverse("casework:contact_versions", kwargs={"pk": record.pk}))
    text = history.content.decode()
    assert "第1版" in text and "第2版" in text and "聞き取りの誤り" in text
    assert "電話で近況を確認した。" in text


def test_the_author_corrects_within_the_window_then_only_a_supervisor(cast, case_a):
    record = _add(cast, case_a)
    ContactRecord.all_records.filter(pk=record.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=31)
    )
    record.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services.contact_record_correct(
            actor=cast.csw_a, record=record, version=1, reason="誤り", **_fields(record, minutes=5)
        )
    services.contact_record_correct(
        actor=cast.supervisor_a,
        record=record,
        version=1,
        reason="誤り",
        **_fields(record, minutes=5),
    )
    # The window is the agency's setting.
    cast.agency_a.correction_window_days = 60
    cast.agency_a.save()
    record.refresh_from_db()
    services.contact_record_correct(
        actor=cast.csw_a, record=record, version=2, reason="再訂正", **_fields(record, minutes=6)
    )
    # Nobody else corrects another's record: a colleague sharing the case, another agency.
    for other in (cast.consultation_b, cast.supervisor_b, cast.consultation_a):
        with pytest.raises(PermissionDenied):
            services.contact_record_correct(
                actor=other, record=record, version=3, reason="x", **_fields(record, minutes=7)
            )
    assert record.versions.count() == 3


def test_corrections_are_refused_without_a_reason_a_change_or_on_a_stale_version(cast, case_a):
    record = _add(cast, case_a)
    with pytest.raises(services.Refusal) as refused:
        services.contact_record_correct(
            actor=cast.csw_a, record=record, version=1, reason="", **_fields(record, minutes=5)
        )
    assert "reason" in refused.value.error_dict
    with pytest.raises(services.Refusal, match="変更された項目がありません"):
        services.contact_record_correct(
            actor=cast.csw_a, record=record, version=1, reason="x", **_fields(record)
        )
    services.contact_record_correct(
        actor=cast.supervisor_a,
        record=record,
        version=1,
        reason="誤り",
        **_fields(record, minutes=5),
    )
    with pytest.raises(services.StaleRecord) as stale:
        services.contact_record_correct(
            actor=cast.csw_a, record=record, version=1, reason="x", **_fields(record, minutes=9)
        )
    assert ("所要時間(分)", "5") in stale.value.changes
    record.refresh_from_db()
    assert (record.version, record.minutes) == (2, 5)


def test_a_correction_from_the_page(client, cast, case_a):
    record = _add(cast, case_a)
    client.force_login(cast.csw_a)
    case_page = client.get(reverse("casework:case_detail", kwargs={"pk": case_a.pk}))
    correct_url = reverse("casework:contact_correct", kwargs={"pk": record.pk})
    assert correct_url in case_page.content.decode()
    assert 'name="version" value="1"' in client.get(correct_url).content.decode()
    response = client.post(
        correct_url, {**_form(record, summary="訂正後の内容"), "version": "1", "reason": "誤り"}
    )
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.summary == "訂正後の内容"
    # A future date is refused next to the field and changes nothing.
    future = _form(record)
    future["occurred_at"] = "2999-01-01T10:00"
    response = client.post(correct_url, {**future, "version": "2", "reason": "誤り"})
    assert response.status_code == 400
    assert "occurred_at_error" in response.content.decode()
    assert record.versions.count() == 2


def test_a_supervisor_marks_a_record_void_and_it_stays_in_the_history(client, cast, case_a):
    record = _add(cast, case_a, summary="別の方のケースに記録してしまった内容")
    with pytest.raises(PermissionDenied):
        services.contact_record_void(actor=cast.csw_a, record=record, reason="誤り")
    client.force_login(cast.supervisor_a)
    url = reverse("casework:contact_void", kwargs={"pk": record.pk})
    assert client.post(url, {"reason": ""}).status_code == 400
    assert client.post(url, {"reason": "別のケースへの記録"}).status_code == 302
    record = ContactRecord.all_records.get(pk=record.pk)
    assert record.voided_by == cast.supervisor_a and record.void_reason == "別のケースへの記録"
    assert not ContactRecord.objects.filter(pk=record.pk).exists()
    # Off the timeline; listed for the supervisor, with its versions.
    page = client.get(reverse("casework:case_detail", kwargs={"pk": case_a.pk})).content.decode()
    timeline = page.split('class="timeline"')[1].split("</ol>")[0]
    assert "別の方のケースに記録してしまった内容" not in timeline
    assert "誤記録とした経過記録(1件)" in page
    history = client.get(reverse("casework:contact_versions", kwargs={"pk": record.pk}))
    assert "別の方のケースに記録してしまった内容" in history.content.decode()
    # The worker's view has no trace of it; nor may it be corrected any more.
    client.force_login(cast.csw_a)
    page = client.get(reverse("casework:case_detail", kwargs={"pk": case_a.pk})).content.decode()
    assert "別の方のケースに記録してしまった内容" not in page
    with pytest.raises(services.Refusal, match="誤記録"):
        services.contact_record_correct(
            actor=cast.supervisor_a, record=record, version=1, reason="x", **_fields(record)
        )


def test_a_void_record_leaves_the_last_contact(cast, case_a):
    from casework import selectors

    record = _add(cast, case_a)
    [row] = [c for c in selectors.my_cases(cast.csw_a, scope="assigned") if c.pk == case_a.pk]
    assert row.last_contact_at == record.occurred_at
    services.contact_record_void(actor=cast.supervisor_a, record=record, reason="重複")
    [row] = [c for c in selectors.my_cases(cast.csw_a, scope="assigned") if c.pk == case_a.pk]
    assert row.last_contact_at is None


def test_a_long_record_is_kept_whole_and_a_too_long_one_refused(client, cast, case_a):
    client.force_login(cast.csw_a)
    url = reverse("casework:contact_add", kwargs={"pk": case_a.pk})
    form = client.get(url).content.decode()
    # No maxlength: a browser would cut a pasted text silently. The limit is for the counter.
    assert 'data-maxlength="20000"' in form and "maxlength=" not in form.split("data-maxlength")[0]
    data = {
        "occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "method": "home_visit",
        "minutes": "60",
        "summary": LONG,
    }
    assert client.post(url, data).status_code == 302
    assert ContactRecord.objects.get(case=case_a).summary == LONG
    response = client.post(url, {**data, "summary": "あ" * 20001})
    assert response.status_code == 400
    text = response.content.decode()
    assert "summary_error" in text and "20000" in text.replace(",", "")
    assert ContactRecord.objects.filter(case=case_a).count() == 1


def test_the_database_refuses_changing_versions_and_status_history(cast, case_a, workflow):
    record = _add(cast, case_a)
    workflow.screen(case_a, cast.csw_a)
    version = record.versions.get()
    with pytest.raises(PermissionError):
        version.save()
    with pytest.raises(PermissionError):
        version.delete()
    assert CaseStatusChange.objects.filter(case=case_a).exists()
    for sql in (
        "UPDATE casework_contactrecordversion SET summary = 'x'",
        "UPDATE casework_casestatuschange SET reason = 'x'",
    ):
        with (
            pytest.raises(Exception, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql)
    assert ContactRecordVersion.objects.get().summary == record.summary


def test_a_void_record_is_for_the_owning_agencys_supervisors_alone(client, cast, case_a):
    record = _add(cast, case_a, summary="別の方の記録")
    services.contact_record_void(actor=cast.supervisor_a, record=record, reason="別のケース")
    url = reverse("casework:contact_versions", kwargs={"pk": record.pk})
    for member, status in (("supervisor_a", 200), ("csw_a", 404), ("consultation_b", 404)):
        client.force_login(getattr(cast, member))
        assert client.get(url).status_code == status, member
