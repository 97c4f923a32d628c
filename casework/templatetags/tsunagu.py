from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django import template
from django.utils import timezone, translation
from django.utils.html import format_html
from django.utils.safestring import SafeString

from casework import wareki

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from casework.models import Case, ContactRecord, Person

register = template.Library()


@register.filter
def jdate(value) -> str:
    """A date in the Japanese era form on Japanese screens, ISO form otherwise."""
    if value in (None, ""):
        return ""
    if isinstance(value, str):
        # A date kept as text (an indicator snapshot's periods): shown as any date is.
        try:
            value = datetime.date.fromisoformat(value)
        except ValueError:
            return value
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    if translation.get_language() == "en":
        return value.isoformat()
    return wareki.wareki_date(value)


@register.filter
def jdatetime(value) -> str:
    if not value:
        return ""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{jdate(local.date())} {local:%H:%M}"


@register.filter
def is_past(day) -> bool:
    """A date (or a moment) before today, in Asia/Tokyo: a passed deadline."""
    if not day:
        return False
    if isinstance(day, datetime.datetime):
        day = timezone.localtime(day).date()
    return day < timezone.localdate()


@register.filter
def elapsed(since: datetime.datetime | None) -> str:
    """How long since `since`: minutes, then hours (under two days), then days."""
    if since is None:
        return ""
    minutes = max(0, int((timezone.now() - since).total_seconds() // 60))
    if minutes < 60:
        return translation.gettext("%(n)d分") % {"n": minutes}
    if minutes < 48 * 60:
        return translation.gettext("%(n)d時間") % {"n": minutes // 60}
    return translation.gettext("%(n)d日") % {"n": minutes // (24 * 60)}


@register.simple_tag
def cooloff_minutes() -> int:
    """How long a paused sign-in stays paused, for the lock-out page."""
    from casework.accounts import cooloff_minutes as minutes

    return minutes()


@register.filter
def fy_label(fy: int) -> str:
    return wareki.fiscal_year_on_screen(int(fy))


@register.simple_tag
def age(person: Person) -> int | None:
    return person.age_on(timezone.localdate())


@register.filter
def staff_name(user: User) -> str:
    """Family name first, as names are written in Japan; the login name if none is set."""
    full = f"{user.last_name} {user.first_name}".strip()
    return full or user.get_username()


@register.simple_tag(takes_context=True)
def form_once(context: template.Context) -> SafeString:
    """The form's one-time token, for the user it is rendered for: a second POST of the
    same rendered form saves nothing twice (casework.pages.save_once)."""
    from casework.pages import ONCE_FIELD, once_token

    request = context.get("request")
    user = getattr(request, "user", None)
    return format_html('<input type="hidden" name="{}" value="{}">', ONCE_FIELD, once_token(user))


def _viewer(context: template.Context) -> User | None:
    request = context.get("request")
    return getattr(request, "user", None) or context.get("user")


_HIDDEN = '<span class="tag confidential" title="{}">{}</span>'


def _hidden_tag() -> SafeString:
    return format_html(
        _HIDDEN,
        translation.gettext("秘匿が指定されています。閲覧できる職員に確認してください。"),
        translation.gettext("秘匿"),
    )


@register.simple_tag(takes_context=True)
def address_of(context: template.Context, person: Person | None, district: bool = True) -> str:
    """The person's address (with the district), or 「秘匿」 when a confidential mark hides
    it from the viewer (casework.access.address_hidden)."""
    from casework import access

    if person is None:
        return "—"
    if access.address_hidden(_viewer(context), person):
        # The district stays: it is what the indicators count.
        if district and person.district_id:
            return format_html("{}({})", _hidden_tag(), person.district)
        return _hidden_tag()
    text = person.address or "—"
    if district and person.district_id:
        return format_html("{}({})", text, person.district)
    return text


@register.simple_tag(takes_context=True)
def phone_of(context: template.Context, person: Person | None) -> str:
    from casework import access

    if person is None:
        return "—"
    if access.address_hidden(_viewer(context), person):
        return _hidden_tag()
    return person.phone or "—"


@register.simple_tag(takes_context=True)
def record_hidden(
    context: template.Context, record: ContactRecord, case: Case | None = None
) -> bool:
    """Are the contact record's words hidden from the viewer (a 記録の秘匿 mark)?
    `{% record_hidden c case as hidden %}{% if hidden %}…` (the case saves a query each)."""
    from casework import access

    return access.record_hidden(_viewer(context), record, case)


@register.simple_tag
def hidden_record_text() -> SafeString:
    return format_html(
        '<p class="summary hidden-record">{}</p>',
        translation.gettext(
            "この記録は秘匿が指定されています(閲覧できるのは指定された職員だけです)。"
        ),
    )


@register.simple_tag(takes_context=True)
def address_hidden(context: template.Context, person: Person | None) -> bool:
    """Is the person's address and phone hidden from the viewer? For a place that shows an
    address held elsewhere (a visit's, a report's): `{% address_hidden p as hide %}`."""
    from casework import access

    return access.address_hidden(_viewer(context), person)


@register.simple_tag
def confidential_tag() -> SafeString:
    return _hidden_tag()


@register.simple_tag(takes_context=True)
def visit_notes_hidden(context: template.Context, visit: Any) -> bool:
    """Are a visit's notes hidden from the viewer: a 記録の秘匿 mark on its case (or on the
    case of the report it answered), and the viewer not the one who recorded them?"""
    from casework import access

    viewer = _viewer(context)
    case = visit.case or (visit.report.case if visit.report is not None else None)
    if not access.case_records_hidden(viewer, case):
        return False
    return visit.recorded_by_id != getattr(viewer, "pk", None)
