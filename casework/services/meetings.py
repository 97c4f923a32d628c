"""Recording a case meeting."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _

from casework import access
from casework.models import (
    Agency,
    Case,
    Meeting,
)
from casework.services.common import Refusal, _not_future

if TYPE_CHECKING:
    from django.contrib.auth.models import User


@transaction.atomic
def meeting_record(
    *,
    actor: User,
    kind: str,
    held_on: datetime.date,
    title: str,
    attending_agencies: Iterable[Agency],
    decisions: str,
    cases: Iterable[Case],
) -> Meeting:
    membership = access.require_case_role(actor)
    cases = list(cases)
    visible = set(
        access.cases_readable_by(actor)
        .filter(pk__in=[c.pk for c in cases])
        .values_list("pk", flat=True)
    )
    if not cases or len(visible) != len({c.pk for c in cases}):
        raise Refusal({"cases": _("対象ケースは、閲覧できるケースから一つ以上選んでください。")})
    _not_future(held_on, "held_on")
    agencies = list(attending_agencies)
    if not agencies:
        raise Refusal({"attending_agencies": _("出席機関を一つ以上選んでください。")})
    meeting = Meeting(
        kind=kind,
        held_on=held_on,
        title=title.strip(),
        convening_agency=membership.agency,
        decisions=decisions.strip(),
        recorded_by=actor,
    )
    meeting.full_clean()
    meeting.save()
    meeting.attending_agencies.set(agencies)
    meeting.cases.set(cases)
    return meeting
