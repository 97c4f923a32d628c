"""Correcting the record: a person's details, household members, a 経過記録 and its versions."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as _noop
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from casework import access, selectors, services
from casework.forms import (
    ContactCorrectionForm,
    ContactVoidForm,
    HouseholdLeaveForm,
    HouseholdRelationForm,
    PersonCorrectionForm,
)
from casework.models import AccessLog, ContactRecord, HouseholdMember, Person
from casework.pages import AuthenticatedHttpRequest, form_data
from casework.templatetags.tsunagu import jdatetime
from casework.views.common import _case_url, _form_page, _record_case, _user_perms


@never_cache
@require_http_methods(["GET", "POST"])
def person_correct(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    person = access.person_for_user(request.user, pk)
    if not access.may_correct_person(request.user, person):
        raise PermissionDenied
    form = PersonCorrectionForm(
        form_data(request), instance=person, initial={"version": person.version}
    )

    def save(data: dict[str, Any]) -> Person:
        values = {field: data[field] for field in Person.CORRECTABLE}
        return services.person_correct(
            actor=request.user,
            person=person,
            version=data["version"],
            reason=data["reason"],
            **values,
        )

    return _form_page(
        request,
        form,
        save,
        title=_("本人の情報を訂正"),
        back=person,
        success=_("本人の情報を訂正しました。"),
        submit=_("訂正する"),
    )


def _member_for_user(request: AuthenticatedHttpRequest, pk: int) -> HouseholdMember:
    member = access.household_member_for_user(request.user, pk)
    if not access.may_edit_household(request.user, member.household):
        raise PermissionDenied
    return member


@never_cache
@require_http_methods(["GET", "POST"])
def household_member_leave(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    member = _member_for_user(request, pk)
    form = HouseholdLeaveForm(form_data(request))

    def save(data: dict[str, Any]) -> Person:
        services.household_member_leave(
            actor=request.user, member=member, reason=data["left_reason"], left_on=data["left_on"]
        )
        return member.person

    return _form_page(
        request,
        form,
        save,
        title=_("世帯を離れたことを記録(転出・死亡)"),
        back=member.person,
        record=f"{member.person}({member.get_relation_display()})",
        success=_("世帯員の転出・死亡を記録しました。"),
        submit=_("記録する"),
    )


@never_cache
@require_http_methods(["GET", "POST"])
def household_relation(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    member = _member_for_user(request, pk)
    head = services.household_head(member.household_id)
    form = HouseholdRelationForm(
        form_data(request),
        head_taken=head is not None and head.pk != member.pk,
        initial={"relation": member.relation},
    )

    def save(data: dict[str, Any]) -> Person:
        services.household_relation_change(
            actor=request.user, member=member, relation=data["relation"], reason=data["reason"]
        )
        return member.person

    return _form_page(
        request,
        form,
        save,
        title=_("続柄を変更"),
        back=member.person,
        record=f"{member.person}({member.get_relation_display()})",
        success=_("続柄を変更しました。"),
        submit=_("変更する"),
    )


def _contact_for_user(request: AuthenticatedHttpRequest, pk: int) -> ContactRecord:
    record = access.case_record_for_user(request.user, ContactRecord, pk, access.VIEW)
    record.case = _record_case(record)
    # A record under a 記録の秘匿 mark: its words, versions and correction are for the
    # staff named on the mark (and its author).
    if access.record_hidden(request.user, record):
        raise PermissionDenied
    return record


@never_cache
@require_http_methods(["GET", "POST"])
def contact_correct(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    record = _contact_for_user(request, pk)
    may_correct, _may_void = access.contact_correction_rights(request.user, record)
    if not may_correct:
        raise PermissionDenied
    form = ContactCorrectionForm(
        form_data(request),
        instance=record,
        case=record.case,
        initial={"version": record.version},
    )

    def save(data: dict[str, Any]) -> str:
        values = {field: data[field] for field in services.CONTACT_FIELDS}
        services.contact_record_correct(
            actor=request.user,
            record=record,
            version=data["version"],
            reason=data["reason"],
            **values,
        )
        return _case_url(record.case)

    return _form_page(
        request,
        form,
        save,
        title=_("経過記録を訂正"),
        back=record.case,
        case=record.case,
        success=_("経過記録を訂正しました。前の内容は履歴に残っています。"),
        submit=_("訂正する"),
    )


@never_cache
@require_http_methods(["GET", "POST"])
def contact_void(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    record = _contact_for_user(request, pk)
    _may_correct, may_void = access.contact_correction_rights(request.user, record)
    if not may_void:
        raise PermissionDenied
    form = ContactVoidForm(form_data(request))

    def save(data: dict[str, Any]) -> str:
        services.contact_record_void(actor=request.user, record=record, reason=data["reason"])
        return _case_url(record.case)

    return _form_page(
        request,
        form,
        save,
        title=_("誤記録とする"),
        back=record.case,
        case=record.case,
        record=_("この経過記録は経過記録の一覧から外れ、履歴に残ります。%(when)s の記録です。")
        % {"when": jdatetime(record.occurred_at)},
        success=_("誤記録としました。記録は履歴に残っています。"),
        submit=_("誤記録とする"),
    )


@never_cache
@require_GET
def contact_versions(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Every version of a 経過記録, with who corrected it, when and why. A record marked
    誤記録 (often one about someone else, entered on the wrong case) is for the owning
    agency's supervisors alone."""
    record = _contact_for_user(request, pk)
    if record.voided_at is not None and access.SUPERVISE not in _user_perms(record):
        raise Http404
    access.log_access(
        request.user,
        person=record.case.person,
        case=record.case,
        action=AccessLog.Action.VIEW_CASE,
        detail=_noop("経過記録の訂正履歴"),
    )
    may_correct, may_void = access.contact_correction_rights(request.user, record)
    return render(
        request,
        "casework/contact_versions.html",
        {
            "case": record.case,
            "record": record,
            "versions": selectors.contact_versions(record),
            "may_correct": may_correct and record.voided_at is None,
            "may_void": may_void and record.voided_at is None,
            "back_url": reverse("casework:case_detail", kwargs={"pk": record.case.pk}),
        },
    )
