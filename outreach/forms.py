from __future__ import annotations

import datetime
import re
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casework.forms import DATE_WIDGET, BoundedModelMultipleChoiceField, RecordDateField
from casework.models import MAX_ID, validate_record_date
from casework.normalize import normalize_name
from outreach.models import (
    ActivityGroup,
    AwarenessEvent,
    LifeSupportService,
    Observation,
    VisitResult,
    WatchReport,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import User
    from django.db.models import QuerySet

    from casework.models import Case, Person
    from outreach.models import OutreachVisit


class _ExcludeMixin:
    exclude_from_validation: set[str] = set()

    def _get_validation_exclusions(self) -> set[str]:
        # ModelForm's private hook (not in django-stubs); the mixin comes before ModelForm.
        return super()._get_validation_exclusions() | self.exclude_from_validation  # type: ignore[misc]


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

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("held_on", timezone.localdate())
        super().__init__(*args, **kwargs)

    def clean_held_on(self) -> datetime.date:
        value = self.cleaned_data["held_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("未来の日付は指定できません。"))
        return value


class ParticipantForm(forms.Form):
    joined_on = RecordDateField(label=_("登録日"), widget=DATE_WIDGET)
    in_community_activity = forms.BooleanField(label=_("地域活動に参加している"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
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

    def __init__(self, *args: Any, workers: QuerySet[User] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        supported_by = cast("forms.ModelChoiceField[User]", self.fields["supported_by"])
        supported_by.queryset = workers
        # Django calls label_from_instance on the field instance; mypy sees a method there.
        supported_by.label_from_instance = _staff_label  # type: ignore[assignment]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        assert data is not None  # Form.clean returns cleaned_data
        if not (data.get("council") or "").strip() and not data.get("supported_by"):
            self.add_error("council", _("支援した協議体か職員のどちらかを入力してください。"))
        return data


DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]


class ReportForm(_ExcludeMixin, forms.ModelForm):
    exclude_from_validation = {"received_by"}

    class Meta:
        model = WatchReport
        fields = [
            "reporter_kind",
            "reporter_name",
            "reporter_contact",
            "received_at",
            "urgency",
            "address",
            "district",
            "subject_name",
            "subject_description",
            "noticed",
        ]
        widgets = {"received_at": DATETIME_WIDGET, "noticed": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault(
            "received_at", timezone.localtime().replace(second=0, microsecond=0)
        )
        super().__init__(*args, **kwargs)
        cast("forms.DateTimeField", self.fields["received_at"]).input_formats = DATETIME_FORMATS

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        assert data is not None  # Form.clean returns cleaned_data
        if data.get("reporter_kind") == "anonymous":
            # Nothing of an anonymous reporter is kept, even if it was typed.
            data["reporter_name"] = ""
            data["reporter_contact"] = ""
        return data


class WorkerForm(forms.Form):
    worker: forms.ModelChoiceField[User] = forms.ModelChoiceField(label=_("担当者"), queryset=None)

    def __init__(self, *args: Any, workers: QuerySet[User] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        worker = cast("forms.ModelChoiceField[User]", self.fields["worker"])
        worker.queryset = workers
        # Django calls label_from_instance on the field instance; mypy sees a method there.
        worker.label_from_instance = _staff_label  # type: ignore[assignment]


def _staff_label(user: User) -> str:
    return f"{user.last_name} {user.first_name}".strip() or user.get_username()


class LinkSearchForm(forms.Form):
    """Whom a watch report is about, looked for by name as person search does."""

    q = forms.CharField(label=_("本人を探す(氏名・ふりがな)"), max_length=100, required=False)

    def clean_q(self) -> str:
        value: str = self.cleaned_data["q"]
        if not normalize_name(value):
            raise forms.ValidationError(_("氏名かふりがなを入力してから「検索」を押してください。"))
        return value


# The step a report-link form is sent for: a choice to confirm, or the confirmed link.
LINK_CHOOSE = "choose"
LINK_SAVE = "link"
_TARGET = re.compile(r"(case|person):([0-9]{1,19})")


class LinkForm(forms.Form):
    """The person, or one of their cases, a watch report is linked to: `case:<id>` or
    `person:<id>`, found only among `cases` and `persons` (those the user may see)."""

    target = forms.CharField(
        label=_("結び付ける方"),
        max_length=40,
        error_messages={"required": _("結び付ける方(またはケース)を検索結果から選んでください。")},
    )

    def __init__(
        self,
        *args: Any,
        persons: QuerySet[Person],
        cases: QuerySet[Case],
        saving: bool = False,
        **kwargs: Any,
    ) -> None:
        """`saving`: sent to link (after the confirmation), not to choose."""
        super().__init__(*args, **kwargs)
        self.persons = persons
        self.cases = cases
        self.saving = saving

    def is_valid(self) -> bool:
        # Choosing shows the confirmation; only the confirmed form links.
        return self.saving and super().is_valid()

    def clean_target(self) -> Case | Person:
        match = _TARGET.fullmatch(self.cleaned_data["target"])
        found: Case | Person | None = None
        if match and 0 < int(match.group(2)) <= MAX_ID:
            pk = int(match.group(2))
            rows = self.cases if match.group(1) == "case" else self.persons
            found = rows.filter(pk=pk).first()
        if found is None:
            raise forms.ValidationError(_("選べない方です。検索結果から選んでください。"))
        return found

    def chosen(self) -> Case | Person | None:
        """What the form was sent with, when it is a choice the user may make."""
        if not self.is_bound or self.errors:
            return None
        chosen: Case | Person = self.cleaned_data["target"]
        return chosen


class CloseReportForm(forms.Form):
    reason = forms.CharField(
        label=_("終了の理由"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class VisitPlanForm(forms.Form):
    planned_at = forms.DateTimeField(
        label=_("予定日時"), widget=DATETIME_WIDGET, input_formats=DATETIME_FORMATS
    )
    staff = BoundedModelMultipleChoiceField(
        label=_("訪問する職員"), queryset=None, widget=forms.CheckboxSelectMultiple
    )
    purpose = forms.CharField(label=_("目的"), max_length=300, required=False)

    def __init__(self, *args: Any, workers: QuerySet[User] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        staff = cast("BoundedModelMultipleChoiceField", self.fields["staff"])
        staff.queryset = workers
        # Django calls label_from_instance on the field instance; mypy sees a method there.
        staff.label_from_instance = _staff_label  # type: ignore[assignment]

    def clean_planned_at(self) -> datetime.datetime:
        value = self.cleaned_data["planned_at"]
        validate_record_date(value)
        return value


class VisitRecordForm(forms.Form):
    result = forms.ChoiceField(
        label=_("結果"), choices=VisitResult.choices, widget=forms.RadioSelect
    )
    visited_at = forms.DateTimeField(
        label=_("訪問日時"), widget=DATETIME_WIDGET, input_formats=DATETIME_FORMATS
    )
    minutes = forms.IntegerField(label=_("所要時間(分)"), min_value=1, max_value=1440, initial=30)
    observations = forms.MultipleChoiceField(
        label=_("気づいた様子"),
        choices=Observation.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    notes = forms.CharField(
        label=_("記録"), max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    next_visit_on = RecordDateField(label=_("次回訪問予定日"), widget=DATE_WIDGET, required=False)

    def __init__(self, *args: Any, visit: OutreachVisit | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault(
            "visited_at", timezone.localtime(visit.planned_at) if visit else None
        )
        super().__init__(*args, **kwargs)

    def clean_visited_at(self) -> datetime.datetime:
        value = self.cleaned_data["visited_at"]
        validate_record_date(value)
        return value
