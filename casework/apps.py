from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CaseworkConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "casework"
    verbose_name = _("ケースワーク")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from casework import (
            lookups,  # noqa: F401  (registers the `in` lookup)
            tasks,  # noqa: F401  (registers the Celery tasks)
            today,  # noqa: F401  (the supervisor's sections of 「今日」)
        )
        from casework.middleware import mark_login

        # Every sign-in starts the session's clocks (the login page, and the test client).
        user_logged_in.connect(
            lambda sender, request, user, **kwargs: mark_login(request),
            weak=False,
            dispatch_uid="casework.mark_login",
        )
