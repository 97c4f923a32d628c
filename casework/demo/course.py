"""The planner's course of a case: intake to closure, and monitoring."""

from __future__ import annotations

import datetime

from casework.demo.plans import (
    DAY,
    EMPLOYMENT_CONCERNS,
    CasePlan,
    IntakePlan,
    PersonPlan,
    Step,
    _age_on,
    _cohort,
    _days,
    _PlannerBase,
)
from casework.demo.texts import (
    ABUSE_SOURCES,
    CHIEF_COMPLAINTS,
    CHILD_COMPLAINTS,
    CLOSURE_REJECTED_NOTE,
    COMPLAINT_8050_CHILD,
    COMPLAINT_8050_PARENT,
    COMPLAINT_8050_REPORTED,
    EMERGENCY_FOR,
    EMERGENCY_TEXTS,
    EVALUATION_ACHIEVED,
    FAMILY_NAMES,
    GIVEN_NAMES,
    GROUPS,
    MONITORING_NOTES,
    MONITORING_STALLED,
    MONITORING_WORSE,
    PROGRESS_WEIGHTS,
    RELATIVES,
    REOPEN_OTHER,
    REOPEN_REASONS,
    SCREENING_CONTINUE,
    SCREENING_INFO_ONLY,
    SCREENING_INFO_ONLY_OTHER,
    SCREENING_REFER,
    SOURCE_WEIGHTS,
    SOURCES,
    VISITORS,
    C,
)
from casework.models import (
    CaseStatus,
    ClosureReason,
    IntakeConsent,
    MonitoringEntry,
    MonitoringProgress,
    Programme,
    ScreeningResult,
    Sex,
)


class _PlannerCourse(_PlannerBase):
    """What happens on a case: its course from intake to closure, monitoring."""

    def course(self, case: CasePlan, person: PersonPlan, closed_on: datetime.date | None) -> None:
        """How far the case goes, why a closed one closed, and the days it spans."""
        rng, hints, status = self.rng, case.hints, case.status
        depth = {CaseStatus.ASSESSMENT: 2 if rng.random() < 0.6 else 1, CaseStatus.PLANNING: 3,
                 CaseStatus.SUPPORT: 4, CaseStatus.MONITORING: 5}.get(status, 0)  # fmt: skip
        path = {CaseStatus.INTAKE: "intake", CaseStatus.SCREENING: "refer"}.get(status, "continue")
        if status == CaseStatus.CLOSED:
            reason = next((h[7:] for h in sorted(hints) if h.startswith("reason:")), "")
            draw = rng.random()
            if "reopen" in hints or "employment" in hints:
                depth, reason = 5, reason or ClosureReason.GOAL_ACHIEVED
            elif reason:
                depth = rng.choice((2, 4, 5)) if reason == ClosureReason.UNREACHABLE else 5
            elif draw < 0.3 and closed_on is None and case.main_concern != C.ABUSE:
                path, reason = "info_only", ClosureReason.INFO_ONLY
            elif draw < 0.4:
                path, reason = "refer", ClosureReason.TRANSFERRED
            elif draw < 0.52:
                depth = rng.choice((1, 2))
                reason = rng.choice(
                    (ClosureReason.UNREACHABLE, ClosureReason.PERSON_WISH, ClosureReason.MOVED)
                )
            else:
                depth = 5 if rng.random() < 0.7 else 4
                reasons = [
                    (ClosureReason.GOAL_ACHIEVED, 7),
                    (ClosureReason.MOVED, 1),
                    (ClosureReason.TRANSFERRED, 2),
                    (ClosureReason.PERSON_WISH, 1),
                    (ClosureReason.UNREACHABLE, 1),
                ]
                if _age_on(person.birth_date, self.today) >= 75:
                    reasons.append((ClosureReason.DIED, 1))
                reason = rng.choices([r for r, _ in reasons], [w for _, w in reasons])[0]
            case.reason = reason
            if "reopen" in hints:
                closed_on = self.today - _days(rng.randint(20, 60))
                case.opened_on = closed_on - _days(rng.randint(200, 450))
            elif path == "info_only":
                closed_on = min(case.opened_on + _days(rng.randint(0, 3)), self.yesterday)
            elif closed_on is None:
                low, high = (30, 150) if depth <= 2 or path == "refer" else (150, 500)
                closed_on = min(case.opened_on + _days(rng.randint(low, high)), self.yesterday)
            case.closed_on = case.active_until = closed_on
        elif "quiet" in hints:
            case.active_until = self.today - _days(rng.randint(31, 75))
            if case.opened_on > case.active_until - _days(20):
                case.opened_on = case.active_until - _days(rng.randint(20, 120))
        else:
            case.active_until = self.yesterday
        case.path, case.depth = path, depth

    def intake(
        self, case: CasePlan, person: PersonPlan, visitor: tuple[str, str] | None
    ) -> IntakePlan:
        """相談受付: who came, how, and what they asked."""
        rng, group = self.rng, self.group(person)
        if visitor:
            key = rng.choice(("family_office", "family_phone"))
        elif case.role == "8050_parent":
            key = rng.choice(("minsei", "newspaper", "self_phone", "neighbour"))
        elif case.role == "family":
            key = rng.choice(("self_office", "self_office", "self_phone"))
        elif case.main_concern == C.ABUSE:
            # Not the family: it may be where the harm comes from.
            key = rng.choice(("ssw",) if group == "child" else ABUSE_SOURCES)
        else:
            keys, weights = zip(*SOURCE_WEIGHTS[group], strict=True)
            key = rng.choices(keys, weights)[0]
        source = SOURCES[key]
        name = relation = word = ""
        if source.visitor == "family" and visitor:
            name, relation = visitor
            word = relation
        elif source.visitor == "family":
            relation, sex, difference, same_name = rng.choice(RELATIVES[group])
            age = _age_on(person.birth_date, self.today) + difference
            family = (
                (person.family_name, person.family_name_kana)
                if same_name
                else rng.choice(FAMILY_NAMES)
            )
            given = rng.choice(GIVEN_NAMES[_cohort(self.today.year - age)][sex])
            name, word = f"{family[0]} {given[0]}", relation
        elif source.visitor:
            relation, word = VISITORS[source.visitor]
            sex = rng.choice((Sex.MALE, Sex.FEMALE))
            given = rng.choice(GIVEN_NAMES[rng.choice(("1950s_1970s", "1975_1999"))][sex])
            name = f"{rng.choice(FAMILY_NAMES)[0]} {given[0]}"
        main = case.main_concern
        # Someone else's report: the person's own words are quoted; a parent speaking of
        # their child, or a neighbour describing a household, speaks for themselves.
        quoted = bool(source.visitor)
        if case.role == "8050_parent":
            complaint = COMPLAINT_8050_PARENT
            if source.visitor:
                complaint, quoted = COMPLAINT_8050_REPORTED, False
        elif case.role == "8050_child":
            complaint, quoted = COMPLAINT_8050_CHILD[main], False
        elif group == "child" and main in CHILD_COMPLAINTS:
            complaint, quoted = CHILD_COMPLAINTS[main], False
        else:
            complaint = rng.choice(CHIEF_COMPLAINTS[main])
        if quoted:
            chief = f"{word}からの相談。本人は「{complaint.rstrip('。')}」と話しているとのこと。"
        elif source.visitor:
            chief = f"{word}からの相談。{complaint}"
        else:
            chief = complaint
        consent_weights = (10, 8, 2) if source.visitor else (16, 3, 1)
        consent = rng.choices(
            (IntakeConsent.GIVEN, IntakeConsent.PENDING, IntakeConsent.NOT_GIVEN),
            consent_weights,
        )[0]
        return IntakePlan(
            route=source.route,
            came_in_person=not source.visitor,
            visitor_name=name,
            visitor_relation=relation,
            # The worker met the person on a home visit or heard them on the phone; else the
            # first contact is the report itself.
            complaint=chief if source.visitor in ("family", "ssw") else complaint,
            chief_complaint=chief,
            consent_status=consent,
            method=source.method,
            opening=source.text,
        )

    # the workflow

    def flow(
        self, case: CasePlan, person: PersonPlan, children: tuple[PersonPlan, ...] = ()
    ) -> None:
        """Every workflow step of the case, dated between its opening and active_until."""
        rng, hints, steps = self.rng, case.hints, case.steps
        start, end = case.opened_on, case.active_until
        assert end is not None  # set by course()
        group = self.group(person)
        closed = case.status == CaseStatus.CLOSED
        concerns = (case.main_concern, *case.other_concerns)
        if case.path == "info_only":
            screened = case.closed_on
        else:
            screened = self.between(start, min(start + _days(7), end))
        assert screened is not None  # an info_only case is closed

        # 緊急支援 comes in the first days, before any plan.
        kind = next((EMERGENCY_FOR[c] for c in concerns if c in EMERGENCY_FOR), None)
        if kind and rng.random() < 0.2:
            day = self.between(start, end if case.path == "intake" else screened)
            text = rng.choice(EMERGENCY_TEXTS[kind])
            steps.append(Step("emergency", day, {"kind": kind, "description": text}))
        if case.path == "intake":
            return
        if case.path == "info_only":
            if group == "child":
                note = SCREENING_INFO_ONLY[-1][1]
            else:
                fitting = [note for fits, note in SCREENING_INFO_ONLY if case.main_concern in fits]
                note = fitting[0] if fitting else SCREENING_INFO_ONLY_OTHER
            data = {"result": ScreeningResult.INFO_ONLY, "note": note}
            steps.append(Step("screening", screened, data))
            return
        if case.path == "refer":
            options = [
                (target, note)
                for target, groups, note in SCREENING_REFER
                if group in groups and self.agency_key(target, person) != case.agency
            ]
            target, note = rng.choice(options)
            data = {"result": ScreeningResult.REFER, "note": note}
            steps.append(Step("screening", screened, data))
            if closed:
                assert case.closed_on is not None
                target = self.agency_key(target, person) or "external"
                reason: str = ClosureReason.TRANSFERRED
                steps.append(self.closure(case, case.closed_on, reason, target=target))
            return

        note = rng.choice(SCREENING_CONTINUE)
        data = {"result": ScreeningResult.CONTINUE, "note": note}
        steps.append(Step("screening", screened, data))
        employment = group == "adult" and (
            "employment" in hints
            or (
                case.agency in ("jiritsu", "seiho")
                and case.depth >= 4
                and bool(EMPLOYMENT_CONCERNS.intersection(concerns))
                and rng.random() < 0.45
            )
        )
        span = (end - screened).days
        plan_start = screened
        if case.depth >= 2:
            if case.depth == 4 and not closed:
                # 支援中: the plan was approved lately, after months of getting to know
                # the person.
                plan_start = min(max(screened + 2 * DAY, end - _days(rng.randint(5, 75))), end)
                assessed = self.between(max(screened, plan_start - _days(30)), plan_start)
            else:
                assessed = min(screened + _days(rng.randint(1, max(1, min(30, span // 4)))), end)
                gap = rng.randint(2, max(2, min(21, span // 5)))
                plan_start = min(assessed + _days(gap), end)
            steps.append(Step("assessment", assessed, self.assessment(case, person, 1)))
        if case.depth == 3:
            if "submitted" in hints:
                state = "submitted"
            elif "returned" in hints:
                state = "returned"
            else:
                state = rng.choices(("draft", "submitted", "returned"), (35, 55, 10))[0]
            plan_start = min(plan_start, self.today)
            next_on = plan_start + _days(rng.randint(28, 60))
            steps.append(self.plan(case, person, 1, plan_start, state, next_on, employment))
        elif case.depth == 4:
            next_on = plan_start + _days(rng.randint(28, 60))
            overdue = "overdue" in hints or rng.random() < 0.15
            if not closed:  # a case closed before its first monitoring keeps the plan's date
                if overdue and next_on >= self.today and plan_start < self.yesterday:
                    next_on = self.between(plan_start + DAY, self.yesterday)
                elif not overdue and next_on < self.today:
                    next_on = self.today + _days(rng.randint(3, 30))  # still to come
            steps.append(self.plan(case, person, 1, plan_start, "approved", next_on, employment))
        elif case.depth == 5:
            self.monitored(case, person, plan_start, employment)

        if case.depth >= 2:
            since = plan_start if case.depth >= 4 else screened
            window = self.fiscal_window(case, screened)
            if children:
                self.children(case, children, since, window)
            elif group == "child" and case.depth >= 3 and rng.random() < 0.6:
                steps.append(self.enrolment(case, None, Programme.CHILD_STUDY, since))
            if employment and case.depth >= 4:
                steps.append(self.enrolment(case, None, Programme.EMPLOYMENT, since, window))

        last = max(step.on for step in steps)
        if closed:
            assert case.closed_on is not None
            steps.append(self.closure(case, case.closed_on, case.reason))
            if "reopen" in hints:
                reason = REOPEN_REASONS.get(GROUPS[case.main_concern], REOPEN_OTHER)
                steps.append(Step("reopen", self.today, {"reason": reason}))
        elif "closure_pending" in hints:
            reason = rng.choice((ClosureReason.GOAL_ACHIEVED, ClosureReason.MOVED))
            steps.append(self.closure(case, self.between(last, end), reason, decision=None))
        elif "closure_rejected" in hints:
            steps.append(
                self.closure(
                    case,
                    self.between(last, end),
                    ClosureReason.GOAL_ACHIEVED,
                    decision="reject",
                    decision_note=CLOSURE_REJECTED_NOTE,
                )
            )

    def monitored(
        self, case: CasePlan, person: PersonPlan, plan_start: datetime.date, employment: bool
    ) -> None:
        """An approved plan with its monitoring, sometimes revised after a re-assessment."""
        rng, hints, steps, end = self.rng, case.hints, case.steps, case.active_until
        assert end is not None  # set by course()
        closed = case.status == CaseStatus.CLOSED
        good_end = closed and case.reason == ClosureReason.GOAL_ACHIEVED
        overdue = not closed and ("overdue" in hints or rng.random() < 0.15)
        long_enough = (end - plan_start).days >= 240
        revise = "revision" in hints or (long_enough and rng.random() < 0.35)
        pending = "revision_submitted" in hints or (revise and not closed and rng.random() < 0.15)
        if revise and not pending:
            split = plan_start + _days(int((end - plan_start).days * rng.uniform(0.35, 0.6)))
            first, next_first = self.monitoring_days(plan_start, split, overdue=False)
            steps.append(self.plan(case, person, 1, plan_start, "approved", first[0], employment))
            self.monitoring(case, first, next_first)
            reassessed = self.between(first[-1], min(first[-1] + _days(14), end))
            steps.append(Step("assessment", reassessed, self.assessment(case, person, 2)))
            second_start = min(reassessed + _days(rng.randint(3, 10)), end)
            days, next_on = self.monitoring_days(second_start, end, overdue)
            steps.append(self.plan(case, person, 2, second_start, "approved", days[0], employment))
            self.monitoring(case, days, next_on, good_end)
        else:
            days, next_on = self.monitoring_days(plan_start, end, overdue)
            steps.append(self.plan(case, person, 1, plan_start, "approved", days[0], employment))
            self.monitoring(case, days, next_on, good_end)
            if pending:
                reassessed = self.between(days[-1], end)
                steps.append(Step("assessment", reassessed, self.assessment(case, person, 2)))
                second_start = min(reassessed + _days(rng.randint(3, 10)), self.today)
                second_next = second_start + _days(rng.randint(28, 60))
                steps.append(
                    self.plan(case, person, 2, second_start, "submitted", second_next, employment)
                )
        if good_end:
            assert case.closed_on is not None
            last = max(s.on for s in steps)
            day = self.between(min(last + _days(14), case.closed_on), case.closed_on)
            steps.append(
                Step(
                    "monitoring",
                    day,
                    {
                        "kind": MonitoringEntry.Kind.EVALUATION,
                        "progress": MonitoringProgress.ACHIEVED,
                        "notes": EVALUATION_ACHIEVED,
                        "next": None,
                    },
                )
            )

    def monitoring_days(
        self, start: datetime.date, until: datetime.date, overdue: bool
    ) -> tuple[list[datetime.date], datetime.date]:
        """Monitoring days from a plan's start to `until`, and the day the next one is due
        (already past when the monitoring is overdue)."""
        rng = self.rng
        stop = until - _days(rng.randint(45, 90)) if overdue else until
        days = []
        day = start + _days(rng.randint(28, 75))
        while day <= stop:
            days.append(day)
            day += _days(rng.randint(42, 105))
        if not days:
            days.append(self.between(start, min(stop, until) if stop >= start else until))
            day = max(day, days[-1] + _days(rng.randint(28, 60)))
        if overdue and day >= self.today and days[-1] < self.yesterday:
            # Due some weeks ago and not done yet.
            due = max(days[-1] + DAY, min(days[-1] + _days(28), self.yesterday))
            day = self.between(due, self.yesterday)
        return days, day

    def monitoring(
        self,
        case: CasePlan,
        days: list[datetime.date],
        next_on: datetime.date,
        good_end: bool = False,
    ) -> None:
        """Monitoring entries on those days; with good_end the last one finds the plan on
        track (the case is about to close with its goals achieved)."""
        rng = self.rng
        group = GROUPS[case.main_concern]
        progresses, weights = zip(*PROGRESS_WEIGHTS, strict=True)
        for index, (day, following) in enumerate(zip(days, [*days[1:], next_on], strict=True)):
            progress = rng.choices(progresses, weights)[0]
            if good_end and day == days[-1]:
                progress = MonitoringProgress.ON_TRACK
            if progress == MonitoringProgress.ON_TRACK:
                notes = MONITORING_NOTES[group][0]
            elif progress == MonitoringProgress.PARTLY:
                notes = MONITORING_NOTES[group][1]
            elif progress == MonitoringProgress.STALLED:
                notes = rng.choice(MONITORING_STALLED)
            else:
                notes = rng.choice(MONITORING_WORSE)
            # About six months in, the third one is the plan's evaluation (評価シート).
            kind = (
                MonitoringEntry.Kind.EVALUATION if index == 2 else MonitoringEntry.Kind.MONITORING
            )
            data = {"kind": kind, "progress": progress, "notes": notes, "next": following}
            case.steps.append(Step("monitoring", day, data))
