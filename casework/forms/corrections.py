"""Forms of corrections (訂正): a person's details, a household member, a 経過記録."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from casework.forms.common import DATE_WIDGET
from casework.forms.contacts import ContactRecordForm
from casework.forms.persons import PersonForm
from casework.models import LeaveReason, Relation
from casework.services.corrections import REASON_MAX_LENGTH


def _reason_field(label: Any = None) -> forms.CharField:
    return forms.CharField(
        label=label or _("訂正の理由"),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("例: 本人からの訂正の申出(婚姻による改姓)、入力の誤り"),
    )


class PersonCorrectionForm(PersonForm):
    """The person's details as on record, to correct, with why. `version` is the version
    the form was opened on: a save over a newer one is refused."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    reason = _reason_field()


class ContactCorrectionForm(ContactRecordForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    reason = _reason_field()


class ContactVoidForm(forms.Form):
    reason = _reason_field(_("誤記録とする理由"))


class HouseholdLeaveForm(forms.Form):
    left_reason = forms.ChoiceField(
        label=_("理由"), choices=LeaveReason.choices, widget=forms.RadioSelect
    )
    left_on = forms.DateField(label=_("転出・死亡の日"), widget=DATE_WIDGET)


class HouseholdRelationForm(forms.Form):
    relation = forms.ChoiceField(label=_("新しい続柄"), choices=Relation.choices)
    reason = _reason_field(_("変更の理由"))

    def __init__(self, *args: Any, head_taken: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if head_taken:
            cast(forms.ChoiceField, self.fields["relation"]).choices = [
                c for c in Relation.choices if c[0] != Relation.HEAD
            ]
