"""Every read of a person's record."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casework.models.cases import Case
from casework.models.org import Agency
from casework.models.persons import Person


class AccessLogQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("the access log is append-only")

    def delete(self):
        raise PermissionError("the access log is append-only")


class AccessLog(models.Model):
    """Append-only: every read of a person's record and every grant or revocation.

    A detail or form page names one person (and case); a list or search request is one row
    whose `case_ids` and `person_ids` hold every case and person it showed."""

    class Action(models.TextChoices):
        VIEW_CASE = "view_case", _("ケース閲覧")
        VIEW_PERSON = "view_person", _("本人情報閲覧")
        VIEW_FORM = "view_form", _("入力画面での閲覧")
        VIEW_LIST = "view_list", _("一覧・検索")
        EXPORT = "export", _("出力")
        GRANT = "grant", _("アクセス付与")
        REVOKE = "revoke", _("アクセス取消")

    at = models.DateTimeField(_("日時"), default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("職員"),
        on_delete=models.PROTECT,
        related_name="access_log",
    )
    # The agency the user acted for at that moment, kept even if they move later.
    agency = models.ForeignKey(
        Agency, verbose_name=_("機関"), on_delete=models.PROTECT, null=True, related_name="+"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("本人"), on_delete=models.PROTECT, null=True, related_name="+"
    )
    case = models.ForeignKey(
        Case, verbose_name=_("ケース"), on_delete=models.PROTECT, null=True, related_name="+"
    )
    action = models.CharField(_("操作"), max_length=20, choices=Action.choices)
    detail = models.CharField(_("詳細"), max_length=300, blank=True)
    # What a list or search showed, as ",12,34," so that one LIKE finds a row by an id on
    # every database (SQLite has no JSON containment).
    case_ids = models.TextField(_("表示したケース"), blank=True, default="")
    person_ids = models.TextField(_("表示した本人"), blank=True, default="")
    # The agencies owning the cases a list showed, so their supervisors find the row too.
    case_agencies = models.TextField(_("表示したケースの機関"), blank=True, default="")
    query = models.CharField(_("検索語"), max_length=200, blank=True, default="")

    objects = AccessLogQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("アクセス記録")
        verbose_name_plural = _("アクセス記録")
        indexes = [
            models.Index(fields=["case", "-at"]),
            models.Index(fields=["agency", "-at"]),
            # A supervisor's log filtered by one worker, newest first.
            models.Index(fields=["user", "-at", "-id"], name="accesslog_user_time"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.user} {self.get_action_display()}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("the access log is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("the access log is append-only")

    @property
    def shown_case_count(self) -> int:
        return self.case_ids.count(",") - 1 if self.case_ids else 0

    @property
    def shown_person_count(self) -> int:
        return self.person_ids.count(",") - 1 if self.person_ids else 0


class AccessLogAgency(models.Model):
    """Whose access log shows a row: the reader's agency, the read case's agency, and for a
    list each listed case's agency, stored when the row is written, with its time. A
    supervisor's page walks the index on (agency, time) and never filters the whole log.
    Append-only like the log."""

    log = models.ForeignKey(AccessLog, on_delete=models.PROTECT, related_name="agencies")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()

    objects = AccessLogQuerySet.as_manager()

    class Meta:
        verbose_name = _("アクセス記録の機関")
        verbose_name_plural = _("アクセス記録の機関")
        indexes = [models.Index(fields=["agency", "-at", "-log"], name="accesslog_agency_time")]
        constraints = [
            models.UniqueConstraint(fields=["log", "agency"], name="accesslog_agency_once")
        ]

    def __str__(self) -> str:
        return f"{self.log_id} {self.agency_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("the access log is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("the access log is append-only")
