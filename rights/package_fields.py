"""The pieces the disclosure package is made of (rights/package.py): fields, items and
sections as plain JSON, the dates as the ward writes them, and the rule for free text.

Whose free text a field is: the agency holding the record (a case's owning agency, a
referral's sending side, a meeting's convener) and the agency of each member of staff who
wrote it. It is the receiving agency's own only when every one of them is that agency.
Otherwise the text is not in the package at all (value "", withheld, naming the other
agency): the supervisor answering the request may not read another agency's records, so
neither copy, nor the stored package, holds it; that agency is asked instead. A member of
staff who moved since writing is read at their present agency, and a text whose writer
cannot be told is left out the same way: neither is released unseen.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Model
from django.utils import timezone

from casework.models import Agency, Case
from casework.templatetags.tsunagu import staff_name
from casework.wareki import wareki_date
from rights.models import RightsRequest

Field = dict[str, Any]
Item = dict[str, Any]
Section = dict[str, Any]

WHY_REPORTER = "通報者に関する情報(第三者の情報)"
WHY_HOUSEHOLD = "本人以外の世帯員に関する情報(第三者の情報)"
WHY_VISITOR = "本人以外の相談者に関する情報(第三者の情報)"
WHY_PARTICIPANT = "本人以外の参加者に関する情報(第三者の情報)"
WHY_OTHER_CASES = "第三者の情報(他の方も対象の会議)"
WHY_ABUSE = "虐待に関する情報(開示の判断が必要)"
WHY_OTHER_AGENCY = "他機関({agency})の記録:その機関に照会してください"
WHY_UNKNOWN_WRITER = "記録した機関が確認できない記録:記録を保有する機関に照会してください"

# Who wrote what: the member of staff and their agency, read in the record's own query.
WRITER = "membership__agency"


def field(label: str, value: object, *, withheld: bool = False, why: str = "") -> Field:
    return {
        "label": label,
        "value": "" if value is None else str(value),
        "withheld": withheld,
        "why": why if withheld else "",
    }


def optional(label: str, value: object) -> Field | None:
    """A field shown only when it has a value (a closing date, a withdrawal)."""
    return field(label, value) if value not in (None, "") else None


def third_party(label: str, value: object, why: str) -> Field | None:
    """A third party's information: kept for the review, withheld from the released copy."""
    return field(label, value, withheld=True, why=why) if value not in (None, "") else None


CONCEALED = "秘匿の指定があるため載せていません。"
WHY_CONCEALED = "秘匿の指定: 閲覧できる職員が別に確認します。"


def concealed(label: str) -> Field:
    """What a confidential mark hides: never in the package, even for the review."""
    return field(label, CONCEALED, withheld=True, why=WHY_CONCEALED)


def fact(label: str, value: object, why: str = "") -> Field | None:
    """A structured fact: released, or kept for review when `why` says it needs a decision
    (a sharing for an abuse response, another member's programme); None when empty."""
    return third_party(label, value, why) if why else optional(label, value)


def date(day: datetime.date | None) -> str:
    return wareki_date(day) if day else ""


def day_of(at: datetime.datetime | None) -> str:
    """The day of a moment, in Tokyo."""
    return wareki_date(timezone.localtime(at).date()) if at else ""


def moment(at: datetime.datetime | None) -> str:
    if at is None:
        return ""
    local = timezone.localtime(at)
    return f"{wareki_date(local.date())} {local:%H:%M}"


def staff(user: Any) -> str:
    return staff_name(user) if user is not None else ""


def agency_of(user: Any) -> Agency | None:
    """The agency a member of staff is with (read through select_related of WRITER)."""
    if user is None:
        return None
    try:
        return user.membership.agency
    except ObjectDoesNotExist:
        return None


def one(obj: Model, attr: str) -> Any:
    """A reverse one-to-one (a case's intake), or None when there is none."""
    try:
        return getattr(obj, attr)
    except ObjectDoesNotExist:
        return None


def name(agency: Agency | None) -> str:
    return agency.name if agency is not None else ""


def case_title(case: Case) -> str:
    return f"ケース {case.number}"


def item(title: str, agency: Agency | None, fields: Iterable[Field | None]) -> Item:
    return {"title": title, "agency": name(agency), "fields": [f for f in fields if f]}


def section(key: str, title: str, items: list[Item]) -> Section:
    return {"key": key, "title": title, "items": items}


class Writers:
    """The request being answered: which agency's own notes are released as they are."""

    def __init__(self, request: RightsRequest) -> None:
        self.request = request
        self.agency_id = request.agency_id
        self.person_id = request.person_id

    def foreign(self, *writers: Agency | None) -> str:
        """Why a text of these writers is left out (another agency's, or nobody's known);
        "" when it is the receiving agency's own."""
        known = [agency for agency in writers if agency is not None]
        other = next((agency for agency in known if agency.pk != self.agency_id), None)
        if other is not None:
            return WHY_OTHER_AGENCY.format(agency=other.name)
        return "" if known else WHY_UNKNOWN_WRITER

    def text(
        self, label: str, value: str | None, *writers: Agency | None, why: str = ""
    ) -> Field | None:
        """A field of free text; None when there is none. Another agency's text is left out
        (value "", withheld, the reason naming the agency); the receiving agency's own is
        released, or kept for review when `why` says it needs a decision."""
        value = (value or "").strip()
        if not value:
            return None
        foreign = self.foreign(*writers)
        if foreign:
            return field(label, "", withheld=True, why=foreign)
        return third_party(label, value, why) if why else field(label, value)
