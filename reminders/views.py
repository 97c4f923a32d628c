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


@require_http_methods(["GET", "POST"])
def reminder_settings(request):
    """The user's channels; for a supervisor, the agency's reminder periods too."""
    if access.membership_of(request.user) is None:
        raise PermissionDenied
    channels = selectors.channels_of(request.user)
    agency = selectors.agency_settings_of(request.user)
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
    counts = selectors.my_reminder_counts(request.user)
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


def _saved(request, form, service) -> bool:
    """Call the service with a valid form; a refusal is shown next to its field."""
    done, _result = submitted(request, form, lambda data: service(actor=request.user, **data))
    return done
