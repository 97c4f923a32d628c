from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutreachConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "outreach"
    verbose_name = _("アウトリーチ・見守り")

    def ready(self) -> None:
        # Visits show on the case page; casework renders what is registered.
        # Visits and watch reports on 「今日」.
        from outreach import (
            panels,  # noqa: F401
            today,  # noqa: F401
        )
