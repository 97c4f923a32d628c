from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReferralsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "referrals"
    verbose_name = _("つなぎ(他機関紹介)")

    def ready(self) -> None:
        # Tell casework's access policy what an accepted referral grants, what ends when a
        # consent is withdrawn, and what the case page shows.
        from referrals import access_rules, panels, today  # noqa: F401
