"""Nothing typed is lost: a lapsed session or a stale CSRF token keeps a draft; a double
POST saves once; a stale form is refused and keeps what was typed."""

import datetime
import time

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from casework import services
from casework.middleware import SEEN_KEY
from casework.models import Case, ContactRecord, Draft, Person

NOTE = "訪問後の長い記録。" * 120


def _contact_form(case):
    return {
        "occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "method": "home_visit",
        "minutes": "45",
        "summary": NOTE,
    }


def _lapse(client, seconds=31 * 60):
    session = client.session
    session[SEEN_KEY] = int(time.time()) - seconds
    session.save()


def test_a_form_sent_after_the_idle_timeout_comes_back_after_signing_in(client, cast, case_a):
    url = reverse("casework:contact_add", kwargs={"pk": case_a.pk})
    client.force_login(cast.csw_a)
    client.get(url)
    _lapse(client)
    response = client.post(url, _contact_form(case_a), follow=True)
    # Signed out, on the login page, told the text was kept; nothing was saved.
    assert response.redirect_chain[0][1] == 302
    assert response.redirect_chain[0][0].startswith(reverse("login") + "?next=")
    assert "下書きとして保存しました" in response.content.decode()
    assert not ContactRecord.objects.filter(case=case_a).exists()
    draft = Draft.objects.get(user=cast.csw_a)
    assert draft.path == url and "csrfmiddlewaretoken" not in draft.data
    # Signed in again: the form shows what was typed, saved with one click.
    client.force_login(cast.csw_a)
    page = client.get(url)
    assert NOTE in page.content.decode()
    assert "保存できなかった入力内容を戻しました" in page.content.decode()
    assert client.post(url, _contact_form(case_a)).status_code == 302
    assert ContactRecord.objects.get(case=case_a).summary == NOTE
    assert not Draft.objects.exists()


def test_a_draft_is_its_authors_alone(client, cast, case_a):
    url = reverse("casework:contact_add", kwargs={"pk": case_a.pk})
    client.force_login(cast.csw_a)
    _lapse(client)
    client.post(url, _contact_form(case_a))
    client.force_login(cast.supervisor_a)  # a colleague at the same PC
    assert NOTE not in client.get(url).content.decode()


def test_a_lapsed_post_from_another_site_keeps_nothing(cast, case_a):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(cast.csw_a)
    session = strict.session
    session[SEEN_KEY] = int(time.time()) - 31 * 60
    session.save()
    url = reverse("casework:contact_add", kwargs={"pk": case_a.pk})
    response = strict.post(url, _contact_form(case_a))  # no CSRF token: not the app's page
    assert response.status_code == 302
    assert not Draft.objects.exists()


def test_a_stale_csrf_token_keeps_the_text_instead_of_a_bare_403(cast, case_a):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(cast.csw_a)
    url = reverse("casework:contact_add", kwargs={"pk": case_a.pk})
    token = strict.get(url).content.decode().split('name="form_once" value="')[1].split('"')[0]
    data = {**_contact_form(case_a), "form_once": token, "csrfmiddlewaretoken": "x" * 64}
    response = strict.post(url, data, HTTP_SEC_FETCH_SITE="same-origin")
    assert response.status_code == 302 and response.url == url
    page = strict.get(url).content.decode()
    assert "画面の有効期限が切れたため" in page and NOTE in page
    # From another site the same POST keeps nothing and gets a plain page, not a stack.
    Draft.objects.all().delete()
    response = strict.post(
        url, data, HTTP_SEC_FETCH_SITE="cross-site", HTTP_ORIGIN="https://evil.example"
    )
    assert response.status_code == 403
    assert "画面の有効期限が切れました" in response.content.decode()
    assert not Draft.objects.exists()


def test_autosave_keeps_a_draft_offered_on_reopening(client, cast, case_a):
    url = reverse("casework:contact_add", kwargs={"pk": case_a.pk})
    client.force_login(cast.csw_a)
    autosave = reverse("casework:draft_autosave") + f"?path={url}"
    assert client.post(autosave, {"summary": "途中まで書いた", "password": "x"}).status_code == 204
    assert "password" not in Draft.objects.get().data
    page = client.get(url).content.decode()
    assert "保存していない入力内容" in page and "途中まで書いた" not in page
    assert "途中まで書いた" in client.get(url, {"draft": "restore"}).content.decode()
    client.post(reverse("casework:draft_discard"), {"path": url})
    assert not Draft.objects.exists()
    # Drafts expire.
    client.post(autosave, {"summary": "古い下書き"})
    Draft.objects.update(saved_at=timezone.now() - datetime.timedelta(hours=25))
    assert "保存していない入力内容" not in client.get(url).content.decode()
    assert services.drafts_purge() == (1, 0)


def test_a_double_post_of_one_form_saves_once(client, cast, case_a):
    url = reverse("casework:contact_add", kwargs={"pk": case_a.pk})
    client.force_login(cast.csw_a)
    page = client.get(url).content.decode()
    token = page.split('name="form_once" value="')[1].split('"')[0]
    data = {**_contact_form(case_a), "form_once": token}
    first = client.post(url, data)
    second = client.post(url, data)
    assert first.status_code == second.status_code == 302
    assert second.url == first.url
    assert ContactRecord.objects.filter(case=case_a).count() == 1
    assert "すでに保存されています" in client.get(second.url).content.decode()
    # A new rendering of the form carries a new token: the next record is saved.
    again = client.get(url).content.decode().split('name="form_once" value="')[1].split('"')[0]
    assert again != token
    client.post(url, {**_contact_form(case_a), "form_once": again})
    assert ContactRecord.objects.filter(case=case_a).count() == 2


def _intake(token, **person):
    return {
        "form_once": token,
        "person-family_name": person.get("family_name", "高橋"),
        "person-given_name": "一郎",
        "person-family_name_kana": "たかはし",
        "person-given_name_kana": "いちろう",
        "person-birth_date": "1950-04-01",
        "person-sex": "male",
        "case-opened_on": timezone.localdate().isoformat(),
        "case-route": "agency",
        "case-main_concern": "income",
        "case-chief_complaint": "生活費が足りない",
        "case-came_in_person": "1",
        "case-consent_status": "pending",
    }


def test_a_double_click_on_intake_makes_one_person_and_one_case(client, cast):
    client.force_login(cast.csw_a)
    url = reverse("casework:case_open")
    token = client.get(url).content.decode().split('name="form_once" value="')[1].split('"')[0]
    first = client.post(url, _intake(token))
    second = client.post(url, _intake(token))
    assert first.status_code == 302, first.content.decode()[:2000]
    assert second.status_code == 302 and second.url == first.url
    assert Person.objects.filter(family_name="高橋").count() == 1
    assert Case.objects.count() == 1


def test_a_second_intake_of_the_same_person_at_once_is_shown_the_first(client, cast):
    """Two intakes of the same person at once (two tabs): the second, whose form showed no
    duplicate, is refused with the person the first just registered."""
    client.force_login(cast.csw_a)
    url = reverse("casework:case_open")
    token = client.get(url).content.decode().split('name="form_once" value="')[1].split('"')[0]
    other = Client()  # the same worker, in a second tab
    other.force_login(cast.csw_a)
    other_token = other.get(url).content.decode().split('name="form_once" value="')[1]
    other_token = other_token.split('"')[0]
    assert client.post(url, _intake(token)).status_code == 302
    # The colleague confirms "someone else" against the list they saw (empty): refused.
    response = other.post(url, {**_intake(other_token), "confirm-confirm_new": "on"})
    assert response.status_code == 200
    assert "高橋 一郎" in response.content.decode()
    assert Person.objects.filter(family_name="高橋").count() == 1


@pytest.fixture
def draft_plan(cast, case_a, workflow):
    workflow.screen(case_a, cast.csw_a)
    workflow.assess(case_a, cast.csw_a)
    return workflow.draft_plan(case_a, cast.csw_a)


def _plan_post(plan, **changes):
    data = {
        "version": str(plan.revision),
        "long_term_goal": plan.long_term_goal,
        "short_term_goals": plan.short_term_goals,
        "services_used": plan.services_used,
        "period_start": plan.period_start.isoformat(),
        "period_end": plan.period_end.isoformat(),
        "next_monitoring_on": plan.next_monitoring_on.isoformat()
        if plan.next_monitoring_on
        else "",
        "actions-TOTAL_FORMS": "1",
        "actions-INITIAL_FORMS": "1",
        "actions-MIN_NUM_FORMS": "0",
        "actions-MAX_NUM_FORMS": "1000",
    }
    action = plan.actions.first()
    data["actions-0-description"] = action.description if action else "家計相談"
    data["actions-0-agency"] = str(action.agency_id) if action and action.agency_id else ""
    data["actions-0-agency_note"] = action.agency_note if action else ""
    data["actions-0-frequency"] = action.frequency if action else ""
    data.update(changes)
    return data


def test_two_editors_of_one_plan_the_second_is_refused_and_keeps_the_text(client, cast, draft_plan):
    url = reverse("casework:plan_edit", kwargs={"pk": draft_plan.pk})
    opened = _plan_post(draft_plan)
    client.force_login(cast.supervisor_a)
    assert client.post(url, {**opened, "long_term_goal": "一人で通院できる"}).status_code == 302
    client.force_login(cast.csw_a)
    response = client.post(url, {**opened, "short_term_goals": "毎週の家計簿"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "他の職員が変更しました" in page and "一人で通院できる" in page
    assert "毎週の家計簿" in page
    draft_plan.refresh_from_db()
    assert draft_plan.long_term_goal == "一人で通院できる"
    assert draft_plan.short_term_goals != "毎週の家計簿"


def test_only_an_edit_that_changes_something_makes_a_contributor(client, cast, draft_plan):
    url = reverse("casework:plan_edit", kwargs={"pk": draft_plan.pk})
    client.force_login(cast.supervisor_a)
    assert client.post(url, _plan_post(draft_plan)).status_code == 302  # saved unchanged
    draft_plan.refresh_from_db()
    assert not draft_plan.contributors.filter(pk=cast.supervisor_a.pk).exists()
    assert draft_plan.revision == 1
    services.plan_submit(actor=cast.csw_a, plan=draft_plan)
    # The supervisor only opened and saved it: they may still approve it (four eyes).
    services.plan_approve(actor=cast.supervisor_a, plan=draft_plan)


def test_the_hourly_task_purges_expired_drafts(client, cast, case_a):
    from django_celery_beat.models import PeriodicTask

    from casework import tasks

    assert PeriodicTask.objects.get(task="casework.drafts_purge").enabled
    url = reverse("casework:contact_add", kwargs={"pk": case_a.pk})
    client.force_login(cast.csw_a)
    client.post(reverse("casework:draft_autosave") + f"?path={url}", {"summary": "古い"})
    assert tasks.drafts_purge() == {"drafts": 0, "tokens": 0}
    Draft.objects.update(saved_at=timezone.now() - datetime.timedelta(hours=25))
    assert tasks.drafts_purge() == {"drafts": 1, "tokens": 0}


def test_a_reassessment_over_a_colleagues_newer_one_is_refused(client, cast, case_a, workflow):
    workflow.screen(case_a, cast.csw_a)
    url = reverse("casework:assessment_new", kwargs={"pk": case_a.pk})
    client.force_login(cast.csw_a)
    opened = client.get(url).content.decode()
    assert 'name="version" value="0"' in opened
    workflow.assess(case_a, cast.supervisor_a, summary="同僚が先に記録した見立て")
    data = {
        "version": "0",
        "assessed_on": timezone.localdate().isoformat(),
        "summary": "自分の見立て",
        "guardianship_need": "none",
    }
    response = client.post(url, data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "他の職員が変更しました" in page and "同僚が先に記録した見立て" in page
    assert "自分の見立て" in page
    assert case_a.assessments.count() == 1


def test_errors_are_summed_up_at_the_top_with_links_to_the_fields(client, cast, case_a):
    client.force_login(cast.csw_a)
    url = reverse("casework:contact_add", kwargs={"pk": case_a.pk})
    page = client.post(url, {"minutes": "0", "summary": ""}).content.decode()
    summary = page.split('class="error-summary"')[1].split("</div>")[0]
    assert 'href="#id_summary"' in summary and 'href="#id_minutes"' in summary


def test_a_restored_draft_comes_back_once_then_is_only_offered(client, cast, case_a):
    url = reverse("casework:contact_add", kwargs={"pk": case_a.pk})
    client.force_login(cast.csw_a)
    _lapse(client)
    client.post(url, _contact_form(case_a))
    client.force_login(cast.csw_a)
    first = client.get(url).content.decode()
    assert NOTE in first and "戻した内容を破棄する" in first
    # Not saved: the next opening offers it, without filling the form.
    again = client.get(url).content.decode()
    assert NOTE not in again and "保存していない入力内容" in again
    client.post(reverse("casework:draft_discard"), {"path": url})
    assert not Draft.objects.exists()


def test_the_pages_own_script_does_not_end_a_lapsed_session(client, cast, case_a):
    url = reverse("casework:contact_add", kwargs={"pk": case_a.pk})
    client.force_login(cast.csw_a)
    _lapse(client)
    autosave = reverse("casework:draft_autosave") + f"?path={url}"
    assert client.post(autosave, {"summary": "途中"}).status_code == 401
    assert client.post(reverse("casework:session_keepalive")).status_code == 401
    assert not Draft.objects.exists()
    # The form's own sending ends it, and keeps what it held under the form's path.
    client.post(url, _contact_form(case_a))
    assert Draft.objects.get().path == url


def test_the_same_form_sent_again_with_more_text_is_kept_not_dropped(client, cast, case_a):
    url = reverse("casework:contact_add", kwargs={"pk": case_a.pk})
    client.force_login(cast.csw_a)
    token = client.get(url).content.decode().split('name="form_once" value="')[1].split('"')[0]
    assert client.post(url, {**_contact_form(case_a), "form_once": token}).status_code == 302
    more = {**_contact_form(case_a), "summary": NOTE + "追記。", "form_once": token}
    response = client.post(url, more)
    assert response.status_code == 302 and response.url == url
    assert ContactRecord.objects.filter(case=case_a).count() == 1
    page = client.get(url).content.decode()
    assert "あとから変えた入力内容は下書きとして残しました" in page
    assert "追記。" in page


def test_a_stale_tab_of_a_colleague_keeps_no_draft_for_whoever_signed_in(cast, case_a):
    """csw_a left a form open; supervisor_a signed in on the same browser; the old tab is
    sent: supervisor_a gets no draft of csw_a's text."""
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(cast.csw_a)
    url = reverse("casework:contact_add", kwargs={"pk": case_a.pk})
    token = strict.get(url).content.decode().split('name="form_once" value="')[1].split('"')[0]
    strict.force_login(cast.supervisor_a)
    data = {**_contact_form(case_a), "form_once": token, "csrfmiddlewaretoken": "x" * 64}
    response = strict.post(url, data, HTTP_SEC_FETCH_SITE="same-origin")
    assert response.status_code == 403
    assert not Draft.objects.exists()


def test_a_correction_opens_on_the_records_own_time(client, cast, case_a):
    when = timezone.now() - datetime.timedelta(days=3, hours=2)
    record = services.contact_record_add(
        actor=cast.csw_a, case=case_a, occurred_at=when, method="phone", minutes=5, summary="x"
    )
    client.force_login(cast.csw_a)
    page = client.get(reverse("casework:contact_correct", kwargs={"pk": record.pk}))
    shown = timezone.localtime(when).strftime("%Y-%m-%dT%H:%M")
    assert f'value="{shown}"' in page.content.decode()
    # Sent back as shown (to the minute), with a corrected text: the time stays.
    services.contact_record_correct(
        actor=cast.csw_a,
        record=record,
        version=1,
        reason="誤字",
        occurred_at=timezone.localtime(when).replace(second=0, microsecond=0),
        method="phone",
        minutes=5,
        summary="訂正後",
        next_action="",
    )
    record.refresh_from_db()
    assert record.occurred_at == when and record.summary == "訂正後"
