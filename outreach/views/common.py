"""What every outreach page shares: the list and form-page helpers, and the plain-Japanese
access-log lines a supervisor reads as they are."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, cast

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy

from casework import access
from casework.models import AccessLog
from casework.pages import form_page as shared_form_page
from casework.pages import page_of
from outreach import selectors

if TYPE_CHECKING:
    from django.contrib.auth.models import User
    from django.db.models import Model, QuerySet
    from django.forms import BaseForm
    from django.http import HttpRequest, HttpResponse
    from django_stubs_ext import StrOrPromise

    from casework.models import Case, Person

PAGE_SIZE = 25

# What the access log says was read. Written in the ward's language whatever the screen's,
# like every other record.
REPORT_QUEUE = gettext_lazy("見守り通報の一覧")
UNLINKED_REPORTS = gettext_lazy("(未登録の方の通報 %(numbers)s)")
REPORT_DETAIL = gettext_lazy("見守り通報 No.%(number)s の詳細")
REPORT_OPEN_CASE = gettext_lazy("見守り通報 No.%(number)s からケースを開始する画面")
VISIT_DETAIL = gettext_lazy("訪問記録 %(day)s")
REPORT_VISIT_DETAIL = gettext_lazy("見守り通報 No.%(number)s の訪問記録 %(day)s")
VISIT_RECORD = gettext_lazy("訪問結果の入力画面 %(day)s")
REPORT_VISIT_RECORD = gettext_lazy("見守り通報 No.%(number)s の訪問結果の入力画面 %(day)s")
VISIT_SCHEDULE = gettext_lazy("訪問予定一覧")
GROUP_PARTICIPANTS = gettext_lazy("活動グループ「%(name)s」の登録参加者")
PARTICIPANT_EDIT = gettext_lazy("活動グループ「%(name)s」の参加者の更新画面")


def user_of(request: HttpRequest) -> User:
    """The signed-in user: LoginRequiredMiddleware lets no one else reach these views."""
    return cast("User", request.user)


def log_text(message: StrOrPromise, **params: object) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return str(message) % params if params else str(message)


def day_label(value: datetime.date) -> str:
    """2026年11月3日: a day as a supervisor reads it in the access log."""
    if isinstance(value, datetime.datetime):
        value = timezone.localdate(value)
    return f"{value.year}年{value.month}月{value.day}日"


def log_read(
    user: User, *, case: Case | None, person: Person | None, detail: str, form: bool = False
) -> None:
    """One read of whoever a page shows. A report about someone not registered yet has no
    person or case: the row still says which report was read."""
    record = case if case is not None else person
    if form and record is not None:
        access.log_form_read(user, record, detail)
        return
    if form:
        action = AccessLog.Action.VIEW_FORM
    else:
        action = AccessLog.Action.VIEW_CASE if case is not None else AccessLog.Action.VIEW_PERSON
    access.log_access(user, person=person, case=case, action=action, detail=detail)


def then(_saved: object, url_name: str) -> str:
    """After saving, go back to the list."""
    return reverse(url_name)


def require_view(user: User) -> None:
    if not selectors.may_view_community(user):
        raise PermissionDenied


def list_page(
    request: HttpRequest, queryset: QuerySet[Model], template: str, **context: object
) -> HttpResponse:
    require_view(user_of(request))
    page = page_of(request, queryset)
    return render(request, template, {"page": page, **context})


def form_page(
    request: HttpRequest,
    form: BaseForm,
    save: Callable[[dict[str, Any]], str],
    *,
    title: str,
    success: str,
    back: str,
    log: Callable[[], None] | None = None,
    template: str = "outreach/form.html",
    **context: object,
) -> HttpResponse:
    """A form for case staff: on a valid POST call the service (`save` returns where to go),
    show its refusal next to the field; `log()` records the read when the page is shown."""
    access.require_case_role(user_of(request))
    return shared_form_page(
        request,
        form,
        save,
        template=template,
        success=success,
        shown=log,
        context={"title": title, "back": back, **context},
    )
