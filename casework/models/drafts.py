"""What staff typed and has not been saved yet, and the one-time tokens of rendered forms."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class DraftKind(models.TextChoices):
    # Kept because the session lapsed or the form's CSRF token went stale: put back into the
    # form at once, after the next sign-in.
    LAPSED = "lapsed", _("セッション切れ")
    # Saved every 30 s while typing a long form: offered when the form is opened again.
    AUTOSAVE = "autosave", _("自動保存")


class Draft(models.Model):
    """What one user typed in one form (its page's path). Seen by that user only, never a
    case record, never counted by the indicators; it expires (DRAFT_HOURS)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="drafts"
    )
    path = models.CharField(_("画面"), max_length=300)
    kind = models.CharField(_("種類"), max_length=10, choices=DraftKind.choices)
    # The form's fields as sent: {name: [values]} (a select of several keeps them all).
    data = models.JSONField(_("入力内容"))
    saved_at = models.DateTimeField(_("保存日時"), default=timezone.now)

    class Meta:
        verbose_name = _("下書き")
        verbose_name_plural = _("下書き")
        constraints = [
            models.UniqueConstraint(fields=["user", "path"], name="draft_one_per_form"),
            models.CheckConstraint(
                condition=models.Q(kind__in=DraftKind.values), name="draft_kind_valid"
            ),
        ]
        indexes = [models.Index(fields=["saved_at"])]

    def __str__(self) -> str:
        return f"{self.user_id} {self.path}"


class FormSubmission(models.Model):
    """The one-time token of a rendered form, used up by the POST that saved it. A second
    POST with the same token (a double click, a resubmit) saves nothing and is sent where
    the first one went."""

    token = models.CharField(max_length=64, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    # What the first POST held (a hash): a second one with other content is not a twin.
    digest = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    result_url = models.CharField(max_length=300, blank=True)

    class Meta:
        verbose_name = _("送信済みの画面")
        verbose_name_plural = _("送信済みの画面")

    def __str__(self) -> str:
        return self.token
