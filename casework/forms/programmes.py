"""Programme enrolment and outcome forms."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casework.forms.common import DATE_WIDGET, RecordDateField
from casework.models import (
    Person,
    Programme,
    ProgrammeOutcome,
)


class EnrolmentForm(forms.Form):
    programme = forms.ChoiceField(label=_("事業"), choices=Programme.choices)
    person = forms.ModelChoiceField(label=_("参加者"), queryset=Person.objects.none())
    enrolled_on = RecordDateField(label=_("登録日"), widget=DATE_WIDGET)

    def __init__(self, *args: Any, people: QuerySet[Person] | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("enrolled_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        cast("forms.ModelChoiceField[Person]", self.fields["person"]).queryset = people


class EnrolmentLeaveForm(forms.Form):
    left_on = RecordDateField(label=_("終了日"), widget=DATE_WIDGET)


class OutcomeForm(forms.ModelForm):
    class Meta:
        model = ProgrammeOutcome
        fields = ["kind", "achieved_on", "note"]
        widgets = {"achieved_on": DATE_WIDGET}

    def _get_validation_exclusions(self):
        return super()._get_validation_exclusions() | {"enrolment", "recorded_by"}
