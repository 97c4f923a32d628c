from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casework.models import CaseStatus, Concern, ContactRecord, District, Person

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PersonForm(forms.ModelForm):
    class Meta:
        model = Person
        fields = [
            "family_name",
            "given_name",
            "family_name_kana",
            "given_name_kana",
            "birth_date",
            "sex",
            "address",
            "district",
            "phone",
        ]
        widgets = {"birth_date": DATE_WIDGET}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = District.objects.all()

    def _post_clean(self):
        # registered_by_agency is set by the service; validate everything else here.
        self.instance.refresh_search_key()
        super()._post_clean()

    def _get_validation_exclusions(self):
        exclusions = super()._get_validation_exclusions()
        exclusions.add("registered_by_agency")
        return exclusions


class CaseOpenForm(forms.Form):
    opened_on = forms.DateField(label=_("受付日"), widget=DATE_WIDGET)
    main_concern = forms.ChoiceField(
        label=_("主な相談内容"), choices=[("", _("選択してください")), *Concern.choices]
    )
    other_concerns = forms.MultipleChoiceField(
        label=_("その他の相談内容"),
        choices=Concern.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("opened_on", timezone.localdate())
        super().__init__(*args, **kwargs)

    def clean_opened_on(self):
        value = self.cleaned_data["opened_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("受付日に未来の日付は指定できません。"))
        return value

    def clean(self):
        data = super().clean()
        main = data.get("main_concern")
        if main and main in data.get("other_concerns", []):
            self.add_error(
                "other_concerns", _("主な相談内容と同じ項目はその他に含めないでください。")
            )
        return data


class ContactRecordForm(forms.ModelForm):
    class Meta:
        model = ContactRecord
        fields = ["occurred_at", "method", "minutes", "summary", "next_action"]
        widgets = {
            "occurred_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
            "summary": forms.Textarea(attrs={"rows": 5}),
            "next_action": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, case=None, **kwargs):
        self.case = case
        kwargs.setdefault("initial", {}).setdefault(
            "occurred_at", timezone.localtime().replace(second=0, microsecond=0)
        )
        super().__init__(*args, **kwargs)
        self.fields["occurred_at"].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]

    def _get_validation_exclusions(self):
        exclusions = super()._get_validation_exclusions()
        exclusions.update({"case", "worker"})
        return exclusions


class PersonSearchForm(forms.Form):
    q = forms.CharField(label=_("氏名・ふりがな"), required=False, max_length=100)
    birth_date = forms.DateField(label=_("生年月日"), required=False, widget=DATE_WIDGET)


class MyCasesFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("状況"), required=False, choices=[("", _("すべて")), *CaseStatus.choices]
    )
