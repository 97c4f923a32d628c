"""The planner's records of a case, and the whole world drawn at once."""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Iterable
from typing import Any, cast

from django.utils import timezone

from casework.demo.plans import (
    DAY,
    HOUKATSU,
    CasePlan,
    ContactPlan,
    PersonPlan,
    Step,
    _age_on,
    _days,
    _PlannerBase,
    _school_year,
)
from casework.demo.texts import (
    ABUSE_FAMILY,
    ABUSE_NOTES,
    AGENCY_SCENARIOS,
    APPROACHES,
    CAPACITY_CHILD,
    CAPACITY_TEXTS,
    CASELOADS,
    CLOSING_CONTACTS,
    CLOSURE_NOTES,
    COMMUNITY_TEXTS,
    CONCERN_WORDS,
    CONTACT_COUNT,
    CONTACTS,
    CONTACTS_8050_CHILD,
    CONTACTS_8050_PARENT,
    CONTACTS_FAMILY,
    CSW_DEMO,
    CSW_DEMO_SCENARIOS,
    DEBT_TEXTS,
    EMPLOYED_NOTES,
    EMPLOYMENT_ACTION,
    EMPLOYMENT_TEXTS,
    FAMILIES,
    GROUPS,
    HEALTH_TEXTS,
    HOMES,
    HOUSEHOLDS_8050,
    HOUSING_TROUBLE,
    INCOME_TEXTS,
    INCOME_UP_NOTES,
    NEXT_ACTIONS,
    PLANS,
    REASSESSMENT_CHANGES,
    REASSESSMENT_STALLED,
    STATUS_WEIGHTS,
    TRANSFER_NOTES,
    C,
    Contact,
)
from casework.models import (
    CaseStatus,
    ClosureReason,
    GuardianshipNeed,
    MonitoringProgress,
    Programme,
    Sex,
)


class _PlannerRecords(_PlannerBase):
    """The records of a case: assessments, plans, enrolments, closure, contacts; the whole world."""

    def agency_key(self, key: str | None, person: PersonPlan) -> str | None:
        return HOUKATSU[person.district] if key == "houkatsu" else key

    def assessment(self, case: CasePlan, person: PersonPlan, version: int) -> dict[str, Any]:
        """インテーク・アセスメントシート: the first version drawn from the person's situation,
        a re-assessment from the one before and what monitoring found since."""
        rng, group = self.rng, self.group(person)
        concerns = {case.main_concern, *case.other_concerns}
        previous = next((s.data for s in reversed(case.steps) if s.kind == "assessment"), None)
        if previous is not None:
            data = dict(previous)
            progress = next(
                (s.data["progress"] for s in reversed(case.steps) if s.kind == "monitoring"), None
            )
            if progress in (MonitoringProgress.STALLED, MonitoringProgress.WORSE):
                change = REASSESSMENT_STALLED
            else:
                change = REASSESSMENT_CHANGES[GROUPS[case.main_concern]]
            if progress == MonitoringProgress.WORSE:
                data["health"] = "体調を崩して入院した。退院後は通院を続けている。"
            if data["guardianship_need"] == GuardianshipNeed.CONSIDER and rng.random() < 0.5:
                # The re-assessment finds the person's capacity has declined.
                data["guardianship_need"] = GuardianshipNeed.NEEDED
                data["capacity"] = rng.choice(CAPACITY_TEXTS[GuardianshipNeed.NEEDED])
            data["summary"] = f"再アセスメント。{change}{previous['summary']}"
            return data

        housing, family = rng.choice(HOMES.get(case.role) or HOMES[group])
        if not case.role and group != "child" and concerns & {C.HOUSING, C.RENT_LOAN}:
            housing, family = rng.choice(HOUSING_TROUBLE), HOMES[group][0][1]
        if not case.role and C.ABUSE in concerns and group in ABUSE_FAMILY:
            family = ABUSE_FAMILY[group]
        if group == "child":
            debt = rng.choice(DEBT_TEXTS["child"])
        elif concerns & {C.DEBT, C.TAX_UTILITIES, C.RENT_LOAN}:
            debt = rng.choice(DEBT_TEXTS["trouble"])
        else:
            debt = rng.choice(DEBT_TEXTS["none"])
        age = _age_on(person.birth_date, self.today)
        if group == "child":
            absent = C.WITHDRAWAL in concerns
            doing = rng.choice(EMPLOYMENT_TEXTS["child_absent" if absent else "child"])
            employment = f"{_school_year(age)}。{doing}"
        elif concerns & {C.JOB_SEARCH, C.WORK_WORRY}:
            employment = rng.choice(EMPLOYMENT_TEXTS["job"])
        else:
            employment = rng.choice(EMPLOYMENT_TEXTS[group])

        need = GuardianshipNeed.NONE
        if group == "child":
            capacity = CAPACITY_CHILD
        else:
            draw = rng.random()
            if age >= 75 and concerns & {C.CARE, C.HEALTH, C.OTHER, C.ABUSE, C.COMMUNITY}:
                if draw < 0.25:
                    need = GuardianshipNeed.CONSIDER
                elif draw < 0.33:
                    need = GuardianshipNeed.NEEDED
                elif draw < 0.36:
                    need = GuardianshipNeed.IN_USE
            elif case.agency == "shougai" and draw < 0.15:
                need = GuardianshipNeed.CONSIDER
            capacity = rng.choice(CAPACITY_TEXTS[need])
        abuse = C.ABUSE in concerns

        others = [CONCERN_WORDS[c] for c in case.other_concerns]
        summary = f"{CONCERN_WORDS[case.main_concern]}についての相談。"
        if case.role in ("8050_parent", "8050_child"):
            summary = f"8050世帯。{summary}"
        if others:
            summary += f"{'、'.join(others)}の課題も重なっている。"
        summary += rng.choice(APPROACHES)
        return {
            "health": rng.choice(HEALTH_TEXTS[group]),
            "housing": housing,
            "income": rng.choice(INCOME_TEXTS.get(case.role) or INCOME_TEXTS[group]),
            "debt": debt,
            "employment": employment,
            "family": family,
            "community": rng.choice(COMMUNITY_TEXTS["child" if group == "child" else "adult"]),
            "capacity": capacity,
            "guardianship_need": need,
            "abuse_suspected": abuse,
            "abuse_note": ABUSE_NOTES[group] if abuse else "",
            "summary": summary,
        }

    def plan(self, case: CasePlan, person: PersonPlan, version: int, start: datetime.date,
             state: str, next_on: datetime.date, employment: bool) -> Step:  # fmt: skip
        rng = self.rng
        text = PLANS[case.main_concern]
        actions = list(text.actions[: rng.randint(2, len(text.actions))])
        described = {a[0] for a in actions}
        for other in case.other_concerns:
            extra = PLANS[other].actions[0]
            if len(actions) < 4 and extra[0] not in described and rng.random() < 0.5:
                actions.append(extra)
                break
        services_used = text.services
        if employment and EMPLOYMENT_ACTION[0] not in {a[0] for a in actions}:
            agency = "seiho" if case.agency == "seiho" else "jiritsu"
            actions = [*actions[:3], (EMPLOYMENT_ACTION[0], agency, *EMPLOYMENT_ACTION[2:])]
            if "自立支援プログラム" not in services_used:
                services_used += "、自立支援プログラム(就労支援)"
        goals = text.short_goals
        if version > 1:
            goals = (*goals[1:], "これまでの支援で身についたことを続ける")
        fields = {
            "long_term_goal": text.long_goal,
            "short_term_goals": "\n".join(f"・{goal}" for goal in goals),
            "services_used": services_used,
            "period_start": start,
            "period_end": start + _days(rng.choice((182, 365))),
            "next_monitoring_on": next_on,
        }
        data = {"fields": fields, "actions": actions, "state": state, "district": person.district}
        return Step("plan", start, data)

    def fiscal_window(
        self, case: CasePlan, screened: datetime.date
    ) -> tuple[datetime.date, datetime.date] | None:
        """The days a case's enrolments fall in when they must be in a given fiscal year."""
        if "fy:previous" in case.hints:
            assert case.active_until is not None  # set by course()
            previous_start = self.fy_start.replace(year=self.fy_start.year - 1)
            return max(screened, previous_start), min(self.fy_start - DAY, case.active_until)
        if "fy:current" in case.hints:
            return max(screened, self.fy_start), self.today
        return None

    def children(
        self,
        case: CasePlan,
        children: tuple[PersonPlan, ...],
        since: datetime.date,
        window: tuple[datetime.date, datetime.date] | None,
    ) -> None:
        rng = self.rng
        for child in children:
            case.steps.append(Step("child", case.opened_on, {"person": child}))
        for index in range(len(children)):
            if window or rng.random() < 0.85:
                step = self.enrolment(case, index, Programme.CHILD_STUDY, since, window)
                case.steps.append(step)

    def enrolment(self, case: CasePlan, who: int | None, programme: str, since: datetime.date,
                  window: tuple[datetime.date, datetime.date] | None = None) -> Step:  # fmt: skip
        """A programme enrolment of the case's person (who=None) or of a child."""
        rng, end = self.rng, case.active_until
        assert end is not None  # set by course()
        closed = case.status == CaseStatus.CLOSED
        if window:
            enrolled = self.between(*window)
        else:
            enrolled = self.between(since, min(since + _days(45), end))
        outcomes = []
        if programme == Programme.EMPLOYMENT:
            if "employment" in case.hints or rng.random() < 0.6:
                employed = enrolled + _days(rng.randint(30, 240))
                if employed > end:
                    employed = self.between(enrolled, end)
                outcomes.append(("employed", employed, rng.choice(EMPLOYED_NOTES)))
                raised = employed + _days(rng.randint(60, 200))
                if rng.random() < 0.35 and raised <= end:
                    outcomes.append(("income_up", raised, rng.choice(INCOME_UP_NOTES)))
            elif rng.random() < 0.4:
                raised = self.between(enrolled + _days(30), end)
                outcomes.append(("income_up", raised, rng.choice(INCOME_UP_NOTES)))
        last = max([enrolled, *(day for _, day, _ in outcomes)])
        left_on = None
        found_work = programme == Programme.EMPLOYMENT and bool(outcomes)
        if closed:
            left_on = self.between(max(last, end - _days(60)), end)  # near the closure
        elif found_work and rng.random() < 0.5:
            left_on = self.between(last, end)
        elif programme == Programme.CHILD_STUDY and rng.random() < 0.3:
            # A child who left stayed a term at least.
            term = enrolled + _days(90)
            left_on = self.between(term, end) if term <= end else None
        data = {"who": who, "programme": programme, "outcomes": outcomes, "left_on": left_on}
        return Step("enrol", enrolled, data)

    def closure(self, case: CasePlan, day: datetime.date, reason: str, *,
                decision: str | None = "approve", decision_note: str = "",
                target: str | None = None) -> Step:  # fmt: skip
        rng = self.rng
        notes = CLOSURE_NOTES.get(reason)
        if reason == ClosureReason.GOAL_ACHIEVED:
            note = cast(dict[str, str], notes)[GROUPS[case.main_concern]]
        elif reason == ClosureReason.TRANSFERRED:
            if target is None:  # handed over later on: to another agency than its own
                centre = case.agency in ("hokubu", "toubu", "seibu")
                choices = [key for key in ("seiho", "hokubu", "shougai", "hoken", "jiritsu")
                           if key != case.agency and not (centre and key == "hokubu")]  # fmt: skip
                target = rng.choice(choices)
            note = TRANSFER_NOTES[target]
        else:
            note = rng.choice(cast(tuple[str, ...], notes))
        data = {"reason": reason, "note": note, "decision": decision,
                "decision_note": decision_note}  # fmt: skip
        return Step("closure", day, data)

    # contacts

    def at(self, day: datetime.date) -> datetime.datetime:
        # Office hours on a day no later than yesterday, so never in the future.
        moment = datetime.time(self.rng.randint(9, 17), self.rng.choice((0, 15, 30, 45)))
        return timezone.make_aware(datetime.datetime.combine(day, moment))

    def contacts(self, case: CasePlan) -> list[ContactPlan]:
        if case.path == "info_only":
            count = 1
        elif case.status == CaseStatus.CLOSED and (case.path == "refer" or case.depth <= 2):
            count = self.rng.randint(2, 4)
        else:
            count = self.rng.randint(*CONTACT_COUNT[case.status])
        assert case.active_until is not None  # set by course()
        assert case.intake is not None  # drawn before the contacts
        last = min(case.active_until, self.yesterday)
        span = (last - case.opened_on).days
        days = sorted(case.opened_on + _days(self.rng.randint(0, span)) for _ in range(count - 1))
        # Most open cases were in touch lately: their last contact is in the last 3 weeks.
        recent = last - _days(self.rng.randint(0, 20))
        lately = self.rng.random() < 0.8
        if lately and days and case.closed_on is None and last == self.yesterday:
            days[-1] = max(recent, days[-1])
        first = ContactPlan(
            occurred_at=self.at(case.opened_on),
            method=case.intake.method,
            minutes=self.rng.randint(20, 60),
            summary=f"{case.intake.opening}初回相談。{case.intake.complaint}",
            next_action=self.rng.choice(NEXT_ACTIONS),
        )
        concerns = {case.main_concern, *case.other_concerns}

        def fitting(contacts: Iterable[Contact]) -> list[Contact]:
            return [c for c in contacts if not c.topics or c.topics & concerns]

        pool = fitting(CONTACTS)
        if case.role == "8050_parent":
            pool += list(CONTACTS_8050_PARENT) * 3
        elif case.role == "8050_child":
            pool += list(CONTACTS_8050_CHILD) * 3
        elif case.role == "family":
            pool += list(CONTACTS_FAMILY) * 3
        records = [first]
        for index, day in enumerate(days):
            closing = case.closed_on is not None and index == len(days) - 1
            contact = self.rng.choice(fitting(CLOSING_CONTACTS[case.reason]) if closing else pool)
            records.append(
                ContactPlan(
                    occurred_at=self.at(cast(datetime.date, case.closed_on) if closing else day),
                    method=contact.method,
                    minutes=self.rng.randint(*contact.minutes),
                    summary=contact.summary,
                    next_action=""
                    if closing or self.rng.random() < 0.4
                    else self.rng.choice(NEXT_ACTIONS),
                )
            )
        # The intake comes first and the closing talk last, even on a shared day.
        for previous, record in itertools.pairwise(records):
            if record.occurred_at <= previous.occurred_at:
                record.occurred_at = previous.occurred_at + datetime.timedelta(minutes=30)
        return records

    def statuses(self, count: int) -> list[CaseStatus]:
        total = sum(w for _, w in STATUS_WEIGHTS)
        statuses = [s for s, w in STATUS_WEIGHTS for _ in range(max(1, round(count * w / total)))]
        while len(statuses) < count:
            statuses.append(CaseStatus.MONITORING)
        statuses = statuses[:count]
        self.rng.shuffle(statuses)
        return statuses

    # the world

    def build(self) -> list[PersonPlan]:
        rng = self.rng
        persons: list[PersonPlan] = []
        for index, (district, parent_agency, child_agency) in enumerate(HOUSEHOLDS_8050):
            parent_age = rng.randint(80, 89)
            child_age = max(50, min(59, parent_age - rng.randint(24, 35)))
            parent = self.person(agency=parent_agency, age=parent_age, district=district)
            parent.tag = f"8050_parent_{index}"
            child = self.person(
                agency=child_agency or parent_agency,
                age=child_age,
                district=district,
                sex=Sex.MALE if rng.random() < 0.7 else Sex.FEMALE,
                family=(parent.family_name, parent.family_name_kana),
                address=parent.address,
                phone=parent.phone,
            )
            child.tag = f"8050_child_{index}"
            if index == 0:
                child.registrar = CSW_DEMO  # the CSW the parent's record is shared with
            # The first households are the ones whose records are shared across agencies.
            parent_status = CaseStatus.SUPPORT if index < 2 else rng.choice(
                (CaseStatus.ASSESSMENT, CaseStatus.PLANNING, CaseStatus.SUPPORT,
                 CaseStatus.MONITORING)
            )  # fmt: skip
            parent.cases.append(
                self.case(
                    parent,
                    status=parent_status,
                    main=C.CARE,
                    pool=(C.WITHDRAWAL, C.FAMILY, C.HEALTH),
                    role="8050_parent",
                )
            )
            if child_agency:
                main: str = C.WITHDRAWAL if child_agency == "shakyo" else C.JOB_SEARCH
                relation = "母" if parent.sex == Sex.FEMALE else "父"
                child.cases.append(
                    self.case(
                        child,
                        status=CaseStatus.SUPPORT,
                        main=main,
                        pool=(C.FAMILY, C.INCOME, C.HEALTH, C.CARE),
                        role="8050_child",
                        visitor=(f"{parent.family_name} {parent.given_name}", relation),
                    )
                )
            persons += [parent, child]

        opened_days = {
            CaseStatus.MONITORING: (200, 650),
            CaseStatus.SUPPORT: (60, 250),
            CaseStatus.PLANNING: (20, 90),
            CaseStatus.CLOSED: (450, 750),
        }
        for index, family in enumerate(FAMILIES):
            district, agency, age, sex, ages, status, main, works, year = family
            parent = self.person(agency=agency, age=age, district=district, sex=sex)
            parent.tag = f"family_{index}"
            children = []
            for child_age in ages:
                child = self.person(
                    agency=agency,
                    age=child_age,
                    district=district,
                    family=(parent.family_name, parent.family_name_kana),
                    address=parent.address,
                    phone="",
                )
                child.registrar = parent.registrar
                children.append(child)
            low, high = opened_days[status]
            opened_on = self.today - _days(rng.randint(low, high))
            if year == "previous":
                opened_on = self.fy_start - _days(rng.randint(60, 200))
            family_hints = {f"fy:{year}"} if year else set()
            if works:
                family_hints.add("employment")
            parent.cases.append(
                self.case(
                    parent,
                    status=status,
                    main=main,
                    pool=(C.CHILDCARE, C.INCOME, C.FAMILY, C.WITHDRAWAL),
                    role="family",
                    opened_on=opened_on,
                    hints=family_hints,
                    children=tuple(children),
                )
            )
            persons.append(parent)

        plans: list[PersonPlan] = []
        for agency, load in CASELOADS.items():
            for index in range(load.persons):
                district = rng.choice(load.districts)
                plan = self.person(agency=agency, age=self.age(load.ages), district=district)
                # Every seventh person is known to an agency but has no case (yet).
                plan.tag = "no_case" if index % 7 == 3 else f"{agency}_{index}"
                plans.append(plan)
        with_case = [p for p in plans if p.tag != "no_case"]
        demo = list(CSW_DEMO_SCENARIOS)
        scenarios = {agency: list(items) for agency, items in AGENCY_SCENARIOS.items()}
        for plan, status in zip(with_case, self.statuses(len(with_case)), strict=True):
            load = CASELOADS[plan.agency]
            hints: set[str] | frozenset[str] = frozenset()
            if plan.tag == "sougou_0":
                status = CaseStatus.SUPPORT  # shared with the independence agency
            elif plan.tag == "toubu_0":
                status = CaseStatus.MONITORING  # shared under a support meeting
            elif plan.registrar == CSW_DEMO and demo:
                status, hints = demo.pop(0)
            elif plan.registrar != CSW_DEMO and scenarios.get(plan.agency):
                status, hints = scenarios[plan.agency].pop(0)
            main = rng.choice(load.concerns)
            if plan.tag == "sougou_0":
                main = C.DEBT
            case = self.case(plan, status=status, main=main, pool=load.concerns, hints=hints)
            # Some people came back: an earlier case, closed, before the current one.
            if rng.random() < 0.08 and case.opened_on > self.today - _days(700) and not hints:
                closed = case.opened_on - _days(rng.randint(30, 200))
                earlier = self.case(
                    plan,
                    status=CaseStatus.CLOSED,
                    main=rng.choice(load.concerns),
                    pool=load.concerns,
                    opened_on=closed - _days(rng.randint(60, 300)),
                    closed_on=closed,
                )
                plan.cases.append(earlier)
            plan.cases.append(case)
        return persons + plans
