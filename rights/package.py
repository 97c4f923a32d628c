"""The disclosure package (開示請求の資料): everything the ward holds about one person, across
every agency, laid out as sections of items of labelled fields.

It is read straight from the models, not through the visibility selectors: a 開示請求 is a
legal process the receiving agency's supervisor runs for the whole ward. What needs a
decision is kept in the package and marked `withheld` with the reason (`why`), so that the
review copy (確認用) shows it for the decision and the released copy (開示用) blacks it out:
third parties (a watch-network reporter, the other members of the household, a meeting that
discussed other people too) and what concerns abuse. The free text another agency wrote is
marked the same way but without its text (value ""): that supervisor may not read it, and
the agency is consulted instead (rights/package_fields.py). Structured facts of other
agencies' records (dates, agency names, states, methods) are released.

The package is stored in a JSONField and rendered later, possibly after the records
changed: it holds plain strings only, already worded as the ward's Japanese paper words
them, whatever the screen language.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone, translation

from rights.models import RightsRequest
from rights.package_fields import Writers
from rights.package_sections import person_sections
from rights.package_shared import shared_sections

PACKAGE_VERSION = 1

# The mark a withheld field carries on each copy.
RELEASED_MARK = "■■■■(不開示:{why})"
REVIEW_MARK = "【要確認:{why}】"


def withheld_count(sections: list[dict[str, Any]]) -> int:
    """How many fields the review marks withheld (the released copy blacks them out)."""
    return sum(
        1
        for section in sections
        for item in section.get("items", [])
        for field in item.get("fields", [])
        if field.get("withheld")
    )


def assemble(request: RightsRequest) -> dict[str, Any]:
    """The package for `request` (a 開示請求), as plain JSON: see the module's docstring."""
    writers = Writers(request)
    with translation.override("ja"):
        sections = person_sections(writers) + shared_sections(writers)
    withheld = withheld_count(sections)
    return {
        "version": PACKAGE_VERSION,
        "request_id": request.pk,
        "person_id": request.person_id,
        "person_name": _frozen_name(sections) or str(request.person),
        "agency": request.agency.name,
        "assembled_at": timezone.now().isoformat(),
        "sections": sections,
        "withheld_count": withheld,
    }


def released_value(field: dict[str, Any]) -> str:
    """What the released copy (開示用) shows of a field: its value, or the redaction mark."""
    if field.get("withheld"):
        return RELEASED_MARK.format(why=field.get("why") or "第三者の情報")
    return str(field.get("value", ""))


def review_mark(field: dict[str, Any]) -> str:
    """The mark the review copy (確認用) puts after a withheld field's value; "" otherwise."""
    if field.get("withheld"):
        return REVIEW_MARK.format(why=field.get("why") or "第三者の情報")
    return ""


def package_rows(package: dict[str, Any], *, released: bool) -> list[dict[str, Any]]:
    """The package's sections for a page or a print: each field with the text the copy shows
    (`text`, without the mark), the review mark apart (`mark`) and its `withheld` flag."""
    rows = []
    for section in package.get("sections", []):
        items = []
        for item in section.get("items", []):
            fields = []
            for field in item.get("fields", []):
                withheld = bool(field.get("withheld"))
                fields.append(
                    {
                        "label": field.get("label", ""),
                        "text": released_value(field) if released else str(field.get("value", "")),
                        "mark": "" if released else review_mark(field),
                        "withheld": withheld,
                        "why": field.get("why", "") if withheld else "",
                    }
                )
            items.append(
                {"title": item.get("title", ""), "agency": item.get("agency", ""), "fields": fields}
            )
        rows.append(
            {"key": section.get("key", ""), "title": section.get("title", ""), "items": items}
        )
    return rows


def copy_title(*, released: bool) -> str:
    return "保有個人情報開示資料(開示用)" if released else "保有個人情報開示資料(確認用)"


def person_name(request: RightsRequest, package: dict[str, Any]) -> str:
    """The person's name as the package holds it (the record may have been corrected since)."""
    return str(
        package.get("person_name") or _frozen_name(package.get("sections", [])) or request.person
    )


def _frozen_name(sections: list[dict[str, Any]]) -> str:
    """The 氏名 of the person section (a package stored before `person_name` was kept)."""
    for section in sections:
        if section.get("key") != "person":
            continue
        for item in section.get("items", []):
            for field in item.get("fields", []):
                if field.get("label") == "氏名" and not field.get("withheld"):
                    return str(field.get("value", ""))
    return ""
