"""The records behind one figure of an agency's return: the drill-down its supervisors use
to check a figure against the cases. Read live from the records, by the same selections
the figure was computed from (returns.figures), so they agree unless records changed
since the snapshot was computed."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from casework.models import Agency, Case, ChangeItem, MonitoringEntry, OutcomeKind, Person
from returns import figures as f


@dataclass(frozen=True)
class Row:
    """One record counted in the figure: its case, the person it counts, its date."""

    case: Case
    person: Person
    on: datetime.date
    what: str
    counted: bool = True  # R09: the person improved (in the numerator)


def _local(moment: datetime.datetime) -> datetime.date:
    return timezone.localtime(moment).date()


def records_behind(
    code: str, days: tuple[datetime.date, datetime.date], agency: Agency
) -> list[Row]:
    """The records of `code`'s figure for the period, at `agency`, oldest first."""
    rows: list[Row]
    if code == "R01":
        rows = [
            Row(i.case, i.case.person, i.received_on, i.get_route_display())
            for i in f.intakes(days, agency).select_related("case__person")
        ]
    elif code in ("R02", "R03"):
        plans = f.plans_approved(days, agency).select_related("case__person")
        if code == "R03":
            plans = plans.filter(actions__is_employment_support=True).distinct()
        rows = [
            Row(p.case, p.case.person, _local(p.approved_at), str(p))
            for p in plans
            if p.approved_at
        ]
    elif code in ("R04", "R05"):
        kind = OutcomeKind.EMPLOYED if code == "R04" else OutcomeKind.INCOME_UP
        rows = [
            Row(o.enrolment.case, o.enrolment.person, o.achieved_on, o.get_kind_display())
            for o in f.employment_outcomes(days, agency)
            .filter(kind=kind)
            .select_related("enrolment__case", "enrolment__person")
        ]
    elif code in ("R06", "R07"):
        rows = [
            Row(r.case, r.case.person, _local(r.sent_at), r.receiving_agency.name)
            for r in f.referrals_connected(days, agency)
            .filter(is_public_assistance=code == "R07")
            .select_related("case__person", "receiving_agency")
        ]
    elif code == "R08":
        rows = [
            Row(s.case, s.case.person, s.decided_on, s.get_result_display())
            for s in f.info_only_screenings(days, agency).select_related("case__person")
        ]
    elif code == "R09":
        rows = _evaluations(days, agency)
    else:
        raise ValueError(code)
    return sorted(rows, key=lambda r: (r.on, r.case.pk))


def _evaluations(days: tuple[datetime.date, datetime.date], agency: Agency) -> list[Row]:
    """R09's denominator: each person's latest evaluation with comparable items, marked
    whether it counts as improved."""
    comparisons = f.improvement(days, agency).comparisons
    entries = MonitoringEntry.objects.filter(
        pk__in=[c.entry_id for c in comparisons]
    ).select_related("plan__case__person")
    by_pk = {e.pk: e for e in entries}
    rows = []
    for c in comparisons:
        entry = by_pk[c.entry_id]
        changes = "、".join(
            f"{ChangeItem(item).label} {'+' if d > 0 else ''}{d}" for item, d in c.changes.items()
        )
        what = _("%(plan)s 変化: %(changes)s") % {"plan": entry.plan, "changes": changes}
        rows.append(
            Row(entry.plan.case, entry.plan.case.person, entry.monitored_on, what, c.improved)
        )
    return rows
