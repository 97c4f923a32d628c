"""Person and household forms."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from casework.forms.common import DATE_WIDGET
from casework.models import (
    District,
    Person,
    Relation,
)


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

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        district = cast("forms.ModelChoiceField[District]", self.fields["district"])
        district.queryset = District.objects.all()

    def _post_clean(self):
        # registered_by_agency is set by the service; validate everything else here.
        self.instance.refresh_search_key()
        super()._post_clean()

    def _get_validation_exclusions(self):
        exclusions = super()._get_validation_exclusions()
        exclusions.add("registered_by_agency")
        return exclusions


class PersonSearchForm(forms.Form):
    q = forms.CharField(label=_("氏名・ふりがな"), required=False, max_length=100)
    birth_date = forms.DateField(label=_("生年月日"), required=False, widget=DATE_WIDGET)


class ConfirmNewPersonForm(forms.Form):
    confirm_new = forms.BooleanField(
        label=_("上の方とは別の人として新しく登録する"), required=False
    )


class HouseholdLinkForm(forms.Form):
    person_relation = forms.ChoiceField(label=_("この方の続柄"), choices=Relation.choices)
    relation = forms.ChoiceField(label=_("追加する方の続柄"), choices=Relation.choices)
