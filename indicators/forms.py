from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Protocol, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from casework.wareki import fiscal_year_on_screen
from indicators.definitions import BY_CODE, REPORTED_CODES, SURVEY_CODES
from indicators.models import MAX_REPORTED, MAX_RESPONDENTS
from indicators.selectors import computable_years


class Versioned(Protocol):
    """A snapshot of one fiscal year: the indicators', or a national return."""

    fiscal_year: int
    number: int

    @property
    def is_partial_year(self) -> bool: ...


def _indicator_choices(codes: Iterable[str]) -> list[tuple[str, str]]:
    return [(c, f"{c} {BY_CODE[c].name}") for c in codes]


class SurveyForm(forms.Form):
    indicator = forms.ChoiceField(label=_("指標"), choices=())
    percent = forms.DecimalField(
        label=_("割合(%)"), min_value=0, max_value=100, max_digits=4, decimal_places=1
    )
    respondents = forms.IntegerField(label=_("回答者数"), min_value=1, max_value=MAX_RESPONDENTS)
    survey_name = forms.CharField(label=_("調査名"), max_length=200)
    surveyed_on = forms.DateField(label=_("調査日"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["indicator"]).choices = _indicator_choices(SURVEY_CODES)


class ReportedForm(forms.Form):
    indicator = forms.ChoiceField(label=_("指標"), choices=())
    value = forms.IntegerField(label=_("人数"), min_value=0, max_value=MAX_REPORTED)
    reporting_body = forms.CharField(label=_("報告元"), max_length=200)
    as_of = forms.DateField(label=_("基準日"), widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label=_("備考"), max_length=500, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["indicator"]).choices = _indicator_choices(
            REPORTED_CODES
        )


class ComputeForm(forms.Form):
    fiscal_year = forms.TypedChoiceField(label=_("年度"), coerce=int, choices=())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["fiscal_year"]).choices = [
            (fy, fiscal_year_on_screen(fy)) for fy in reversed(computable_years())
        ]


class SnapshotRefForm(forms.Form):
    """Which snapshot: its fiscal year and version number (no database id in the page)."""

    fy = forms.IntegerField(min_value=2000, max_value=2100)
    n = forms.IntegerField(min_value=1, max_value=1_000_000)


class ApproveForm(forms.Form):
    """Approving a draft. The confirmation of a year still running and the reason for
    replacing an approval are asked only when they apply; the service decides whether they
    are needed and refuses next to the field."""

    fy = forms.IntegerField(min_value=2000, max_value=2100, widget=forms.HiddenInput)
    n = forms.IntegerField(min_value=1, max_value=1_000_000, widget=forms.HiddenInput)
    partial_year_confirmed = forms.BooleanField(
        label=_("年度途中の集計であることを確認しました"), required=False
    )
    reason = forms.CharField(
        label=_("差し替えの理由"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("例: 年度末の記録が入力されたため、確定値に差し替える。"),
    )

    def __init__(self, *args: Any, snapshot: Versioned, replaces: Versioned | None, **kwargs: Any):
        kwargs.setdefault("initial", {"fy": snapshot.fiscal_year, "n": snapshot.number})
        super().__init__(*args, **kwargs)
        if not snapshot.is_partial_year:
            del self.fields["partial_year_confirmed"]
        if replaces is None:
            del self.fields["reason"]
