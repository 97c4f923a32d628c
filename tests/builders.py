"""The fixed cast and the records the tests build through the real services.

The fixtures of tests/conftest.py call these; so do tests that build them once for a whole
module (the fuzz test). `records_of_every_kind` gives one real object behind every id in a
URL pattern, for the tests that walk every URL (the access matrix, the fuzz test).
"""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from casework import services
from casework.models import Agency, Case, ConsentBasis, District, Role
from outreach import services as outreach_services
from referrals import services as referral_services
from tests.factories import AgencyFactory, StaffFactory, UserFactory

# Every member of the fixed cast, by the attribute that holds them.
CAST_NAMES = (
    "csw_a",
    "consultation_a",
    "supervisor_a",
    "admin_a",
    "csw_b",
    "consultation_b",
    "supervisor_b",
    "admin_b",
    "indicator_officer",
    "outsider",
)


@dataclass
class Cast:
    agency_a: Agency
    agency_b: Agency
    csw_a: object
    consultation_a: object
    supervisor_a: object
    admin_a: object
    csw_b: object
    consultation_b: object
    supervisor_b: object
    admin_b: object
    indicator_officer: object
    outsider: object

    def roles(self) -> dict[str, object]:
        """Every member of the cast by name, for matrix tests."""
        return {name: getattr(self, name) for name in CAST_NAMES}


def build_cast() -> Cast:
    """The fixed cast (the `cast` fixture)."""
    agency_a = AgencyFactory(name="社協A", kind=Agency.Kind.CSW)
    agency_b = AgencyFactory(name="包括B", kind=Agency.Kind.COMPREHENSIVE_CENTER)
    planning = AgencyFactory(name="企画課", kind=Agency.Kind.OTHER, district=None)

    def staff(name, agency, role):
        return StaffFactory(username=name, agency=agency, role=role)

    return Cast(
        agency_a=agency_a,
        agency_b=agency_b,
        csw_a=staff("csw_a", agency_a, Role.CSW),
        consultation_a=staff("consultation_a", agency_a, Role.CONSULTATION),
        supervisor_a=staff("supervisor_a", agency_a, Role.SUPERVISOR),
        admin_a=staff("admin_a", agency_a, Role.AGENCY_ADMIN),
        csw_b=staff("csw_b", agency_b, Role.CSW),
        consultation_b=staff("consultation_b", agency_b, Role.CONSULTATION),
        supervisor_b=staff("supervisor_b", agency_b, Role.SUPERVISOR),
        admin_b=staff("admin_b", agency_b, Role.AGENCY_ADMIN),
        indicator_officer=staff("indicator_officer", planning, Role.INDICATOR_OFFICER),
        outsider=UserFactory(username="outsider"),
    )


def open_case(cast, actor=None, *, opened_on=None, main_concern="income", person=None, **fields):
    """Open a case through the service (the `open_case` fixture, with `cast` bound)."""
    actor = actor or cast.csw_a
    if person is None:
        person = services.person_create(
            actor=actor,
            family_name=fields.pop("family_name", "佐藤"),
            given_name=fields.pop("given_name", "花子"),
            family_name_kana=fields.pop("family_name_kana", "さとう"),
            given_name_kana=fields.pop("given_name_kana", "はなこ"),
            birth_date=fields.pop("birth_date", datetime.date(1944, 5, 1)),
            **fields,
        )
    return services.case_open(
        actor=actor,
        person=person,
        opened_on=opened_on or timezone.localdate() - datetime.timedelta(days=30),
        main_concern=main_concern,
    )


def shared_case(cast, open_case) -> Case:
    """A case of agency A worked by csw_a, shared with consultation_b on the person's consent
    (the `case_a` fixture)."""
    case = open_case(cast.csw_a)
    consent = services.consent_record(
        actor=cast.csw_a,
        person=case.person,
        basis=ConsentBasis.CONSENT,
        agencies=[cast.agency_b],
        given_on=timezone.localdate() - datetime.timedelta(days=10),
    )
    services.case_share(actor=cast.csw_a, case=case, user=cast.consultation_b, consent=consent)
    return case


class Workflow:
    """Walk a case through the real services: tests reach a state the way users do."""

    def __init__(self, cast):
        self.cast = cast

    def _supervisor_for(self, case):
        return (
            self.cast.supervisor_a
            if case.owning_agency_id == self.cast.agency_a.pk
            else (self.cast.supervisor_b)
        )

    def screen(self, case, actor, result="continue"):
        return services.screening_decide(
            actor=actor, case=case, result=result, decided_on=timezone.localdate()
        )

    def assess(self, case, actor, **fields):
        fields.setdefault("summary", "生活費が不足し、家賃の滞納がある。")
        return services.assessment_add(
            actor=actor, case=case, assessed_on=timezone.localdate(), **fields
        )

    def draft_plan(self, case, actor, **fields):
        today = timezone.localdate()
        values = {
            "long_term_goal": "安定した生活を送る",
            "short_term_goals": "家計を見直す",
            "period_start": today,
            "period_end": today + datetime.timedelta(days=180),
            "next_monitoring_on": today + datetime.timedelta(days=30),
        }
        values.update(fields)
        return services.plan_create(
            actor=actor,
            case=case,
            actions=[{"description": "家計相談", "agency": None, "frequency": "月1回"}],
            **values,
        )

    def approved_plan(self, case, actor, **fields):
        plan = self.draft_plan(case, actor, **fields)
        services.plan_submit(actor=actor, plan=plan)
        return services.plan_approve(actor=self._supervisor_for(case), plan=plan)

    def to_support(self, case, actor):
        self.screen(case, actor)
        self.assess(case, actor)
        return self.approved_plan(case, actor)

    def close(self, case, actor, reason="goal_achieved", on=None):
        request = services.closure_request_submit(
            actor=actor, case=case, reason=reason, closing_on=on or timezone.localdate()
        )
        return services.closure_decide(
            actor=self._supervisor_for(case), request=request, approve=True
        )


def records_of_every_kind(cast, case_a, workflow) -> dict:
    """One record of every kind that has its own URL, all hanging off case_a."""
    workflow.screen(case_a, cast.csw_a)
    today = timezone.localdate()
    # Plan 1 in force with an evaluation; plan 2, on a newer assessment, awaits approval.
    workflow.assess(case_a, cast.csw_a)
    in_force = workflow.approved_plan(case_a, cast.csw_a)
    monitoring = services.monitoring_add(
        actor=cast.csw_a,
        plan=in_force,
        kind="evaluation",
        monitored_on=today,
        progress="on_track",
        notes="家計簿をつけ始めた。",
    )
    assessment = workflow.assess(case_a, cast.csw_a)
    plan = workflow.draft_plan(case_a, cast.csw_a)
    services.plan_submit(actor=cast.csw_a, plan=plan)
    enrolment = services.enrolment_add(
        actor=cast.csw_a,
        case=case_a,
        person=case_a.person,
        programme="employment",
        enrolled_on=today - datetime.timedelta(days=5),
    )
    closure = services.closure_request_submit(
        actor=cast.csw_a, case=case_a, reason="goal_achieved", closing_on=today
    )
    meeting = services.meeting_record(
        actor=cast.csw_a,
        kind="coordination",
        held_on=today,
        title="支援調整会議",
        attending_agencies=[cast.agency_a],
        decisions="家計相談につなぐ",
        cases=[case_a],
    )
    referral = referral_services.referral_send(
        actor=cast.csw_a,
        case=case_a,
        receiving_agency=cast.agency_b,
        reason="介護保険の申請を手伝ってほしい",
        urgency="normal",
        answer_by=today + datetime.timedelta(days=7),
        scope="summary",
    )
    group = outreach_services.group_create(
        actor=cast.csw_a,
        name="中央 手ぬぐい体操の会",
        kind="exercise",
        is_care_prevention=True,
        district=District.objects.get(code="central"),
        capacity=20,
        started_on=today - datetime.timedelta(days=100),
    )
    participant = outreach_services.participant_register(
        actor=cast.csw_a,
        group=group,
        person=services.person_create(
            actor=cast.csw_a, family_name="体操", family_name_kana="たいそう"
        ),
        joined_on=today,
    )
    report = outreach_services.report_receive(
        actor=cast.csw_b,
        reporter_kind="newspaper",
        reporter_name="目黒新聞販売所",
        received_at=timezone.now(),
        address="目黒区中央町二丁目",
        district=cast.agency_a.district,
        noticed="新聞が3日分たまっている",
        urgency="urgent",
    )
    visit = outreach_services.visit_plan(
        actor=cast.csw_a,
        case=case_a,
        planned_at=timezone.now() + datetime.timedelta(days=1),
        staff=[cast.csw_a],
    )
    contact = services.contact_record_add(
        actor=cast.csw_a,
        case=case_a,
        occurred_at=timezone.now() - datetime.timedelta(hours=1),
        method="phone",
        minutes=10,
        summary="電話で近況を確認した。",
    )
    services.household_member_add(
        actor=cast.csw_a,
        person=case_a.person,
        person_relation="head",
        new_member={"family_name": "世帯", "family_name_kana": "せたい"},
        member_relation="spouse",
    )
    services.notification_send(recipients=[cast.csw_a], message="お知らせ", url="/cases/")
    from tests.attachment_files import signed_form

    attachment = services.attachment_add(
        actor=cast.csw_a,
        person=case_a.person,
        case=case_a,
        plan=plan,
        kind="signed_form",
        title="署名済みプランの控え",
        file=signed_form(),
    )
    from rights import services as rights_services

    disclosure = rights_services.request_register(
        actor=cast.csw_a,
        person=case_a.person,
        kind="disclosure",
        received_on=today,
        requester="本人",
        content="保有個人情報の全部",
    )
    disclosure = rights_services.package_assemble(actor=cast.supervisor_a, request=disclosure)
    correction = rights_services.request_register(
        actor=cast.csw_a,
        person=case_a.person,
        kind="correction",
        received_on=today,
        requester="本人",
        content="住所の誤り",
    )
    hold = rights_services.hold_place(
        actor=cast.supervisor_a, person=case_a.person, kind="appeal", reason="審査請求中"
    )
    # A 住所・電話の秘匿 mark on the group's participant (agency A's person without a case).
    mark = services.mark_place(
        actor=cast.csw_a,
        person=participant.person,
        kind="address",
        reason="DV等支援措置",
        staff=[cast.csw_a],
    )[0]
    return {
        "mark": mark,
        "hold": hold,
        "rights_request": disclosure,
        "rights_correction": correction,
        "attachment": attachment,
        "attachment_version": attachment.versions.get(),
        "case": case_a,
        "person": case_a.person,
        "contact": contact,
        "notification": cast.csw_a.notifications.get(message="お知らせ"),
        "household_member": case_a.person.household_member.get(left_on__isnull=True),
        "assessment": assessment,
        "plan": plan,
        "monitoring": monitoring,
        "enrolment": enrolment,
        "closure": closure,
        "meeting": meeting,
        "consent": case_a.person.consents.get(),
        "referral": referral,
        "group": group,
        "participant": participant,
        "report": report,
        "visit": visit,
        "worker": cast.csw_a,
    }
