"""Attachments: scanned signed forms, consent documents and letters filed with the record.

An attachment belongs to a person and is filed with one of: the person alone, a case, a
consent record or a plan version (a plan's case is its case). Its file is replaced only by a
new version: every version stays, with who replaced it and why. The bytes are kept in the
"attachments" storage (casework/attachment_files.py), never among the static files.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casework.models.cases import Case
from casework.models.common import valid_choice
from casework.models.consent import Consent
from casework.models.org import Agency
from casework.models.persons import Person
from casework.models.plans import SupportPlan
from casework.wareki import date_on_screen


class AttachmentKind(models.TextChoices):
    SIGNED_FORM = "signed_form", _("署名した書類")
    CONSENT_DOCUMENT = "consent_document", _("同意書")
    LETTER = "letter", _("手紙・通知")
    CERTIFICATE = "certificate", _("証明書・申請書の写し")
    OTHER = "other", _("その他")


class Attachment(models.Model):
    person = models.ForeignKey(
        Person, verbose_name=_("本人"), on_delete=models.PROTECT, related_name="attachments"
    )
    # The agency whose record this is (the uploader's then): a person-level attachment is
    # seen by that agency's staff only, as its consent records are.
    agency = models.ForeignKey(
        Agency, verbose_name=_("機関"), on_delete=models.PROTECT, related_name="+"
    )
    case = models.ForeignKey(
        Case,
        verbose_name=_("ケース"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="attachments",
    )
    consent = models.ForeignKey(
        Consent,
        verbose_name=_("同意・共有の根拠"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="attachments",
    )
    plan = models.ForeignKey(
        SupportPlan,
        verbose_name=_("支援プラン"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="attachments",
    )
    kind = models.CharField(_("種類"), max_length=20, choices=AttachmentKind.choices)
    title = models.CharField(_("件名"), max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登録者"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("登録日時"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("添付書類")
        verbose_name_plural = _("添付書類")
        constraints = [
            valid_choice("kind", AttachmentKind, "attachment_kind_valid"),
            # A plan's attachment is its case's too; a consent record has no case.
            models.CheckConstraint(
                condition=Q(plan__isnull=True) | Q(case__isnull=False),
                name="attachment_plan_has_case",
            ),
            models.CheckConstraint(
                condition=Q(consent__isnull=True) | Q(case__isnull=True),
                name="attachment_consent_without_case",
            ),
        ]
        indexes = [models.Index(fields=["person", "agency"], name="attachment_person_agency")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("casework:attachment_detail", kwargs={"pk": self.pk})

    @property
    def filed_with(self) -> str:
        """What it is filed with, as the pages say it."""
        if self.plan is not None:
            return str(_("支援プラン 第%(version)s版")) % {"version": self.plan.version}
        if self.case_id is not None:
            return str(_("ケース"))
        if self.consent is not None:
            return str(_("同意・共有の根拠(%(date)s)")) % {
                "date": date_on_screen(self.consent.given_on)
            }
        return str(_("本人"))


class AttachmentVersion(models.Model):
    """One file of an attachment. Never changed: a replacement is the next version."""

    attachment = models.ForeignKey(Attachment, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveSmallIntegerField(_("版"))
    # The object's name in the attachments storage: random, naming nobody.
    storage_key = models.CharField(max_length=200, unique=True, editable=False)
    file_type = models.CharField(_("形式"), max_length=10, editable=False)
    original_name = models.CharField(_("元のファイル名"), max_length=255)
    size = models.PositiveBigIntegerField(_("大きさ"))
    sha256 = models.CharField(max_length=64, editable=False)
    reason = models.CharField(_("差し替えの理由"), max_length=300, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登録者"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("登録日時"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["attachment", "-number"]
        verbose_name = _("添付書類の版")
        verbose_name_plural = _("添付書類の版")
        constraints = [
            models.UniqueConstraint(
                fields=["attachment", "number"], name="attachment_version_unique"
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="attachment_version_from_one"),
            models.CheckConstraint(
                condition=Q(file_type__in=["pdf", "jpeg", "png"]),
                name="attachment_version_type",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.attachment} 第{self.number}版"

    @property
    def type_label(self) -> str:
        return {"pdf": "PDF", "jpeg": "JPEG", "png": "PNG"}.get(self.file_type, self.file_type)

    def get_download_url(self) -> str:
        return reverse("casework:attachment_download", kwargs={"pk": self.pk})
