from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CaseworkConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "casework"
    verbose_name = _("ケースワーク")

    def ready(self):
        from casework import lookups  # noqa: F401  (registers the `in` lookup)
