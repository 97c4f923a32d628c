"""Community work pages: events, activity groups with sessions and participants, services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from casework import access
from casework import selectors as casework_selectors
from casework import services as casework_services
from casework.forms import PersonForm
from casework.views import apply_errors
from outreach import selectors, services
from outreach.forms import (
    EventForm,
    GroupForm,
    ParticipantForm,
    ParticipantUpdateForm,
    ServiceForm,
    SessionForm,
)
from outreach.models import ActivityGroup, GroupParticipant

PAGE_SIZE = 25


def _then(_saved, url_name: str) -> str:
    """After saving, go back to the list."""
    return reverse(url_name)


def _require_view(user):
    if not selectors.may_view_community(user):
        raise PermissionDenied


def _list(request, queryset, template, **context):
    _require_view(request.user)
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, template, {"page": page, **context})


def _create(request, form, save, *, title, success, back):
    access.require_case_role(request.user)
    if request.method == "POST" and form.is_valid():
        try:
            target = save(form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, success)
            return redirect(target)
    return render(request, "outreach/form.html", {"form": form, "title": title, "back": back})


@login_required
@require_GET
def event_list(request):
    return _list(request, selectors.events(), "outreach/event_list.html", tab="events")


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def event_new(request):
    return _create(
        request,
        EventForm(request.POST or None),
        lambda data: _then(services.event_record(actor=request.user, **data), "outreach:events"),
        title=_("啓発活動を記録"),
        success=_("啓発活動を記録しました。"),
        back=reverse("outreach:events"),
    )


@login_required
@require_GET
def group_list(request):
    return _list(request, selectors.groups(), "outreach/group_list.html", tab="groups")


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def group_new(request):
    return _create(
        request,
        GroupForm(request.POST or None),
        lambda data: services.group_create(actor=request.user, **data).get_absolute_url(),
        title=_("活動グループを登録"),
        success=_("活動グループを登録しました。"),
        back=reverse("outreach:groups"),
    )


def _group(pk) -> ActivityGroup:
    group = (
        ActivityGroup.objects.select_related("district", "supporting_agency")
        .filter(pk=access.parse_id(pk))
        .first()
    )
    if group is None:
        raise Http404
    return group


@login_required
@require_GET
def group_detail(request, pk):
    _require_view(request.user)
    group = _group(pk)
    shown, total = selectors.group_participants(request.user, group)
    sessions = Paginator(selectors.group_sessions(group), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "outreach/group_detail.html",
        {
            "group": group,
            "page": sessions,
            "participants": shown,
            "hidden_participants": total - len(shown),
            "can_record": access.handles_cases(request.user),
        },
    )


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def session_new(request, pk):
    group = _group(pk)
    return _create(
        request,
        SessionForm(request.POST or None),
        lambda data: services.session_record(
            actor=request.user, group=group, **data
        ).group.get_absolute_url(),
        title=_("実施回を記録"),
        success=_("実施回を記録しました。"),
        back=group.get_absolute_url(),
    )


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def participant_new(request, pk):
    """Register a participant: a new person registered by the worker's agency."""
    access.require_case_role(request.user)
    group = _group(pk)
    form = ParticipantForm(request.POST or None)
    person_form = PersonForm(request.POST or None, prefix="person")
    if request.method == "POST" and form.is_valid() and person_form.is_valid():
        try:
            with transaction.atomic():
                person = casework_services.person_create(
                    actor=request.user, **person_form.cleaned_data
                )
                services.participant_register(
                    actor=request.user, group=group, person=person, **form.cleaned_data
                )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("参加者を登録しました。"))
            return redirect(group.get_absolute_url())
    return render(
        request,
        "outreach/participant_form.html",
        {"group": group, "form": form, "person_form": person_form},
    )


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def participant_edit(request, pk):
    access.require_case_role(request.user)
    participant = (
        GroupParticipant.objects.select_related("group", "person")
        .filter(pk=access.parse_id(pk), person__in=access.persons_visible_to(request.user))
        .first()
    )
    if participant is None:
        raise Http404
    form = ParticipantUpdateForm(
        request.POST or None, initial={"in_community_activity": participant.in_community_activity}
    )
    return _create(
        request,
        form,
        lambda data: services.participant_update(
            actor=request.user, participant=participant, **data
        ).group.get_absolute_url(),
        title=_("参加者の情報を更新"),
        success=_("参加者の情報を更新しました。"),
        back=participant.group.get_absolute_url(),
    )


@login_required
@require_GET
def service_list(request):
    return _list(request, selectors.services(), "outreach/service_list.html", tab="services")


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def service_new(request):
    access.require_case_role(request.user)
    form = ServiceForm(request.POST or None, workers=casework_selectors.agency_staff(request.user))
    return _create(
        request,
        form,
        lambda data: _then(
            services.service_record(actor=request.user, **data), "outreach:services"
        ),
        title=_("新たな生活支援サービスを記録"),
        success=_("新たな生活支援サービスを記録しました。"),
        back=reverse("outreach:services"),
    )
