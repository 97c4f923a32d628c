from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casework.forms import DATE_WIDGET, BoundedModelMultipleChoiceField, RecordDateField
from casework.models import CASE_ROLES, Agency, ContactRecord
from casework.templatetags.tsunagu import jdatetime
from referrals.models import Scope, Urgency

if TYPE_CHECKING:
    from django.contrib.auth.models import User
    from django.db.models import QuerySet

    from casework.models import Case


class ReferralForm(forms.Form):
    receiving_agency = forms.ModelChoiceField(label=_("紹介先"), queryset=Agency.objects.none())
    reason = forms.CharField(
        label=_("紹介の理由"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )
    urgency = forms.ChoiceField(label=_("緊急度"), choices=Urgency.choices, initial=Urgency.NORMAL)
    answer_by = RecordDateField(label=_("回答期限"), widget=DATE_WIDGET)
    scope = forms.ChoiceField(
        label=_("共有する範囲"),
        choices=Scope.choices,
        initial=Scope.SUMMARY,
        widget=forms.RadioSelect,
    )
    named_worker: forms.ModelChoiceField[User] = forms.ModelChoiceField(
        label=_("紹介先の担当者(決まっていれば)"),
        queryset=None,
        required=False,
        help_text=_("回答前に本人と理由を見られるのは、紹介先の管理者とここで選んだ職員だけです。"),
    )
    shared_contacts = BoundedModelMultipleChoiceField(
        label=_("共有する経過記録(概要のとき)"),
        queryset=ContactRecord.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, case: Case | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault(
            "answer_by", timezone.localdate() + datetime.timedelta(days=7)
        )
        super().__init__(*args, **kwargs)
        assert case is not None  # the form lists what the case allows
        receiving_agency = cast("forms.ModelChoiceField[Agency]", self.fields["receiving_agency"])
        named_worker = cast("forms.ModelChoiceField[User]", self.fields["named_worker"])
        contacts = cast("BoundedModelMultipleChoiceField", self.fields["shared_contacts"])
        receiving_agency.queryset = Agency.objects.exclude(pk=case.owning_agency_id).order_by(
            "name"
        )
        named_worker.queryset = (
            get_user_model()
            .objects.filter(
                is_active=True,
                membership__role__in=CASE_ROLES,
            )
            .exclude(membership__agency_id=case.owning_agency_id)
            .select_related("membership__agency")
            .order_by("membership__agency__name", "last_name", "first_name", "username")
        )
        # Django calls label_from_instance on the field instance; mypy sees a method there.
        named_worker.label_from_instance = lambda u: (  # type: ignore[assignment]
            f"{u.membership.agency.name}: "
            f"{f'{u.last_name} {u.first_name}'.strip() or u.get_username()}"
        )
        # The records of a case under a 記録の秘匿 mark are never passed on in a summary.
        contacts.queryset = (
            case.contacts.none()
            if case.records_confidential
            else case.contacts.order_by("-occurred_at")
        )
        if case.records_confidential:
            contacts.help_text = _("記録の秘匿が指定されたケースの経過記録は共有できません。")
        # As above: Django calls label_from_instance on the field instance.
        contacts.label_from_instance = lambda c: (  # type: ignore[assignment]
            f"{jdatetime(c.occurred_at)} "
            f"{c.get_method_display()}: {c.summary[:60]}"
        )  # fmt: skip


class AcceptForm(forms.Form):
    worker: forms.ModelChoiceField[User] = forms.ModelChoiceField(label=_("担当者"), queryset=None)

    def __init__(self, *args: Any, workers: QuerySet[User] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        worker = cast("forms.ModelChoiceField[User]", self.fields["worker"])
        worker.queryset = workers
        # Django calls label_from_instance on the field instance; mypy sees a method there.
        worker.label_from_instance = lambda u: (  # type: ignore[assignment]
            f"{u.last_name} {u.first_name}".strip() or u.get_username()
        )


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("お断りの理由"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class CompleteForm(forms.Form):
    note = forms.CharField(
        label=_("完了の報告"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("取り下げの理由"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
