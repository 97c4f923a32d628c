from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, cast

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from casework import access
from casework.pages import form_status, submitted

from . import selectors, services
from .forms import AgencySettingsForm, ChannelForm
from .models import ReminderState

if TYPE_CHECKING:
    from django.contrib.auth.models import User
    from django.forms import BaseForm
    from django.http import HttpRequest, HttpResponse


def _user(request: HttpRequest) -> User:
    """The signed-in user: LoginRequiredMiddleware lets no one else reach this view."""
    return cast("User", request.user)


@require_http_methods(["GET", "POST"])
def reminder_settings(request: HttpRequest) -> HttpResponse:
    """The user's channels; for a supervisor, the agency's reminder periods too."""
    if access.membership_of(_user(request)) is None:
        raise PermissionDenied
    channels = selectors.channels_of(_user(request))
    agency = selectors.agency_settings_of(_user(request))
    channel_form = ChannelForm(initial={"in_app": channels.in_app, "email": channels.email})
    agency_form = AgencySettingsForm(instance=agency) if agency is not None else None
    posted_agency = request.POST.get("form") == "agency"
    if request.method == "POST":
        if posted_agency:
            if agency is None:
                raise PermissionDenied
            agency_form = AgencySettingsForm(request.POST, instance=agency)
            if _saved(request, agency_form, services.agency_settings_set):
                messages.success(request, _("機関のリマインダー設定を保存しました。"))
                return redirect("reminders:settings")
        else:
            channel_form = ChannelForm(request.POST)
            if _saved(request, channel_form, services.channel_preference_set):
                messages.success(request, _("通知方法を保存しました。"))
                return redirect("reminders:settings")
    counts = selectors.my_reminder_counts(_user(request))
    return render(
        request,
        "reminders/settings.html",
        {
            "channel_form": channel_form,
            "agency_form": agency_form,
            "counts": [(label, counts.get(value, 0)) for value, label in ReminderState.choices],
        },
        status=form_status(request, agency_form if posted_agency else channel_form),
    )


def _saved(request: HttpRequest, form: BaseForm, service: Callable[..., object]) -> bool:
    """Call the service with a valid form; a refusal is shown next to its field."""
    done, _result = submitted(request, form, lambda data: service(actor=_user(request), **data))
    return done
