from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from casework import access
from casework.views import apply_errors

from . import selectors, services
from .forms import AgencySettingsForm, ChannelForm
from .models import ReminderState


@require_http_methods(["GET", "POST"])
def reminder_settings(request):
    """The user's channels; for a supervisor, the agency's reminder periods too."""
    if access.membership_of(request.user) is None:
        raise PermissionDenied
    channels = selectors.channels_of(request.user)
    agency = selectors.agency_settings_of(request.user)
    channel_form = ChannelForm(initial={"in_app": channels.in_app, "email": channels.email})
    agency_form = AgencySettingsForm(instance=agency) if agency is not None else None
    if request.method == "POST":
        if request.POST.get("form") == "agency":
            if agency is None:
                raise PermissionDenied
            agency_form = AgencySettingsForm(request.POST, instance=agency)
            if _saved(request, agency_form, services.agency_settings_set):
                messages.success(request, _("機関のリマインダー設定を保存しました。"))
                return redirect("reminders:settings")
        else:
            channel_form = ChannelForm(request.POST)
            if _saved(request, channel_form, services.channels_set):
                messages.success(request, _("通知方法を保存しました。"))
                return redirect("reminders:settings")
    counts = selectors.my_reminder_counts(request.user)
    return render(
        request,
        "reminders/settings.html",
        {
            "channel_form": channel_form,
            "agency_form": agency_form,
            "counts": [(label, counts.get(value, 0)) for value, label in ReminderState.choices],
        },
        status=400 if request.method == "POST" else 200,
    )


def _saved(request, form, service) -> bool:
    """Call the service with a valid form; a refusal is shown next to its field."""
    if not form.is_valid():
        return False
    try:
        service(actor=request.user, **form.cleaned_data)
    except ValidationError as error:
        apply_errors(form, error)
        return False
    return True
