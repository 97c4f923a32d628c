from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "directory"
    verbose_name = _("ディレクトリ連携")

    def ready(self) -> None:
        # Register the synchronisation with the Celery app as Django starts (beat names it).
        # Neither module imports python-ldap: the app runs without it, directory off.
        from directory import tasks  # noqa: F401
