"""bench_build's cases: each with its intake, screening, status history and, once closed,
its approved closure request."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bench.names import COMPLAINTS
from bench.world import DAY, STATUS_PATH, CaseRow, office_time
from casework.models import (
    Case,
    CaseConcern,
    CaseStatus,
    CaseStatusChange,
    ClosureReason,
    ClosureRequest,
    ClosureState,
    Concern,
    Intake,
    IntakeConsent,
    IntakeRoute,
    Screening,
    ScreeningResult,
)

if TYPE_CHECKING:
    from bench.build import Build


def write_cases(b: Build) -> None:
    rng = b.rng
    fields = (
        "id",
        "person_id",
        "owning_agency_id",
        "opened_on",
        "status",
        "main_concern",
        "closed_on",
        "created_by_id",
        "created_at",
    )
    reasons = list(ClosureReason)
    for c in b.world.cases:
        b.w.add(
            Case,
            fields,
            (
                c.id,
                c.person,
                b.agency_id(c.agency),
                c.opened_on,
                c.status,
                c.concern,
                c.closed_on,
                c.creator,
                c.created_at,
            ),
        )
        came = rng.random() < 0.8
        b.w.add(
            Intake,
            (
                "case_id",
                "received_on",
                "received_by_id",
                "route",
                "came_in_person",
                "visitor_name",
                "visitor_relation",
                "chief_complaint",
                "consent_status",
            ),
            (
                c.id,
                c.opened_on,
                c.creator,
                rng.choice(IntakeRoute.values),
                came,
                "" if came else f"{b.person_by_id[c.person].family} 様の家族",
                "" if came else rng.choice(("長女", "長男", "配偶者", "民生委員")),
                rng.choice(COMPLAINTS),
                rng.choices(IntakeConsent.values, (70, 10, 20))[0],
            ),
        )
        if rng.random() < 0.4:
            others = rng.sample([k for k in Concern.values if k != c.concern], rng.randint(1, 2))
            b.w.add_many(CaseConcern, ("case_id", "concern"), ((c.id, k) for k in others))
        _status_history(b, c)
        reach = STATUS_PATH.index(CaseStatus(c.final))
        if reach >= 1:
            result = ScreeningResult.CONTINUE
            if reach == 1:
                result = rng.choice((ScreeningResult.INFO_ONLY, ScreeningResult.REFER))
            decided = min(c.opened_on + DAY * rng.randint(0, 7), c.end)
            b.w.add(
                Screening,
                ("case_id", "result", "decided_on", "decided_by_id", "note"),
                (c.id, result, decided, b.supervisor(c.agency), ""),
            )
        if not c.is_open:
            assert c.closed_on is not None
            reason = rng.choice(reasons)
            decided = office_time(rng, c.closed_on)
            b.w.add(
                ClosureRequest,
                (
                    "case_id",
                    "reason",
                    "note",
                    "closing_on",
                    "requested_by_id",
                    "requested_at",
                    "state",
                    "decided_by_id",
                    "decided_at",
                    "decision_note",
                ),
                (
                    c.id,
                    reason.value,
                    "本人の状況が安定したため。"
                    if reason == ClosureReason.OTHER or rng.random() < 0.3
                    else "",
                    c.closed_on,
                    c.creator,
                    decided - DAY * rng.randint(1, 7),
                    ClosureState.APPROVED,
                    b.supervisor(c.agency),
                    decided,
                    "",
                ),
            )


def _status_history(b: Build, c: CaseRow) -> None:
    path = list(STATUS_PATH[: STATUS_PATH.index(CaseStatus(c.final)) + 1])
    if not c.is_open:
        path.append(CaseStatus.CLOSED)
    end = b.case_end_time(c)
    moves = len(path) - 1
    if not moves:
        return
    span = end - c.created_at
    fractions = sorted(b.rng.uniform(0.02, 0.6) for _ in range(moves))
    fields = ("case_id", "from_status", "to_status", "changed_by_id", "changed_at", "reason")
    for k in range(moves):
        closing = path[k + 1] == CaseStatus.CLOSED
        at = end if closing else c.created_at + span * fractions[k]
        b.w.add(
            CaseStatusChange,
            fields,
            (
                c.id,
                path[k],
                path[k + 1],
                b.supervisor(c.agency) if closing else c.creator,
                at,
                "終結の承認" if closing else "",
            ),
        )
