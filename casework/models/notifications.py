"""In-app notifications (the bell)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    """A message in a user's in-app notification list (the bell)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    created_at = models.DateTimeField(_("日時"), default=timezone.now)
    message = models.CharField(_("内容"), max_length=300)
    # A path inside the app; where it leads is checked again by the access policy.
    url = models.CharField(_("リンク"), max_length=200, blank=True)
    read_at = models.DateTimeField(_("既読日時"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("お知らせ")
        verbose_name_plural = _("お知らせ")
        indexes = [models.Index(fields=["recipient", "read_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(url="") | Q(url__startswith="/"), name="notification_url_local"
            )
        ]

    def __str__(self) -> str:
        return self.message
