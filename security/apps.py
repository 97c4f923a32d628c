from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SecurityConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "security"
    verbose_name = _("セキュリティ")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from security import signals

        signals.connect()
        post_migrate.connect(_settings_after_migrate, sender=self, dispatch_uid="security.migrate")


def _settings_after_migrate(sender, using="default", **kwargs) -> None:
    from security.settings_watch import check

    if using == "default":
        check(source="migrate")
