from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RemindersConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "reminders"
    verbose_name = _("リマインダー")

    def ready(self) -> None:
        # Register the tasks with the Celery app as Django starts: the services enqueue
        # them by name, without importing the module that calls them.
        # Monitoring and contact on 「今日」, with the agency's own periods.
        from reminders import (
            tasks,  # noqa: F401
            today,  # noqa: F401
        )
