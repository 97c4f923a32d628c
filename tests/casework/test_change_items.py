"""The 評価シート's change items: a baseline written with the plan, scores at each
evaluation, checked by the services, entered on the forms and compared on the plan page."""

import datetime

import pytest
from django.urls import reverse

from casework import selectors, services
from casework.models import ChangeItem, ChangeItemScore, MonitoringEntry, SupportPlan
from tests.casework.page_helpers import TODAY, url
from tests.casework.workflow_helpers import monitor, refused

EVALUATION = MonitoringEntry.Kind.EVALUATION
ALL_THREES = dict.fromkeys(ChangeItem.values, 3)


def _scores(plan, entry=None):
    return dict(ChangeItemScore.objects.filter(plan=plan, entry=entry).values_list("item", "score"))


def _plan_with_baseline(workflow, case, actor, baseline):
    plan = services.plan_create(
        actor=actor,
        case=case,
        actions=[{"description": "家計相談"}],
        baseline=baseline,
        long_term_goal="安定した生活",
        short_term_goals="家計を見直す",
        period_start=TODAY(),
        period_end=TODAY() + datetime.timedelta(days=180),
        next_monitoring_on=TODAY() + datetime.timedelta(days=30),
    )
    services.plan_submit(actor=actor, plan=plan)
    return services.plan_approve(actor=workflow._supervisor_for(case), plan=plan)


# -- the services ------------------------------------------------------------------------


def test_an_evaluation_keeps_its_scores_and_leaves_unscored_items_out(cast, in_support):
    entry = monitor(
        cast.csw_a,
        in_support.plan,
        kind=EVALUATION,
        scores={"motivation": 4, "finances": 2, "employment": None},
    )
    assert _scores(in_support.plan, entry) == {"motivation": 4, "finances": 2}


def test_an_evaluation_may_leave_every_item_unscored(cast, in_support):
    entry = monitor(cast.csw_a, in_support.plan, kind=EVALUATION, scores={})
    assert not entry.scores.exists()


@pytest.mark.parametrize("score", [0, 6, -1, "x"])
def test_a_score_off_the_scale_is_refused_next_to_its_item(cast, in_support, score):
    with refused(match="1〜5") as info:
        monitor(cast.csw_a, in_support.plan, kind=EVALUATION, scores={"health": score})
    assert list(info.value.message_dict) == ["score_health"]


def test_a_monitoring_records_no_scores(cast, in_support):
    with refused(match="評価で記録します") as info:
        monitor(cast.csw_a, in_support.plan, scores={"motivation": 3})
    assert list(info.value.message_dict) == ["score_motivation"]


def test_an_unknown_item_is_a_programming_error(cast, in_support):
    with pytest.raises(TypeError):
        monitor(cast.csw_a, in_support.plan, kind=EVALUATION, scores={"mood": 3})


def test_the_baseline_is_written_with_the_plan_and_replaced_by_an_edit(cast, assessed, workflow):
    plan = services.plan_create(
        actor=cast.csw_a,
        case=assessed,
        actions=[{"description": "家計相談"}],
        baseline={"motivation": 2, "finances": 1},
        long_term_goal="安定した生活",
        short_term_goals="家計を見直す",
        period_start=TODAY(),
        period_end=TODAY() + datetime.timedelta(days=180),
        next_monitoring_on=TODAY() + datetime.timedelta(days=30),
    )
    assert _scores(plan) == {"motivation": 2, "finances": 1}
    # An edit without a baseline leaves it; one with a baseline replaces it, and the one who
    # changed it becomes a contributor (so may not approve it).
    services.plan_update(actor=cast.csw_a, plan=plan, actions=[{"description": "家計相談"}])
    assert _scores(plan) == {"motivation": 2, "finances": 1}
    services.plan_update(
        actor=cast.supervisor_a,
        plan=plan,
        actions=[{"description": "家計相談"}],
        baseline={"motivation": 3},
    )
    assert _scores(plan) == {"motivation": 3}
    assert plan.contributors.filter(pk=cast.supervisor_a.pk).exists()


def test_an_approved_plans_baseline_is_read_only(cast, assessed, workflow):
    plan = _plan_with_baseline(workflow, assessed, cast.csw_a, {"motivation": 2})
    with refused(match="下書きのプランだけ"):
        services.plan_update(actor=cast.csw_a, plan=plan, baseline={"motivation": 5})


def test_the_baseline_off_the_scale_is_refused(cast, assessed):
    with refused(match="1〜5") as info:
        services.plan_create(
            actor=cast.csw_a,
            case=assessed,
            baseline={"employment": 9},
            long_term_goal="安定した生活",
            short_term_goals="家計を見直す",
            period_start=TODAY(),
            period_end=TODAY() + datetime.timedelta(days=180),
            next_monitoring_on=TODAY() + datetime.timedelta(days=30),
        )
    assert list(info.value.message_dict) == ["score_employment"]


def test_the_change_table_compares_each_evaluation_with_the_baseline(cast, assessed, workflow):
    plan = _plan_with_baseline(
        workflow, assessed, cast.csw_a, {"motivation": 2, "finances": 3, "health": 4}
    )
    monitor(
        cast.csw_a,
        plan,
        kind=EVALUATION,
        monitored_on=TODAY(),
        scores={"motivation": 4, "finances": 3, "health": 2, "employment": 3},
    )
    table = selectors.plan_change_table(plan)
    rows = {r.item: (r.baseline, [(c.score, c.change) for c in r.cells]) for r in table.rows}
    assert rows["motivation"] == (2, [(4, "up")])
    assert rows["finances"] == (3, [(3, "same")])
    assert rows["health"] == (4, [(2, "down")])
    assert rows["employment"] == (None, [(3, "")])  # no baseline: no comparison
    assert rows["self_esteem"] == (None, [(None, "")])
    assert [r.item for r in table.rows] == ChangeItem.values


def test_a_revision_starts_from_the_last_known_scores(cast, assessed, workflow):
    plan = _plan_with_baseline(workflow, assessed, cast.csw_a, {"motivation": 2, "finances": 3})
    monitor(cast.csw_a, plan, kind=EVALUATION, scores={"motivation": 4})
    assert selectors.last_known_scores(plan) == {"motivation": 4, "finances": 3}


# -- the pages ---------------------------------------------------------------------------


def _plan_post(plan_fields=None, **extra):
    today = TODAY()
    data = {
        "long_term_goal": "安定した生活",
        "short_term_goals": "家計の見直し",
        "period_start": today.isoformat(),
        "period_end": (today + datetime.timedelta(days=180)).isoformat(),
        "next_monitoring_on": (today + datetime.timedelta(days=30)).isoformat(),
        "actions-TOTAL_FORMS": "1",
        "actions-INITIAL_FORMS": "0",
        "actions-MIN_NUM_FORMS": "0",
        "actions-MAX_NUM_FORMS": "20",
        "actions-0-description": "就労準備支援",
        "actions-0-is_employment_support": "on",
    }
    data.update(plan_fields or {})
    data.update(extra)
    return data


def test_the_plan_form_records_the_baseline(client, cast, assessed):
    client.force_login(cast.csw_a)
    html = client.get(url("plan_new", assessed)).content.decode()
    assert "プラン開始時の状態(評価シートの変化項目)" in html
    assert 'name="baseline-score_motivation"' in html
    assert '<option value="" selected>未評価</option>' in html
    assert '<option value="5">5 とても良い</option>' in html
    data = _plan_post(**{"baseline-score_motivation": "2", "baseline-score_finances": "1"})
    assert client.post(url("plan_new", assessed), data).status_code == 302
    plan = SupportPlan.objects.get()
    assert _scores(plan) == {"motivation": 2, "finances": 1}
    edit = client.get(url("plan_edit", plan)).content.decode()
    assert '<option value="2" selected>2 悪い</option>' in edit


def test_a_baseline_off_the_scale_is_shown_next_to_the_item(client, cast, assessed):
    client.force_login(cast.csw_a)
    response = client.post(url("plan_new", assessed), _plan_post(**{"baseline-score_health": "7"}))
    assert response.status_code == 400
    assert not SupportPlan.objects.exists()
    assert 'id="id_baseline-score_health_error"' in response.content.decode()


def test_the_monitoring_form_scores_an_evaluation_beside_the_baseline(
    client, cast, assessed, workflow
):
    plan = _plan_with_baseline(workflow, assessed, cast.csw_a, {"motivation": 2})
    client.force_login(cast.csw_a)
    html = client.get(url("monitoring_new", plan)).content.decode()
    assert "評価シートの変化項目(種別が「評価」のときに記録)" in html
    assert "プラン開始時: 2 悪い" in html and "プラン開始時: 未評価" in html
    data = {
        "kind": "evaluation",
        "monitored_on": TODAY().isoformat(),
        "progress": "on_track",
        "notes": "意欲が出てきた。",
        "score_motivation": "4",
        "score_health": "",
    }
    response = client.post(url("monitoring_new", plan), data, follow=True)
    assert response.redirect_chain[-1][0] == url("plan_detail", plan)
    entry = plan.monitoring.get()
    assert _scores(plan, entry) == {"motivation": 4}
    page = response.content.decode()
    assert "評価シートの変化項目" in page
    assert '<td class="score change-up">4 <span aria-hidden="true">↑</span>' in page


def test_scores_on_a_monitoring_are_refused_on_the_form(client, cast, in_support):
    client.force_login(cast.csw_a)
    data = {
        "kind": "monitoring",
        "monitored_on": TODAY().isoformat(),
        "progress": "on_track",
        "notes": "順調。",
        "score_social_participation": "3",
    }
    response = client.post(url("monitoring_new", in_support.plan), data)
    assert response.status_code == 400
    assert not MonitoringEntry.objects.exists()
    assert 'id="id_score_social_participation_error"' in response.content.decode()


def test_a_revision_form_starts_from_the_last_scores_and_the_marks(
    client, cast, assessed, workflow
):
    client.force_login(cast.csw_a)
    assert (
        client.post(
            url("plan_new", assessed), _plan_post(**{"baseline-score_finances": "1"})
        ).status_code
        == 302
    )
    plan = SupportPlan.objects.get()
    services.plan_submit(actor=cast.csw_a, plan=plan)
    services.plan_approve(actor=cast.supervisor_a, plan=plan)
    monitor(cast.csw_a, plan, kind=EVALUATION, scores={"finances": 3})
    workflow.assess(assessed, cast.csw_a)
    html = client.get(url("plan_new", assessed)).content.decode()
    assert '<option value="3" selected>3 どちらともいえない</option>' in html
    assert (
        'name="actions-0-is_employment_support" id="id_actions-0-is_employment_support" checked'
        in html
    )


def test_the_plan_page_says_when_nothing_is_scored(client, cast, in_support):
    client.force_login(cast.csw_a)
    html = client.get(url("plan_detail", in_support.plan)).content.decode()
    assert "変化項目の点数はまだありません。" in html


def test_the_change_items_read_in_english(client, cast, assessed, workflow):
    plan = _plan_with_baseline(workflow, assessed, cast.csw_a, ALL_THREES)
    client.force_login(cast.csw_a)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = client.get(url("monitoring_new", plan)).content.decode()
    assert "Motivation and energy" in html and "3 Neither good nor poor" in html
