from __future__ import annotations

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.core import validators
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casework import access
from casework.models import (
    Agency,
    Assessment,
    Case,
    CaseStatus,
    ClosureReason,
    Concern,
    Consent,
    ContactRecord,
    District,
    EmergencySupport,
    IntakeConsent,
    IntakeRoute,
    MeetingKind,
    MonitoringEntry,
    Person,
    Programme,
    ProgrammeOutcome,
    Relation,
    Screening,
    SupportPlan,
    validate_record_date,
)

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class BoundedModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Ids beyond what the database can hold are refused as invalid choices, before any
    query (SQLite overflows on them instead of finding nothing)."""

    def _check_values(self, value):
        for pk in value:
            try:
                number = int(str(pk))
            except ValueError:
                continue  # the parent refuses text with its own message
            if not 0 < number <= 2**63 - 1:
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": pk},
                )
        return super()._check_values(value)


class RecordDateField(forms.DateField):
    """A date of something that happened in the ward's work: 2000 to 2100."""

    default_validators = [validate_record_date]


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
    opened_on = RecordDateField(label=_("受付日"), widget=DATE_WIDGET)
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


# --- issue 3: the workflow ------------------------------------------------------------------


class IntakeForm(CaseOpenForm):
    """相談受付: the case fields plus how the consultation came in."""

    route = forms.ChoiceField(label=_("相談経路"), choices=IntakeRoute.choices)
    came_in_person = forms.TypedChoiceField(
        label=_("相談者"),
        choices=[("1", _("本人")), ("0", _("本人以外"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
        initial="1",
    )
    visitor_name = forms.CharField(label=_("相談者の氏名"), required=False, max_length=100)
    visitor_relation = forms.CharField(label=_("本人との関係"), required=False, max_length=50)
    chief_complaint = forms.CharField(
        label=_("主訴"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )
    consent_status = forms.ChoiceField(
        label=_("情報共有への同意"), choices=IntakeConsent.choices, initial=IntakeConsent.PENDING
    )
    field_order = [
        "opened_on",
        "route",
        "came_in_person",
        "visitor_name",
        "visitor_relation",
        "main_concern",
        "other_concerns",
        "chief_complaint",
        "consent_status",
    ]

    def clean(self):
        data = super().clean()
        if data.get("came_in_person") is False:
            for name in ("visitor_name", "visitor_relation"):
                if not (data.get(name) or "").strip():
                    self.add_error(name, _("本人以外が相談に来た場合は入力してください。"))
        return data

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        data["received_on"] = data.pop("opened_on")
        return data


class ConfirmNewPersonForm(forms.Form):
    confirm_new = forms.BooleanField(
        label=_("上の方とは別の人として新しく登録する"), required=False
    )


class ScreeningForm(forms.ModelForm):
    class Meta:
        model = Screening
        fields = ["result", "decided_on", "note"]
        widgets = {
            "decided_on": DATE_WIDGET,
            "result": forms.RadioSelect,
            "note": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("decided_on", timezone.localdate())
        super().__init__(*args, **kwargs)

    def _get_validation_exclusions(self):
        return super()._get_validation_exclusions() | {"case", "decided_by"}


class EmergencySupportForm(forms.ModelForm):
    class Meta:
        model = EmergencySupport
        fields = ["provided_on", "kind", "description"]
        widgets = {"provided_on": DATE_WIDGET, "description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("provided_on", timezone.localdate())
        super().__init__(*args, **kwargs)

    def _get_validation_exclusions(self):
        return super()._get_validation_exclusions() | {"case", "recorded_by"}


class AssessmentForm(forms.ModelForm):
    class Meta:
        model = Assessment
        fields = [
            "assessed_on",
            *Assessment.SECTIONS,
            "guardianship_need",
            "abuse_suspected",
            "abuse_note",
            "summary",
        ]
        widgets = {
            "assessed_on": DATE_WIDGET,
            **{
                name: forms.Textarea(attrs={"rows": 3})
                for name in (*Assessment.SECTIONS, "abuse_note")
            },
            "summary": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("assessed_on", timezone.localdate())
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        if data.get("abuse_suspected") and not (data.get("abuse_note") or "").strip():
            self.add_error("abuse_note", _("虐待の疑いがある場合は、その内容を記入してください。"))
        return data

    def _get_validation_exclusions(self):
        return super()._get_validation_exclusions() | {"case", "version", "author"}


class SupportPlanForm(forms.ModelForm):
    class Meta:
        model = SupportPlan
        fields = [
            "long_term_goal",
            "short_term_goals",
            "services_used",
            "period_start",
            "period_end",
            "next_monitoring_on",
        ]
        widgets = {
            "long_term_goal": forms.Textarea(attrs={"rows": 2}),
            "short_term_goals": forms.Textarea(attrs={"rows": 4}),
            "services_used": forms.Textarea(attrs={"rows": 2}),
            "period_start": DATE_WIDGET,
            "period_end": DATE_WIDGET,
            "next_monitoring_on": DATE_WIDGET,
        }

    def clean(self):
        data = super().clean()
        start, end, nxt = (
            data.get("period_start"),
            data.get("period_end"),
            data.get("next_monitoring_on"),
        )
        if start and end and end < start:
            self.add_error("period_end", _("計画期間の終了は開始より後にしてください。"))
        if start and nxt and nxt < start:
            self.add_error(
                "next_monitoring_on",
                _("次回モニタリング予定日は計画期間の開始以降にしてください。"),
            )
        return data

    def _get_validation_exclusions(self):
        return super()._get_validation_exclusions() | {
            "case",
            "version",
            "assessment",
            "author",
            "state",
        }


class PlanActionForm(forms.Form):
    description = forms.CharField(label=_("支援内容"), max_length=300, required=False)
    agency = forms.ModelChoiceField(
        label=_("担当機関"), queryset=Agency.objects.none(), required=False
    )
    agency_note = forms.CharField(label=_("担当(機関外)"), max_length=100, required=False)
    frequency = forms.CharField(label=_("頻度"), max_length=100, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = Agency.objects.order_by("name")

    def clean(self):
        data = super().clean()
        if not (data.get("description") or "").strip() and (
            data.get("agency") or data.get("agency_note") or data.get("frequency")
        ):
            self.add_error("description", _("支援内容を入力してください。"))
        return data


# absolute_max: a posted TOTAL_FORMS beyond the 20 rows is refused, not built (Django would
# build and render up to 1,020 forms for it, seconds of work for one request).
PlanActionFormSet = forms.formset_factory(
    PlanActionForm, extra=3, max_num=20, absolute_max=20, validate_max=True
)


class ReasonForm(forms.Form):
    note = forms.CharField(
        label=_("理由"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class MonitoringForm(forms.ModelForm):
    class Meta:
        model = MonitoringEntry
        fields = ["kind", "monitored_on", "progress", "notes", "next_monitoring_on"]
        widgets = {
            "monitored_on": DATE_WIDGET,
            "next_monitoring_on": DATE_WIDGET,
            "notes": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("monitored_on", timezone.localdate())
        super().__init__(*args, **kwargs)

    def _get_validation_exclusions(self):
        return super()._get_validation_exclusions() | {"plan", "author"}


class MeetingForm(forms.Form):
    kind = forms.ChoiceField(label=_("会議の種類"), choices=MeetingKind.choices)
    held_on = RecordDateField(label=_("開催日"), widget=DATE_WIDGET)
    title = forms.CharField(label=_("件名"), max_length=200)
    attending_agencies = BoundedModelMultipleChoiceField(
        label=_("出席機関"), queryset=Agency.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    cases = BoundedModelMultipleChoiceField(
        label=_("対象ケース"), queryset=Case.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    decisions = forms.CharField(
        label=_("決定事項"), max_length=8000, widget=forms.Textarea(attrs={"rows": 5})
    )

    def __init__(self, *args, visible_cases=None, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("held_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        self.fields["attending_agencies"].queryset = Agency.objects.order_by("name")
        self.fields["cases"].queryset = visible_cases
        self.fields["cases"].label_from_instance = lambda c: f"{c.number} {c.person}"

    def clean_held_on(self):
        value = self.cleaned_data["held_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("未来の日付は指定できません。"))
        return value


class EnrolmentForm(forms.Form):
    programme = forms.ChoiceField(label=_("事業"), choices=Programme.choices)
    person = forms.ModelChoiceField(label=_("参加者"), queryset=Person.objects.none())
    enrolled_on = RecordDateField(label=_("登録日"), widget=DATE_WIDGET)

    def __init__(self, *args, people=None, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("enrolled_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people


class EnrolmentLeaveForm(forms.Form):
    left_on = RecordDateField(label=_("終了日"), widget=DATE_WIDGET)


class OutcomeForm(forms.ModelForm):
    class Meta:
        model = ProgrammeOutcome
        fields = ["kind", "achieved_on", "note"]
        widgets = {"achieved_on": DATE_WIDGET}

    def _get_validation_exclusions(self):
        return super()._get_validation_exclusions() | {"enrolment", "recorded_by"}


class ClosureRequestForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("終結理由"),
        choices=[c for c in ClosureReason.choices if c[0] != ClosureReason.INFO_ONLY],
    )
    closing_on = RecordDateField(label=_("終結日"), widget=DATE_WIDGET)
    note = forms.CharField(
        label=_("説明"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("closing_on", timezone.localdate())
        super().__init__(*args, **kwargs)


class ClosureDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("判断"),
        choices=[("approve", _("承認して終結する")), ("reject", _("差し戻す"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("理由・コメント"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == "reject" and not (data.get("note") or "").strip():
            self.add_error("note", _("差し戻しの理由を入力してください。"))
        return data


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("再開の理由"), max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )


class ReassignForm(forms.Form):
    from_worker = forms.ModelChoiceField(label=_("現在の担当"), queryset=None)
    to_worker = forms.ModelChoiceField(label=_("新しい担当"), queryset=None)

    def __init__(self, *args, current=None, workers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["from_worker"].queryset = current
        self.fields["to_worker"].queryset = workers
        for name in ("from_worker", "to_worker"):
            self.fields[name].label_from_instance = _staff_label


def _staff_label(user) -> str:
    return f"{user.last_name} {user.first_name}".strip() or user.get_username()


class HouseholdLinkForm(forms.Form):
    person_relation = forms.ChoiceField(label=_("この方の続柄"), choices=Relation.choices)
    relation = forms.ChoiceField(label=_("追加する方の続柄"), choices=Relation.choices)


class AccessLogFilterForm(forms.Form):
    worker = forms.ModelChoiceField(label=_("職員"), queryset=None, required=False)
    date_from = RecordDateField(label=_("開始日"), required=False, widget=DATE_WIDGET)
    date_to = RecordDateField(label=_("終了日"), required=False, widget=DATE_WIDGET)
    case = forms.CharField(
        label=_("ケース番号"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "size": 8}),
    )
    person = forms.IntegerField(
        label=_("本人番号"), required=False, min_value=1, max_value=2**63 - 1
    )

    def __init__(self, *args, workers=None, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["worker"].queryset = workers
        self.fields["worker"].label_from_instance = _staff_label

    def clean_case(self):
        raw = self.cleaned_data["case"].strip()
        if not raw:
            return None
        if not raw.isdigit() or not 0 < int(raw) < 2**63:
            raise forms.ValidationError(_("ケース番号は数字で入力してください(例: 000123)。"))
        # Only a case the supervisor sees: another agency's number would say what it listed.
        if not access.cases_visible_to(self.user).filter(pk=int(raw)).exists():
            raise forms.ValidationError(_("この番号のケースは表示できません。"))
        return int(raw)

    def clean_person(self):
        pk = self.cleaned_data["person"]
        if pk is not None and not access.persons_visible_to(self.user).filter(pk=pk).exists():
            raise forms.ValidationError(_("この番号の本人は表示できません。"))
        return pk

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_to"] < data["date_from"]:
            self.add_error("date_to", _("終了日は開始日以降にしてください。"))
        return data


class ConsentForm(forms.ModelForm):
    class Meta:
        model = Consent
        fields = ["basis", "agencies", "given_on", "note"]
        widgets = {
            "given_on": DATE_WIDGET,
            "agencies": forms.CheckboxSelectMultiple,
            "note": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {
            "agencies": _("情報を共有してよい機関をすべて選んでください。"),
        }
        field_classes = {"agencies": BoundedModelMultipleChoiceField}

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("given_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        self.fields["agencies"].queryset = Agency.objects.order_by("name")

    def _get_validation_exclusions(self):
        return super()._get_validation_exclusions() | {"person", "recorded_by"}


class ConsentWithdrawForm(forms.Form):
    withdrawn_on = RecordDateField(label=_("撤回日"), widget=DATE_WIDGET)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("withdrawn_on", timezone.localdate())
        super().__init__(*args, **kwargs)


class _UsernameLengthChecked:
    """Django's AuthenticationForm sets the user name's max_length after the field is built,
    so no validator checks it: a 5,000-character name reached authenticate() and django-axes,
    which stores it in a 255-character column (a 500 on PostgreSQL). Refuse it next to the
    field, before anyone tries to sign in with it."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        username = self.fields["username"]
        username.validators.append(validators.MaxLengthValidator(username.max_length))


class LoginForm(_UsernameLengthChecked, AuthenticationForm):
    pass


class AdminLoginForm(_UsernameLengthChecked, AdminAuthenticationForm):
    pass
