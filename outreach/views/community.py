"""Community work pages: events, activity groups with sessions and participants, services.

Groups are not personal data and read as they are; sessions and participants are recorded
only on the user's agency's own groups, and participants are named only to its case staff."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from casework import access
from casework import selectors as casework_selectors
from casework.forms import PersonForm
from casework.pages import (
    ALREADY_SAVED,
    SavedBefore,
    apply_errors,
    draft_saved,
    form_data,
    form_status,
    page_of,
    save_once,
    saved_before,
)
from outreach import access_rules as outreach_access
from outreach import selectors, services
from outreach.forms import (
    EventForm,
    GroupForm,
    ParticipantForm,
    ParticipantUpdateForm,
    ServiceForm,
    SessionForm,
)
from outreach.models import ActivityGroup
from outreach.views.common import (
    GROUP_PARTICIPANTS,
    PARTICIPANT_EDIT,
    form_page,
    list_page,
    log_text,
    require_view,
    then,
    user_of,
)

if TYPE_CHECKING:
    from django.http import HttpRequest, HttpResponse


@require_GET
def event_list(request: HttpRequest) -> HttpResponse:
    return list_page(request, selectors.events(), "outreach/event_list.html", tab="events")


@never_cache
@require_http_methods(["GET", "POST"])
def event_new(request: HttpRequest) -> HttpResponse:
    return form_page(
        request,
        EventForm(form_data(request)),
        lambda data: then(services.event_record(actor=user_of(request), **data), "outreach:events"),
        title=_("啓発活動を記録"),
        success=_("啓発活動を記録しました。"),
        back=reverse("outreach:events"),
    )


@require_GET
def group_list(request: HttpRequest) -> HttpResponse:
    return list_page(request, selectors.groups(), "outreach/group_list.html", tab="groups")


@never_cache
@require_http_methods(["GET", "POST"])
def group_new(request: HttpRequest) -> HttpResponse:
    return form_page(
        request,
        GroupForm(form_data(request)),
        lambda data: services.group_create(actor=user_of(request), **data).get_absolute_url(),
        title=_("活動グループを登録"),
        success=_("活動グループを登録しました。"),
        back=reverse("outreach:groups"),
    )


def _group(pk: str | int) -> ActivityGroup:
    group = (
        ActivityGroup.objects.select_related("district", "supporting_agency")
        .filter(pk=access.parse_id(pk))
        .first()
    )
    if group is None:
        raise Http404
    return group


@never_cache
@require_GET
def group_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require_view(user_of(request))
    group = _group(pk)
    shown, total = selectors.group_participants(user_of(request), group)
    sessions = page_of(request, selectors.group_sessions(group))
    access.log_list(
        user_of(request),
        what=log_text(GROUP_PARTICIPANTS, name=group.name),
        persons=[participant.person for participant in shown],
    )
    return render(
        request,
        "outreach/group_detail.html",
        {
            "group": group,
            "page": sessions,
            "participants": shown,
            "hidden_participants": total - len(shown),
            "can_record": outreach_access.may_record_on_group(user_of(request), group),
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
def session_new(request: HttpRequest, pk: int) -> HttpResponse:
    group = outreach_access.group_for_recording(user_of(request), pk)
    return form_page(
        request,
        SessionForm(form_data(request)),
        lambda data: services.session_record(
            actor=user_of(request), group=group, **data
        ).group.get_absolute_url(),
        title=_("実施回を記録"),
        success=_("実施回を記録しました。"),
        back=group.get_absolute_url(),
    )


@never_cache
@require_http_methods(["GET", "POST"])
def participant_new(request: HttpRequest, pk: int) -> HttpResponse:
    """Register a participant: a new person registered by the worker's agency."""
    group = outreach_access.group_for_recording(user_of(request), pk)
    form = ParticipantForm(form_data(request))
    person_form = PersonForm(form_data(request), prefix="person")
    if request.method == "POST" and form.is_valid() and person_form.is_valid():
        try:
            _participant, url, fresh = save_once(
                request,
                lambda: services.participant_register(
                    actor=user_of(request),
                    group=group,
                    new_person=person_form.cleaned_data,
                    **form.cleaned_data,
                ),
                lambda _participant: group.get_absolute_url(),
            )
        except ValidationError as error:
            apply_errors(form, error)
        except SavedBefore:
            return saved_before(request)
        else:
            if fresh:
                draft_saved(request)
            messages.success(request, _("参加者を登録しました。") if fresh else ALREADY_SAVED)
            return redirect(url)
    return render(
        request,
        "outreach/participant_form.html",
        {"group": group, "form": form, "person_form": person_form},
        status=form_status(request, form, person_form),
    )


@never_cache
@require_http_methods(["GET", "POST"])
def participant_edit(request: HttpRequest, pk: int) -> HttpResponse:
    participant = outreach_access.participant_for_user(user_of(request), pk)
    form = ParticipantUpdateForm(
        form_data(request), initial={"in_community_activity": participant.in_community_activity}
    )
    return form_page(
        request,
        form,
        lambda data: services.participant_update(
            actor=user_of(request), participant=participant, **data
        ).group.get_absolute_url(),
        title=_("参加者の情報を更新"),
        success=_("参加者の情報を更新しました。"),
        back=participant.group.get_absolute_url(),
        log=lambda: access.log_form_read(
            user_of(request),
            participant.person,
            log_text(PARTICIPANT_EDIT, name=participant.group.name),
        ),
        participant=participant,
    )


@require_GET
def service_list(request: HttpRequest) -> HttpResponse:
    return list_page(request, selectors.services(), "outreach/service_list.html", tab="services")


@never_cache
@require_http_methods(["GET", "POST"])
def service_new(request: HttpRequest) -> HttpResponse:
    access.require_case_role(user_of(request))
    form = ServiceForm(
        form_data(request), workers=casework_selectors.agency_staff(user_of(request))
    )
    return form_page(
        request,
        form,
        lambda data: then(
            services.service_record(actor=user_of(request), **data), "outreach:services"
        ),
        title=_("新たな生活支援サービスを記録"),
        success=_("新たな生活支援サービスを記録しました。"),
        back=reverse("outreach:services"),
    )
