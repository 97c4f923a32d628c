from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django import template
from django.utils import timezone, translation
from django.utils.html import format_html
from django.utils.safestring import SafeString

from casework import wareki

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from casework.models import Person

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
