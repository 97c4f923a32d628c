"""Finding a person, the person page, adding to a household."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as _noop
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from casework import access, extensions, selectors, services
from casework.forms import (
    HouseholdLinkForm,
    PersonForm,
    PersonSearchForm,
)
from casework.models import (
    AccessLog,
)
from casework.pages import (
    ALREADY_SAVED,
    PAGE_SIZE,
    AuthenticatedHttpRequest,
    SavedBefore,
    draft_saved,
    form_data,
    form_status,
    keyset_page,
    save_once,
    saved_before,
)
from casework.views.common import apply_errors


@require_GET
def person_search(request: AuthenticatedHttpRequest) -> HttpResponse:
    access.require_case_role(request.user)
    form = PersonSearchForm(request.GET or None)
    page = None
    if form.is_valid() and (form.cleaned_data["q"] or form.cleaned_data["birth_date"]):
        persons = selectors.person_search(
            request.user,
            query=form.cleaned_data["q"],
            birth_date=form.cleaned_data["birth_date"],
        )
        page = keyset_page(
            request, persons, size=PAGE_SIZE, at="search_key", text=True, sorted_whole=True
        )
        access.log_list(
            request.user,
            what=_noop("本人検索"),
            persons=page.object_list,
            query=" ".join(
                str(v) for v in (form.cleaned_data["q"], form.cleaned_data["birth_date"]) if v
            ),
        )
    household_for: str | int | None = request.GET.get("household_for")
    if household_for:
        household_for = access.person_for_user(request.user, household_for).pk
    return render(
        request,
        "casework/person_search.html",
        {"form": form, "page": page, "household_for": household_for},
    )


@never_cache
@require_GET
def person_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    person = access.person_for_user(request.user, pk)
    access.log_access(
        request.user,
        person=person,
        case=None,
        action=AccessLog.Action.VIEW_PERSON,
        detail=_noop("本人の画面"),
    )
    cases = selectors.person_cases(request.user, person)
    in_scope = access.person_in_agency_scope(request.user, person)
    # The household is not part of a shared summary.
    members = (
        selectors.case_household(request.user, person)[0]
        if in_scope or selectors.person_readable(request.user, person)
        else None
    )
    household_writable = in_scope and members is not None
    household = selectors.person_household(person) if members is not None else None
    may_edit_household = household is not None and access.may_edit_household(
        request.user, household
    )
    membership = access.membership_of(request.user)
    assert membership is not None  # person_for_user let only case staff in
    return render(
        request,
        "casework/person_detail.html",
        {
            "person": person,
            "cases": cases,
            "household_members": members,
            "in_scope": in_scope,
            "may_open_case": access.may_open_case_for(request.user, person),
            "is_supervisor": access.is_supervisor_of(request.user, membership.agency_id),
            # Who may be told about the person is for the agency that holds them.
            "consents": selectors.person_consents(request.user, person) if in_scope else None,
            # Filed with the person alone or a consent: the agency's own, as its consents.
            "attachments": (
                selectors.person_attachment_rows(request.user, person) if in_scope else None
            ),
            "household_writable": household_writable,
            "suspension": services.use_suspension_of(person.pk),
            "marks": access.marks_of_person(request.user, person, cases),
            "may_mark": in_scope,
            "panels": extensions.person_panels(request, person),
            "may_correct": access.may_correct_person(request.user, person),
            # Earlier names and addresses are for the agency that holds the person.
            "corrections": (
                selectors.person_corrections(
                    person, address_hidden=access.address_hidden(request.user, person)
                )
                if in_scope
                else []
            ),
            "household_member": (
                selectors.household_membership(person) if household is not None else None
            ),
            "past_members": (
                selectors.household_past_members(household) if household is not None else []
            ),
            "household_changes": (
                selectors.household_changes(household.pk) if household is not None else []
            ),
            "may_edit_household": may_edit_household,
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
def household_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Add a member to the person's household: an existing person (?member=) or a new one."""
    person = access.person_for_user(request.user, pk)
    if not access.person_in_agency_scope(request.user, person):
        raise PermissionDenied
    member = (
        access.person_for_user(request.user, request.GET["member"])
        if request.GET.get("member")
        else None
    )
    present = selectors.household_membership(person)
    if present is not None and not access.household_readable(request.user, present.household):
        present = None  # not theirs to read: nothing of it is shown (joining it is refused)
    head = services.household_head(present.household_id) if present else None
    # Joining the added member's household: is there a 世帯主 there already?
    theirs = selectors.household_membership(member) if member is not None else None
    theirs_head = (
        theirs is not None
        and present is None
        and services.household_head(theirs.household_id) is not None
    )
    form = HouseholdLinkForm(
        form_data(request),
        current_relation=present.relation if present else "",
        head_taken=head is not None,
        person_head_taken=theirs_head,
    )
    # A new member lives at the household's address: the head's, else this person's.
    home = head.person if head is not None else person
    if head is not None and head.person_id != person.pk and request.method == "GET":
        access.log_form_read(request.user, head.person, _noop("世帯員を追加(世帯主の住所)"))
    person_form = (
        None
        if member
        else PersonForm(
            form_data(request),
            prefix="member",
            # Never a hidden address (a 住所・電話の秘匿 mark on anyone living there): the
            # named staff type it.
            initial=(
                {"district": home.district_id}
                if home.address_confidential
                or (present is not None and selectors.household_hidden(present.household_id))
                else {"address": home.address, "district": home.district_id}
            ),
        )
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and (member or cast(PersonForm, person_form).is_valid())
    ):
        try:
            _household, url, fresh = save_once(
                request,
                lambda: services.household_member_add(
                    actor=request.user,
                    person=person,
                    person_relation=form.cleaned_data["person_relation"],
                    member=member,
                    new_member=None if member else cast(PersonForm, person_form).cleaned_data,
                    member_relation=form.cleaned_data["relation"],
                ),
                lambda _household: person.get_absolute_url(),
            )
        except SavedBefore:
            return saved_before(request)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            if fresh:
                draft_saved(request)
            messages.success(request, _("世帯員を追加しました。") if fresh else ALREADY_SAVED)
            return redirect(url)
    access.log_form_read(request.user, person, _noop("世帯員を追加"))
    if member is not None:
        access.log_form_read(request.user, member, _noop("世帯員を追加(追加する方)"))
    return render(
        request,
        "casework/household_form.html",
        {"person": person, "member": member, "form": form, "person_form": person_form},
        status=form_status(request, form, person_form),
    )
