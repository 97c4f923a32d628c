from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casework.forms import DATE_WIDGET, RecordDateField
from outreach.models import ActivityGroup, AwarenessEvent, LifeSupportService


class _ExcludeMixin:
    exclude_from_validation: set[str] = set()

    def _get_validation_exclusions(self):
        return super()._get_validation_exclusions() | self.exclude_from_validation


class EventForm(_ExcludeMixin, forms.ModelForm):
    exclude_from_validation = {"organizer", "recorded_by"}

    class Meta:
        model = AwarenessEvent
        fields = ["title", "theme", "category", "held_on", "district", "participants"]
        widgets = {"held_on": DATE_WIDGET}


class GroupForm(_ExcludeMixin, forms.ModelForm):
    exclude_from_validation = {"supporting_agency", "created_by"}

    class Meta:
        model = ActivityGroup
        fields = [
            "name",
            "kind",
            "is_care_prevention",
            "district",
            "venue",
            "capacity",
            "started_on",
        ]
        widgets = {"started_on": DATE_WIDGET}


class SessionForm(forms.Form):
    held_on = RecordDateField(label=_("実施日"), widget=DATE_WIDGET)
    attendance = forms.IntegerField(label=_("参加者数(延べ)"), min_value=0, max_value=100000)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("held_on", timezone.localdate())
        super().__init__(*args, **kwargs)

    def clean_held_on(self):
        value = self.cleaned_data["held_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("未来の日付は指定できません。"))
        return value


class ParticipantForm(forms.Form):
    joined_on = RecordDateField(label=_("登録日"), widget=DATE_WIDGET)
    in_community_activity = forms.BooleanField(label=_("地域活動に参加している"), required=False)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("joined_on", timezone.localdate())
        super().__init__(*args, **kwargs)


class ParticipantUpdateForm(forms.Form):
    in_community_activity = forms.BooleanField(label=_("地域活動に参加している"), required=False)
    left_on = RecordDateField(label=_("退会日"), widget=DATE_WIDGET, required=False)


class ServiceForm(_ExcludeMixin, forms.ModelForm):
    exclude_from_validation = {"recorded_by"}

    class Meta:
        model = LifeSupportService
        fields = [
            "name",
            "kind",
            "district",
            "created_on",
            "council",
            "supported_by",
            "description",
        ]
        widgets = {"created_on": DATE_WIDGET, "description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, workers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["supported_by"].queryset = workers
        self.fields["supported_by"].label_from_instance = lambda u: (
            f"{u.last_name} {u.first_name}".strip() or u.get_username()
        )

    def clean(self):
        data = super().clean()
        if not (data.get("council") or "").strip() and not data.get("supported_by"):
            self.add_error("council", _("支援した協議体か職員のどちらかを入力してください。"))
        return data
