"""The links between the demo's cases: shares, 8050 households and meetings."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from casework import services
from casework.demo.texts import CASE_WORKER_ROLES, CSW_DEMO, HOUSEHOLDS_8050, MEETINGS, STAFF
from casework.models import Agency, Case, CaseShare, CaseStatus, ConsentBasis, Person, Relation

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from casework.demo.planner import Planner
    from casework.demo.plans import CasePlan, PersonPlan


class _BuildLinks:
    """Shares within and across agencies, households and meetings, made by the workers."""

    persons: dict[str, Person]
    cases: list[tuple[PersonPlan, CasePlan, Case]]

    def _shares_within_agencies(
        self, cases_by_tag: dict[str, Case], users: dict[str, User]
    ) -> None:
        """Every fifth open case of the larger teams is shared with a colleague."""
        teams = ("shakyo", "sougou", "jiritsu")
        colleagues = {
            agency: [u for u, a, role, *_ in STAFF if a == agency and role in CASE_WORKER_ROLES]
            for agency in teams
        }
        for tag, case in sorted(cases_by_tag.items()):
            agency, _, number = tag.rpartition("_")
            if agency not in colleagues or not number.isdigit() or int(number) % 5 != 1:
                continue
            owner = case.assignments.get().worker
            colleague = next(u for u in colleagues[agency] if u != owner.username)
            services.case_share(actor=owner, case=case, user=users[colleague])

    def _share_with_consent(
        self,
        case: Case,
        basis: str,
        agencies: list[Agency],
        recipient: User,
        note: str,
        today: datetime.date,
    ) -> None:
        owner = case.assignments.get().worker
        given_on = min(case.opened_on + datetime.timedelta(days=14), today)
        consent = services.consent_record(
            actor=owner,
            person=case.person,
            basis=basis,
            agencies=agencies,
            given_on=given_on,
            note=note,
        )
        services.case_share(actor=owner, case=case, user=recipient, consent=consent)

    def _shares_across_agencies(
        self,
        cases_by_tag: dict[str, Case],
        agencies: dict[str, Agency],
        users: dict[str, User],
        today: datetime.date,
    ) -> None:
        """Shares with other agencies, each resting on a recorded basis that covers them."""
        scenarios = (
            # (case tag, basis, agencies covered, recipient, note)
            ("8050_parent_0", ConsentBasis.CONSENT, ("shakyo", "sougou"), CSW_DEMO,
             "同居の子を支援する社協CSWとの情報共有に本人が同意。"),
            ("8050_child_0", ConsentBasis.CONSENT, ("hokubu",), "soudan_hokubu1",
             "親を担当する地域包括支援センターとの情報共有に本人が同意。"),
            ("sougou_0", ConsentBasis.CONSENT, ("jiritsu", "seiho"), "soudan_jiritsu1",
             "家計改善支援と債務整理のため、自立相談支援機関・生活福祉課との共有に本人が同意。"),
            ("toubu_0", ConsentBasis.SUPPORT_MEETING, ("shakyo", "hoken"), "soudan_hoken1",
             "支援会議(社会福祉法第106条の6)の構成員として情報を共有。"),
        )  # fmt: skip
        for tag, basis, covered, recipient, note in scenarios:
            self._share_with_consent(
                cases_by_tag[tag],
                basis,
                [agencies[key] for key in covered],
                users[recipient],
                note,
                today,
            )

    def _households_8050(
        self,
        cases_by_tag: dict[str, Case],
        agencies: dict[str, Agency],
        users: dict[str, User],
        today: datetime.date,
    ) -> None:
        """Each 8050 parent and child become one household (世帯主 and 子), linked by the
        parent's worker, who may see the child: a child with a case of their own at another
        agency first consents to that agency seeing it."""
        for index, (_district, parent_agency, _child_agency) in enumerate(HOUSEHOLDS_8050):
            parent_case = cases_by_tag[f"8050_parent_{index}"]
            worker = parent_case.assignments.get().worker
            child = self.persons[f"8050_child_{index}"]
            child_case = cases_by_tag.get(f"8050_child_{index}")
            shared = CaseShare.objects.filter(
                case=child_case, user=worker, revoked_at__isnull=True
            ).exists()
            if child_case is not None and not shared:
                self._share_with_consent(
                    child_case,
                    ConsentBasis.CONSENT,
                    [agencies[parent_agency]],
                    worker,
                    "同居の親を担当する機関との情報共有に本人が同意。",
                    today,
                )
            services.household_link(
                actor=worker,
                person=parent_case.person,
                person_relation=Relation.HEAD,
                member=child,
                member_relation=Relation.CHILD,
            )

    def _meetings(
        self,
        planner: Planner,
        cases_by_tag: dict[str, Case],
        agencies: dict[str, Agency],
        users: dict[str, User],
        today: datetime.date,
    ) -> None:
        """Meetings of every kind, about cases their recorder may see, held after those
        cases were opened and before any of them closed."""
        rng = planner.rng
        for meeting in MEETINGS:
            held_on = today - datetime.timedelta(days=rng.randint(*meeting.days_ago))
            if meeting.tags:
                cases = [cases_by_tag[tag] for tag in meeting.tags]
            else:
                candidates = [
                    case
                    for plan, case_plan, case in self.cases
                    if plan.agency == meeting.agency
                    and case.status not in (CaseStatus.INTAKE, CaseStatus.CLOSED)
                    and case.opened_on <= held_on - datetime.timedelta(days=14)
                ]
                about = [case for case in candidates if case.main_concern == meeting.concern]
                pool = about or candidates
                cases = rng.sample(pool, min(meeting.count, len(pool)))
            held_on = max(held_on, *(case.opened_on for case in cases))
            services.meeting_record(
                actor=users[meeting.recorder],
                kind=meeting.kind,
                held_on=min(held_on, today),
                title=meeting.title,
                attending_agencies=[agencies[key] for key in meeting.attending],
                decisions=meeting.decisions,
                cases=cases,
            )
