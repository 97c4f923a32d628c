"""Assessments through their service: versions that never change, and when one may be written.

Every refusal is checked twice (workflow_helpers.refused): the service raises
(ValidationError with a message for the user, or PermissionDenied), and afterwards nothing
in the database has changed.
"""

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from casework import services
from casework.models import Assessment, CaseStatus, GuardianshipNeed
from tests.casework.workflow_helpers import ago, ahead, history_of, refused, status_of, today


def test_assessments_are_versioned_and_earlier_versions_never_change(cast, case_a, workflow):
    workflow.screen(case_a, cast.csw_a)
    first = services.assessment_add(
        actor=cast.csw_a,
        case=case_a,
        assessed_on=ago(5),
        health="高血圧。通院は月1回。",
        housing="民間賃貸。家賃7万円。",
        income="年金のみ。",
        debt="消費者金融に30万円。",
        employment="無職。",
        family="長男(50代)と同居。",
        community="近所付き合いはない。",
        capacity="判断能力に問題はない。",
        guardianship_need=GuardianshipNeed.CONSIDER,
        summary="  家賃の滞納があり、家計の見直しが必要。 ",
    )
    assert first.version == 1
    assert first.summary == "家賃の滞納があり、家計の見直しが必要。"
    v1 = Assessment.objects.filter(pk=first.pk).values().get()

    second = workflow.assess(case_a, cast.csw_a, summary="長男の就労支援が必要。")
    third = workflow.assess(
        case_a,
        cast.supervisor_a,
        summary="長男からの経済的虐待の疑い。",
        abuse_suspected=True,
        abuse_note="年金を長男が管理し、本人に渡していない。",
    )
    assert [second.version, third.version] == [2, 3]
    assert list(case_a.assessments.values_list("version", flat=True)) == [3, 2, 1]
    assert Assessment.objects.filter(pk=first.pk).values().get() == v1
    assert Assessment.objects.get(pk=second.pk).summary == "長男の就労支援が必要。"
    assert third.author == cast.supervisor_a
    assert status_of(case_a) == CaseStatus.ASSESSMENT


def test_assessment_before_screening_is_refused(cast, case_a, workflow):
    with refused(match="スクリーニングを記録"):
        workflow.assess(case_a, cast.csw_a)


def test_assessment_moves_a_referred_case_to_assessment(cast, case_a, workflow):
    workflow.screen(case_a, cast.csw_a, result="refer")
    assert status_of(case_a) == CaseStatus.SCREENING
    workflow.assess(case_a, cast.csw_a)
    assert status_of(case_a) == CaseStatus.ASSESSMENT
    assert [(f, t) for f, t, _who, _why in history_of(case_a)] == [
        ("intake", "screening"),
        ("screening", "assessment"),
    ]


@pytest.mark.parametrize("note", ["", "   "])
def test_suspected_abuse_must_be_described(cast, case_a, workflow, note):
    workflow.screen(case_a, cast.csw_a)
    with refused(match="虐待の疑い") as info:
        workflow.assess(case_a, cast.csw_a, abuse_suspected=True, abuse_note=note)
    assert "abuse_note" in info.value.message_dict


@pytest.mark.parametrize("when", ["future", "before_opening"])
def test_assessment_date_must_be_between_opening_and_today(cast, case_a, workflow, when):
    workflow.screen(case_a, cast.csw_a)
    day = ahead(1) if when == "future" else case_a.opened_on - datetime.timedelta(days=1)
    with refused() as info:
        services.assessment_add(actor=cast.csw_a, case=case_a, assessed_on=day, summary="所見")
    assert "assessed_on" in info.value.message_dict


@pytest.mark.parametrize(
    "fields",
    [{"summary": "  "}, {"summary": "所見", "guardianship_need": "unknown"}],
    ids=["no_summary", "guardianship"],
)
def test_invalid_assessment_is_refused(cast, case_a, workflow, fields):
    workflow.screen(case_a, cast.csw_a)
    with refused():
        services.assessment_add(actor=cast.csw_a, case=case_a, assessed_on=today(), **fields)


def test_assessment_with_an_unknown_field_is_refused(cast, case_a, workflow):
    workflow.screen(case_a, cast.csw_a)
    with refused(TypeError):
        workflow.assess(case_a, cast.csw_a, version=7)


def test_assessment_on_a_closed_case_is_refused(cast, case_a, workflow):
    workflow.screen(case_a, cast.csw_a, result="info_only")
    with refused(match="終結したケース"):
        workflow.assess(case_a, cast.csw_a)


@pytest.mark.parametrize("name", ["consultation_b", "csw_b", "consultation_a"])
def test_assessment_needs_the_right_to_work_on_the_case(cast, case_a, workflow, name):
    workflow.screen(case_a, cast.csw_a)
    with refused(PermissionDenied):
        workflow.assess(case_a, getattr(cast, name))
