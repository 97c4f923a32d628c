from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RightsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "rights"
    verbose_name = _("開示・訂正・利用停止の請求")

    def ready(self) -> None:
        # The person's page lists the agency's requests about them; a confidential mark
        # hides its details in stored packages too.
        from rights import concealment, panels  # noqa: F401
