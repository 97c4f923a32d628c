"""Thin views for 開示・訂正・利用停止 requests: authorize through rights.access_rules, call
one service or selector, render."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, cast

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import gettext_noop as _noop
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from casework import access
from casework.models import AccessLog, Case, ContactRecordVersion, Role
from casework.pages import form_data, form_page, page_of
from rights import access_rules, package, selectors, services
from rights import render as renderers
from rights.forms import DecideForm, DeliverForm, ExtendForm, LinkForm, RegisterForm, WithdrawForm
from rights.models import RequestKind, RightsRequest

if TYPE_CHECKING:
    from django import forms
    from django.contrib.auth.models import User
    from django.http import HttpRequest
    from django_stubs_ext import StrOrPromise


def _user(request: HttpRequest) -> User:
    return cast("User", request.user)


@require_GET
def request_list(request: HttpRequest) -> HttpResponse:
    access.require_case_role(_user(request))
    show = "all" if request.GET.get("show") == "all" else "open"
    page = page_of(request, selectors.agency_requests(_user(request), show=show))
    today = timezone.localdate()
    for row in page.object_list:
        # For the template: the days left, and how late once past.
        row.left = row.days_left(today)
        row.late = -row.left
    access.log_list(
        _user(request),
        what=_noop("開示等の請求の一覧"),
        persons=[r.person_id for r in page.object_list],
    )
    supervisor = access.membership_of(_user(request))
    return render(
        request,
        "rights/list.html",
        {
            "page": page,
            "show": show,
            "supervisor": supervisor is not None and supervisor.role == Role.SUPERVISOR,
        },
    )


def _form(
    request: HttpRequest,
    form: forms.BaseForm,
    save: Callable[[dict[str, Any]], Any],
    *,
    title: StrOrPromise,
    about: Any,
    success: StrOrPromise,
    submit: StrOrPromise,
    back: str,
) -> HttpResponse:
    def shown() -> None:
        access.log_form_read(_user(request), about, cast(str, title))

    return form_page(
        request,
        form,
        save,
        template="rights/form.html",
        success=success,
        then=lambda saved: saved.get_absolute_url(),
        shown=shown,
        context={"title": title, "about": about, "submit": submit, "back": back},
    )


@never_cache
@require_http_methods(["GET", "POST"])
def register(request: HttpRequest, pk: int) -> HttpResponse:
    person = access.person_for_user(_user(request), pk)
    if not access_rules.may_register_for(_user(request), person):
        raise PermissionDenied
    return _form(
        request,
        RegisterForm(form_data(request)),
        lambda data: services.request_register(actor=_user(request), person=person, **data),
        title=_lazy("開示・訂正・利用停止の請求を受け付ける"),
        about=person,
        success=_lazy("請求を受け付けました。"),
        submit=_lazy("受け付ける"),
        back=person.get_absolute_url(),
    )


@never_cache
@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    rights_request = access_rules.request_for_user(_user(request), pk)
    access.log_access(
        _user(request),
        person=rights_request.person,
        case=None,
        action=AccessLog.Action.VIEW_PERSON,
        detail=rights_request.record_name,
    )
    decider = access_rules.may_decide(_user(request), rights_request)
    return render(
        request,
        "rights/detail.html",
        {
            "rr": rights_request,
            "decider": decider,
            "corrections": selectors.request_corrections(rights_request),
            "withheld": (rights_request.package or {}).get("withheld_count", 0),
        },
    )


def _decider_form(
    request: HttpRequest,
    pk: int,
    form_class: type[forms.Form],
    service: Callable[..., Any],
    *,
    title: StrOrPromise,
    success: StrOrPromise,
    submit: StrOrPromise,
) -> HttpResponse:
    rights_request = access_rules.request_for_user(_user(request), pk)
    access_rules.require_decider(_user(request), rights_request)
    return _form(
        request,
        form_class(form_data(request)),
        lambda data: service(actor=_user(request), request=rights_request, **data),
        title=title,
        about=rights_request.person,
        success=success,
        submit=submit,
        back=rights_request.get_absolute_url(),
    )


@never_cache
@require_http_methods(["GET", "POST"])
def extend(request: HttpRequest, pk: int) -> HttpResponse:
    return _decider_form(
        request,
        pk,
        ExtendForm,
        services.request_extend,
        title=_lazy("決定期限を延長する"),
        success=_lazy("決定期限を延長しました。本人への延長の通知を忘れずに。"),
        submit=_lazy("延長する"),
    )


@never_cache
@require_http_methods(["GET", "POST"])
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    return _decider_form(
        request,
        pk,
        DecideForm,
        services.request_decide,
        title=_lazy("決定を記録する"),
        success=_lazy("決定を記録しました。"),
        submit=_lazy("記録する"),
    )


@never_cache
@require_http_methods(["GET", "POST"])
def deliver(request: HttpRequest, pk: int) -> HttpResponse:
    return _decider_form(
        request,
        pk,
        DeliverForm,
        services.request_deliver,
        title=_lazy("交付・通知を記録する"),
        success=_lazy("交付・通知を記録しました。"),
        submit=_lazy("記録する"),
    )


@never_cache
@require_http_methods(["GET", "POST"])
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    return _decider_form(
        request,
        pk,
        WithdrawForm,
        services.request_withdraw,
        title=_lazy("請求の取下げを記録する"),
        success=_lazy("請求の取下げを記録しました。"),
        submit=_lazy("記録する"),
    )


@never_cache
@require_http_methods(["GET", "POST"])
def link(request: HttpRequest, pk: int) -> HttpResponse:
    rights_request = access_rules.request_for_user(_user(request), pk)
    access_rules.require_decider(_user(request), rights_request)
    if rights_request.kind != RequestKind.CORRECTION:
        raise Http404
    choices = selectors.correction_choices(rights_request)

    def save(data: dict[str, Any]) -> RightsRequest:
        kind, _sep, number = data["correction"].partition(":")
        if kind == "contact":
            version = ContactRecordVersion.objects.select_related("record__case").get(
                pk=int(number)
            )
            services.correction_link(
                actor=_user(request), request=rights_request, contact_version=version
            )
        else:
            services.correction_link(
                actor=_user(request), request=rights_request, person_history_id=int(number)
            )
        return rights_request

    return _form(
        request,
        LinkForm(form_data(request), choices=choices),
        save,
        title=_lazy("訂正を請求に結び付ける"),
        about=rights_request.person,
        success=_lazy("訂正を結び付けました。つなぎで記録を受け取った機関に知らせました。"),
        submit=_lazy("結び付ける"),
        back=rights_request.get_absolute_url(),
    )


@require_POST
def assemble(request: HttpRequest, pk: int) -> HttpResponse:
    rights_request = access_rules.request_for_user(_user(request), pk)
    try:
        services.package_assemble(actor=_user(request), request=rights_request)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("開示資料を作成しました。第三者の情報に印が付いています。"))
    return redirect(rights_request.get_absolute_url())


def _package_of(request: HttpRequest, pk: int, what: str) -> tuple[RightsRequest, dict, bool]:
    """The request's assembled package and which copy: the released copy (開示用) once the
    decision disclosed it in full or in part, unless ?copy=review; else the review copy
    with the third parties' information marked (確認用)."""
    rights_request = access_rules.request_for_user(_user(request), pk)
    access_rules.require_decider(_user(request), rights_request)
    if rights_request.package is None:
        raise Http404
    if not access_rules.decider_sees_person(_user(request), rights_request):
        raise PermissionDenied
    released = rights_request.releasable and request.GET.get("copy") != "review"
    copy = "開示用" if released else "確認用"
    access.log_access(
        _user(request),
        person=rights_request.person,
        case=None,
        action=AccessLog.Action.EXPORT,
        detail=f"{rights_request.record_name} の開示資料({copy}・{what})",
        # Filed under every agency whose case the package reads.
        cases=Case.objects.filter(person_id=rights_request.person_id),
    )
    return rights_request, rights_request.package, released


@never_cache
@require_GET
def package_print(request: HttpRequest, pk: int) -> HttpResponse:
    rights_request, assembled, released = _package_of(request, pk, "印刷")
    return render(
        request,
        "rights/print_package.html",
        {
            "rr": rights_request,
            "person": rights_request.person,
            "printed_at": timezone.now(),
            "printed_by": request.user,
            "package": assembled,
            "sections": package.package_rows(assembled, released=released),
            "released": released,
        },
    )


def _download(content: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response


@never_cache
@require_GET
def package_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    rights_request, assembled, released = _package_of(request, pk, "PDF")
    copy = "release" if released else "review"
    return _download(
        renderers.package_pdf(rights_request, assembled, released=released),
        "application/pdf",
        f"disclosure-{rights_request.pk}-{copy}.pdf",
    )


@never_cache
@require_GET
def package_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    rights_request, assembled, released = _package_of(request, pk, "Excel")
    copy = "release" if released else "review"
    return _download(
        renderers.package_xlsx(rights_request, assembled, released=released),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        f"disclosure-{rights_request.pk}-{copy}.xlsx",
    )
