"""Support plan, action and monitoring forms."""

from __future__ import annotations

import calendar
import datetime
from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casework.forms.common import DATE_WIDGET
from casework.models import (
    Agency,
    ChangeItem,
    ChangeScore,
    MonitoringEntry,
    SupportPlan,
)

# The scale of every change item, with 「未評価」 (not assessed) first: the default.
SCORE_CHOICES = [("", _("未評価")), *ChangeScore.choices]


def _score_fields() -> dict[str, forms.Field]:
    return {
        f"score_{item}": forms.TypedChoiceField(
            label=label, choices=SCORE_CHOICES, coerce=int, empty_value=None, required=False
        )
        for item, label in ChangeItem.choices
    }


class ChangeScoresMixin:
    """The 評価シート's change items as fields `score_<item>`, each 1–5 or 未評価."""

    cleaned_data: dict[str, Any]

    def score_fields(self) -> list[forms.BoundField]:
        return [self[f"score_{item}"] for item in ChangeItem.values]  # type: ignore[index]

    def scores(self) -> dict[str, int | None]:
        """item -> score (None: 未評価), as the services take them (after is_valid)."""
        return {item: self.cleaned_data.get(f"score_{item}") for item in ChangeItem.values}


class SupportPlanForm(forms.ModelForm):
    # The draft's revision the form was opened on (none for a new plan).
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

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

    # A new plan runs from today for PLAN_MONTHS months, first monitored after
    # MONITORING_MONTHS: the ward's usual rhythm, which the worker changes as needed.
    PLAN_MONTHS = 6
    MONITORING_MONTHS = 3

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        if kwargs.get("instance") is None or kwargs["instance"].pk is None:
            today = timezone.localdate()
            initial = kwargs.setdefault("initial", {})
            initial.setdefault("period_start", today)
            initial.setdefault("period_end", add_months(today, self.PLAN_MONTHS))
            initial.setdefault("next_monitoring_on", add_months(today, self.MONITORING_MONTHS))
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        assert data is not None  # Django's clean returns cleaned_data
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


class BaselineForm(ChangeScoresMixin, forms.Form):
    """The person's state at plan start (プラン開始時), written with the plan."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields.update(_score_fields())


class PlanActionForm(forms.Form):
    description = forms.CharField(label=_("支援内容"), max_length=300, required=False)
    agency = forms.ModelChoiceField(
        label=_("担当機関"), queryset=Agency.objects.none(), required=False
    )
    agency_note = forms.CharField(label=_("担当(機関外)"), max_length=100, required=False)
    frequency = forms.CharField(label=_("頻度"), max_length=100, required=False)
    is_employment_support = forms.BooleanField(label=_("就労支援"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        agency = cast("forms.ModelChoiceField[Agency]", self.fields["agency"])
        agency.queryset = Agency.objects.order_by("name")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        assert data is not None  # Django's clean returns cleaned_data
        if not (data.get("description") or "").strip() and (
            data.get("agency")
            or data.get("agency_note")
            or data.get("frequency")
            or data.get("is_employment_support")
        ):
            self.add_error("description", _("支援内容を入力してください。"))
        return data


class BasePlanActionFormSet(forms.BaseFormSet):
    """The plan's rows of actions. A row marked 削除 is left out of the plan, and is not
    checked: a half-filled row can be dropped without first being completed."""

    def add_fields(self, form: forms.Form, index: int | None) -> None:
        super().add_fields(form, index)
        if forms.formsets.DELETION_FIELD_NAME in form.fields:
            # The table's own column name, not Django's generic "Delete".
            form.fields[forms.formsets.DELETION_FIELD_NAME].label = _("削除")

    def actions(self) -> list[dict[str, Any]]:
        """The rows to save, in their order (after is_valid): blank and deleted rows left out."""
        deletion = forms.formsets.DELETION_FIELD_NAME
        return [
            {k: v for k, v in f.cleaned_data.items() if k != deletion}
            for f in self.forms
            if f.cleaned_data and not f.cleaned_data.get(deletion)
        ]


# extra: without the page's script, two blank rows to fill (with it, 「行を追加」 adds more).
# absolute_max: a posted TOTAL_FORMS beyond the 20 rows is refused, not built (Django would
# build and render up to 1,020 forms for it, seconds of work for one request).
PlanActionFormSet = forms.formset_factory(
    PlanActionForm,
    formset=BasePlanActionFormSet,
    extra=2,
    max_num=20,
    absolute_max=20,
    validate_max=True,
    can_delete=True,
)


class MonitoringForm(ChangeScoresMixin, forms.ModelForm):
    """Monitoring or evaluation; an evaluation also scores the change items."""

    class Meta:
        model = MonitoringEntry
        fields = ["kind", "monitored_on", "progress", "notes", "next_monitoring_on"]
        widgets = {
            "monitored_on": DATE_WIDGET,
            "next_monitoring_on": DATE_WIDGET,
            "notes": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        baseline: dict[str, int] | None = kwargs.pop("baseline", None)
        kwargs.setdefault("initial", {}).setdefault("monitored_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        self.fields.update(_score_fields())
        if baseline is not None:
            # Beside each item, the plan's start to compare with.
            labels = dict(ChangeScore.choices)
            for item in ChangeItem.values:
                start = baseline.get(item)
                self.fields[f"score_{item}"].help_text = _("プラン開始時: %(score)s") % {
                    "score": labels[start] if start is not None else _("未評価")
                }

    def base_fields_shown(self) -> list[forms.BoundField]:
        """The entry's own fields, without the change items (shown apart)."""
        return [self[name] for name in MonitoringForm.Meta.fields]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        assert data is not None  # Django's clean returns cleaned_data
        if data.get("kind") != MonitoringEntry.Kind.EVALUATION:
            scored = [item for item, score in self.scores().items() if score is not None]
            if scored:
                self.add_error(
                    f"score_{scored[0]}",
                    _(
                        "変化項目の点数は評価で記録します。種別を「評価」にするか、"
                        "点数を「未評価」に戻してください。"
                    ),
                )
        return data

    def _get_validation_exclusions(self):
        return super()._get_validation_exclusions() | {"plan", "author"}


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later (the month's last day where it has fewer days)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    last = calendar.monthrange(year, month)[1]
    return day.replace(year=year, month=month, day=min(day.day, last))
