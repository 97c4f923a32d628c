"""A confidential mark placed after a disclosure package was assembled: the stored package
hides what the mark hides, for the review and the released copy alike, as a package
assembled afterwards does (rights/package_sections.py, rights/package_shared.py). What was
released on paper before the mark is not recalled; the request's dates and decision stay.

An address mark conceals every address and phone field of the package (the person's own,
the place of a watch report about them); a records mark the fields that quote the marked
case's words (a record's text and next step, a void's reason, a visit's notes), matched by
their labels and their text, so that an equal word elsewhere (a visit's 結果) stays."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from casework.extensions import register_mark_hook
from casework.models import ConfidentialMark, ContactRecord, ContactRecordVersion, MarkKind
from outreach.models import OutreachVisit
from rights.models import RightsRequest
from rights.package import withheld_count
from rights.package_fields import concealed

ADDRESS_LABELS = {"住所", "電話番号", "場所(住所)"}
RECORD_LABELS = {"内容", "次回の対応", "誤記録の理由", "記録"}


def _record_texts(case_id: int) -> set[str]:
    texts: set[str] = set()
    for row in ContactRecord.all_records.filter(case_id=case_id).values_list(
        "summary", "next_action", "void_reason"
    ):
        texts |= set(row)
    for summary, next_action in ContactRecordVersion.objects.filter(
        record__case_id=case_id
    ).values_list("summary", "next_action"):
        texts |= {summary, next_action}
    visits = OutreachVisit.objects.filter(Q(case_id=case_id) | Q(report__case_id=case_id))
    texts |= set(visits.values_list("notes", flat=True))
    return texts - {""}


def _hides(mark: ConfidentialMark, texts: set[str], field: dict[str, Any]) -> bool:
    label = str(field.get("label", ""))
    if mark.kind == MarkKind.ADDRESS:
        return label in ADDRESS_LABELS and bool(field.get("value"))
    return label in RECORD_LABELS and str(field.get("value", "")) in texts


def conceal(package: dict[str, Any], mark: ConfidentialMark, texts: set[str]) -> bool:
    """Replace every field the mark hides; True when something changed."""
    changed = False
    for section in package.get("sections", []):
        for item in section.get("items", []):
            for index, field in enumerate(item.get("fields", [])):
                if _hides(mark, texts, field) and field != concealed(field["label"]):
                    item["fields"][index] = concealed(str(field["label"]))
                    changed = True
    if changed:
        package["withheld_count"] = withheld_count(package.get("sections", []))
    return changed


@register_mark_hook
def conceal_in_packages(mark: ConfidentialMark) -> None:
    texts = _record_texts(mark.case.pk) if mark.case is not None else set()
    stored = RightsRequest.objects.select_for_update().filter(
        person_id=mark.person_id, package__isnull=False
    )
    for request in stored:
        if request.package is not None and conceal(request.package, mark, texts):
            request.save(update_fields=["package"])
