from django import forms
from django.utils.translation import gettext_lazy as _

from .models import AgencyReminderSettings


class ChannelForm(forms.Form):
    in_app = forms.BooleanField(label=_("アプリのお知らせ(ベル)で受け取る"), required=False)
    email = forms.BooleanField(
        label=_("メールで受け取る"),
        required=False,
        help_text=_("メールには氏名を書かず、ケース番号とリンクだけを送ります。"),
    )


class AgencySettingsForm(forms.ModelForm):
    monitoring_due_days = forms.IntegerField(
        label=AgencyReminderSettings._meta.get_field("monitoring_due_days").verbose_name,
        min_value=1,
        max_value=60,
        help_text=_("1〜60日。期日の当日にも知らせます。"),
    )
    monitoring_overdue_days = forms.IntegerField(
        label=AgencyReminderSettings._meta.get_field("monitoring_overdue_days").verbose_name,
        min_value=1,
        max_value=90,
        help_text=_("1〜90日。"),
    )
    no_contact_days = forms.IntegerField(
        label=AgencyReminderSettings._meta.get_field("no_contact_days").verbose_name,
        min_value=7,
        max_value=365,
        help_text=_("7〜365日。この日数、支援記録のない継続中のケースを担当者に知らせます。"),
    )

    class Meta:
        model = AgencyReminderSettings
        fields = ["monitoring_due_days", "monitoring_overdue_days", "no_contact_days"]
