"""Person and household forms."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from casework.forms.common import BirthDateField
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
        field_classes = {"birth_date": BirthDateField}

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
    birth_date = BirthDateField(label=_("生年月日"), required=False)


class ConfirmNewPersonForm(forms.Form):
    confirm_new = forms.BooleanField(
        label=_("上の方とは別の人として新しく登録する"), required=False
    )
    # The likely duplicates the worker saw when confirming (their ids, comma-separated): one
    # registered meanwhile by a colleague is shown again, not passed over.
    seen = forms.CharField(widget=forms.HiddenInput, required=False, max_length=2000)

    def seen_ids(self) -> set[int]:
        raw = self.cleaned_data.get("seen", "") if hasattr(self, "cleaned_data") else ""
        return {int(p) for p in raw.split(",") if p.strip().isdigit()}


class HouseholdLinkForm(forms.Form):
    """Two 続柄: of the person whose page it is (asked only while they have no household)
    and of the one added. 世帯主 is not offered where the household has one."""

    person_relation = forms.ChoiceField(label=_("この方の続柄"), choices=Relation.choices)
    relation = forms.ChoiceField(label=_("追加する方の続柄"), choices=Relation.choices)

    def __init__(
        self,
        *args,
        current_relation: str = "",
        head_taken: bool = False,
        person_head_taken: bool = False,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        without_head = [c for c in Relation.choices if c[0] != Relation.HEAD]
        if current_relation:
            self.fields["person_relation"].widget = forms.HiddenInput()
            self.fields["person_relation"].initial = current_relation
        if head_taken:
            cast(forms.ChoiceField, self.fields["relation"]).choices = without_head
        if person_head_taken:
            cast(forms.ChoiceField, self.fields["person_relation"]).choices = without_head
