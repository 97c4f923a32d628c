"""Attachments: filing a file with the record, its history, a new version, the download.

An upload over the limit is not read to the end (casework.middleware.UploadLimitMiddleware):
the form says so next to the file field.
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from casework import access, attachment_files, selectors, services
from casework.forms import AttachmentForm, AttachmentReplaceForm
from casework.models import AccessLog, Attachment, AttachmentVersion, Case, SupportPlan
from casework.pages import AuthenticatedHttpRequest, form_data
from casework.views.common import _form_page

logger = logging.getLogger(__name__)

EXTENSIONS = {"pdf": "pdf", "jpeg": "jpg", "png": "png"}


def _bound(request: AuthenticatedHttpRequest) -> dict[str, Any]:
    """The form's data as every form page has it (a draft kept after a lapsed session comes
    back: the file is chosen again), and the file."""
    return {
        "data": form_data(request),
        "files": request.FILES if request.method == "POST" else None,
        "too_large": getattr(request, "upload_too_large", None),
    }


@never_cache
@require_http_methods(["GET", "POST"])
def attachment_new(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    case = access.case_for_user(request.user, pk, access.WORK)
    plans = SupportPlan.objects.filter(case=case).order_by("-version")
    form = AttachmentForm(**_bound(request), targets=plans, target_label=_lazy("支援プラン"))

    def save(data: dict[str, Any]) -> Case:
        services.attachment_add(
            actor=request.user,
            person=case.person,
            case=case,
            plan=data.get("filed_with"),
            kind=data["kind"],
            title=data["title"],
            file=data["file"],
        )
        return case

    return _form_page(
        request,
        form,
        save,
        title=_lazy("書類を添付"),
        back=case,
        success=_("書類を添付しました。"),
        case=case,
        submit=_("添付する"),
    )


@never_cache
@require_http_methods(["GET", "POST"])
def person_attachment_new(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    person = access.person_for_user(request.user, pk)
    if not access.may_attach_to_person(request.user, person):
        raise PermissionDenied
    consents = access.consents_of(request.user, person)
    form = AttachmentForm(
        **_bound(request), targets=consents, target_label=_lazy("同意・共有の根拠")
    )

    def save(data: dict[str, Any]) -> str:
        services.attachment_add(
            actor=request.user,
            person=person,
            consent=data.get("filed_with"),
            kind=data["kind"],
            title=data["title"],
            file=data["file"],
        )
        return person.get_absolute_url()

    return _form_page(
        request,
        form,
        save,
        title=_lazy("書類を添付"),
        back=person,
        success=_("書類を添付しました。"),
        submit=_("添付する"),
    )


def _log(request: AuthenticatedHttpRequest, attachment: Attachment, action: str, what: str) -> None:
    access.log_access(
        request.user,
        person=attachment.person,
        case=attachment.case,
        action=action,
        detail=what,
    )


@never_cache
@require_GET
def attachment_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    attachment = access.attachment_for_user(request.user, pk)
    action = AccessLog.Action.VIEW_CASE if attachment.case_id else AccessLog.Action.VIEW_PERSON
    # The title is the staff's free text (it may name someone): the log keeps the number.
    _log(request, attachment, action, f"添付書類 #{attachment.pk}")
    may_replace = access.WORK in attachment.user_perms  # type: ignore[attr-defined]
    if attachment.case is not None:
        may_replace = may_replace and attachment.case.is_open
    return render(
        request,
        "casework/attachment_detail.html",
        {
            "attachment": attachment,
            "case": attachment.case,
            "versions": selectors.attachment_versions(attachment),
            "may_replace": may_replace,
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
def attachment_replace(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    attachment = access.attachment_for_user(request.user, pk, access.WORK)
    form = AttachmentReplaceForm(**_bound(request))

    def save(data: dict[str, Any]) -> Attachment:
        services.attachment_replace(
            actor=request.user, attachment=attachment, file=data["file"], reason=data["reason"]
        )
        return attachment

    return _form_page(
        request,
        form,
        save,
        title=_lazy("添付書類を差し替え"),
        # The page reads the person (logged): through the case, or the person themselves.
        back=attachment if attachment.case is not None else attachment.person,
        success=_("新しい版を添付しました。前の版も履歴に残っています。"),
        case=attachment.case,
        record=attachment,
        submit=_("差し替える"),
    )


def _disposition(version: AttachmentVersion) -> str:
    """An ASCII name for any browser and the Japanese one (RFC 5987): the attachment's number,
    never the person's name or the file's own (seen in download lists)."""
    ext = EXTENSIONS[version.file_type]
    ascii_name = f"tenpu-{version.attachment_id}-v{version.number}.{ext}"
    japanese = f"添付書類{version.attachment_id}_第{version.number}版.{ext}"
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(japanese)}"


@never_cache
@require_GET
def attachment_download(request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
    version = access.attachment_version_for_user(request.user, pk)
    attachment = version.attachment
    try:
        stored = attachment_files.open_stored(version.storage_key)
    except Exception:
        # The record names a file the store does not give back (a restore from another day,
        # the store down): said on the attachment's page, and to the log; nothing was read.
        logger.exception("attachment version %s: its file cannot be read", version.pk)
        messages.error(
            request,
            _(
                "この版のファイルを読み出せませんでした。"
                "区の情報システム担当に連絡してください(添付書類 #%(id)s 第%(number)s版)。"
            )
            % {"id": attachment.pk, "number": version.number},
        )
        return redirect(attachment)
    _log(
        request,
        attachment,
        AccessLog.Action.EXPORT,
        f"添付書類 #{attachment.pk} 第{version.number}版をダウンロード",
    )
    content_type = attachment_files.TYPES[version.file_type].content_type
    response = FileResponse(stored, content_type=content_type)
    response["Content-Disposition"] = _disposition(version)
    response["Content-Length"] = str(version.size)
    # Never shown in the page's own origin, whatever a browser makes of the bytes.
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["X-Content-Type-Options"] = "nosniff"
    return response
