"""Reads for the 開示・訂正・利用停止 pages, already scoped by rights.access_rules."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import DateField, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.models import ContactRecordVersion
from casework.selectors.corrections import person_corrections
from casework.wareki import wareki_date
from rights.access_rules import requests_visible_to
from rights.models import CorrectionLink, RequestState, RightsRequest

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def agency_requests(user: User, *, show: str = "open") -> QuerySet[RightsRequest]:
    """The agency's requests: the open ones by deadline (the nearest first), or all of them
    by the day received (the newest first)."""
    rows = (
        requests_visible_to(user)
        .select_related("person", "registered_by")
        .annotate(deadline_on=Coalesce("extended_to", "due_on", output_field=DateField()))
    )
    if show == "open":
        return rows.filter(state=RequestState.OPEN).order_by("deadline_on", "pk")
    return rows.order_by("-received_on", "-pk")


def correction_choices(request: RightsRequest) -> list[tuple[str, str]]:
    """The corrections that may answer a 訂正請求: of the person's details, and of contact
    records of the agency's own cases of the person, made since the request was received;
    those already linked left out."""
    linked = CorrectionLink.objects.filter(request=request)
    linked_versions = set(linked.values_list("contact_version_id", flat=True))
    linked_rows = set(linked.values_list("person_history_id", flat=True))
    choices: list[tuple[str, str]] = []
    since = request.received_on
    # Under a confidential mark the reason of a correction may quote what is hidden: it is
    # not repeated here (the mark's named staff read it on the person's page).
    hidden_address = request.person.address_confidential
    for change in person_corrections(request.person, address_hidden=hidden_address):
        if timezone.localdate(change["at"]) < since or change["history_id"] in linked_rows:
            continue
        fields = " / ".join(label for label, _old, _new in change["fields"])
        choices.append(
            (
                f"person:{change['history_id']}",
                _("%(date)s 本人の基本情報(%(fields)s)— %(reason)s")
                % {
                    "date": wareki_date(timezone.localdate(change["at"])),
                    "fields": fields,
                    "reason": change["reason"],
                },
            )
        )
    versions = (
        ContactRecordVersion.objects.filter(
            record__case__person_id=request.person_id,
            record__case__owning_agency_id=request.agency_id,
            number__gt=1,
            created_at__date__gte=since,
        )
        .exclude(pk__in=[v for v in linked_versions if v])
        .select_related("record__case")
        .order_by("-created_at")
    )
    for version in versions:
        hidden = version.record.case.records_confidential
        choices.append(
            (
                f"contact:{version.pk}",
                _("%(date)s ケース %(case)06d の経過記録 No.%(record)d 第%(number)d版 — %(reason)s")
                % {
                    "date": wareki_date(timezone.localdate(version.created_at)),
                    "case": version.record.case_id,
                    "record": version.record_id,
                    "number": version.number,
                    "reason": _("秘匿") if hidden else version.reason,
                },
            )
        )
    return choices


def request_corrections(request: RightsRequest) -> list[CorrectionLink]:
    return list(
        CorrectionLink.objects.filter(request=request).select_related(
            "contact_version__record", "linked_by"
        )
    )
