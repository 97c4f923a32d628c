"""Persons and the households they live in."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from casework.models.common import kana_validator, phone_validator, valid_choice
from casework.models.org import Agency, District
from casework.normalize import person_search_key


class Sex(models.TextChoices):
    MALE = "male", _("男性")
    FEMALE = "female", _("女性")
    OTHER = "other", _("その他")
    UNKNOWN = "unknown", _("不明")


class Person(models.Model):
    """Someone the ward supports. A person may exist without a case."""

    family_name = models.CharField(_("姓"), max_length=50)
    given_name = models.CharField(_("名"), max_length=50, blank=True)
    family_name_kana = models.CharField(
        _("姓(ふりがな)"), max_length=100, validators=[kana_validator]
    )
    given_name_kana = models.CharField(
        _("名(ふりがな)"), max_length=100, blank=True, validators=[kana_validator]
    )
    # Unbounded: NFKC may turn one character into many (U+FDFA into 18). Old and variant kanji
    # are folded here (渡邊→渡辺), never in the name itself; see casework/normalize.py.
    search_key = models.TextField(_("検索キー"), db_index=True, editable=False)
    birth_date = models.DateField(_("生年月日"), null=True, blank=True)
    sex = models.CharField(_("性別"), max_length=10, choices=Sex.choices, default=Sex.UNKNOWN)
    address = models.CharField(_("住所"), max_length=200, blank=True)
    district = models.ForeignKey(
        District, verbose_name=_("地区"), on_delete=models.PROTECT, null=True, blank=True
    )
    phone = models.CharField(_("電話番号"), max_length=20, blank=True, validators=[phone_validator])
    registered_by_agency = models.ForeignKey(
        Agency,
        verbose_name=_("登録した機関"),
        on_delete=models.PROTECT,
        related_name="registered_persons",
    )
    died_on = models.DateField(_("死亡日"), null=True, blank=True)
    # Set when the person's details were made anonymous after every case of theirs was.
    disposed_at = models.DateTimeField(_("廃棄日時"), null=True, blank=True, editable=False)
    # An active 住所・電話の秘匿 mark exists (casework/models/confidential.py).
    address_confidential = models.BooleanField(_("住所・電話の秘匿"), default=False, editable=False)
    created_at = models.DateTimeField(_("登録日時"), default=timezone.now, editable=False)
    # Raised by every correction: a form opened on an older version is refused, not saved.
    version = models.PositiveIntegerField(default=1, editable=False)
    # Who changed what, when and why (訂正の履歴): one row per saved version.
    history = HistoricalRecords(
        excluded_fields=[
            "search_key",
            "created_at",
            "registered_by_agency",
            "disposed_at",
            "address_confidential",
        ],
        cascade_delete_history=False,
        verbose_name=_("本人の履歴"),
        verbose_name_plural=_("本人の履歴"),
    )

    # What a correction may change, in the order the history shows them.
    CORRECTABLE = (
        "family_name",
        "given_name",
        "family_name_kana",
        "given_name_kana",
        "birth_date",
        "sex",
        "address",
        "district",
        "phone",
    )

    class Meta:
        ordering = ["search_key", "pk"]
        verbose_name = _("本人")
        verbose_name_plural = _("本人")
        constraints = [
            valid_choice("sex", Sex, "person_sex_valid"),
            models.CheckConstraint(
                condition=~Q(family_name="") & ~Q(family_name_kana=""),
                name="person_family_name_required",
            ),
            models.CheckConstraint(condition=~Q(search_key=""), name="person_search_key_set"),
            models.CheckConstraint(
                condition=Q(birth_date__isnull=True) | Q(birth_date__gte=datetime.date(1900, 1, 1)),
                name="person_birth_date_plausible",
                violation_error_message=_("生年月日は1900年以降の日付を入力してください。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.family_name} {self.given_name}".strip()

    def get_absolute_url(self) -> str:
        return reverse("casework:person_detail", kwargs={"pk": self.pk})

    @property
    def kana(self) -> str:
        return f"{self.family_name_kana} {self.given_name_kana}".strip()

    def refresh_search_key(self) -> None:
        self.search_key = person_search_key(
            self.family_name, self.given_name, self.family_name_kana, self.given_name_kana
        )

    def clean(self) -> None:
        self.refresh_search_key()
        if self.birth_date and self.birth_date > timezone.localdate():
            raise ValidationError({"birth_date": _("生年月日に未来の日付は指定できません。")})
        if self.birth_date and self.birth_date < datetime.date(1900, 1, 1):
            raise ValidationError(
                {"birth_date": _("生年月日は1900年以降の日付を入力してください。")}
            )
        if self.died_on and self.died_on > timezone.localdate():
            raise ValidationError({"died_on": _("死亡日に未来の日付は指定できません。")})
        if self.died_on and self.birth_date and self.died_on < self.birth_date:
            raise ValidationError({"died_on": _("死亡日は生年月日より後の日付にしてください。")})

    def age_on(self, day: datetime.date) -> int | None:
        if not self.birth_date:
            return None
        b = self.birth_date
        return day.year - b.year - ((day.month, day.day) < (b.month, b.day))


class Relation(models.TextChoices):
    HEAD = "head", _("世帯主")
    SPOUSE = "spouse", _("配偶者")
    CHILD = "child", _("子")
    PARENT = "parent", _("親")
    SIBLING = "sibling", _("兄弟姉妹")
    GRANDCHILD = "grandchild", _("孫")
    GRANDPARENT = "grandparent", _("祖父母")
    OTHER_RELATIVE = "other_relative", _("その他の親族")
    OTHER = "other", _("同居人")


class Household(models.Model):
    """A household (世帯): persons living together, so an 8050 household shows together."""

    registered_by_agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="registered_households"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("世帯")
        verbose_name_plural = _("世帯")

    def __str__(self) -> str:
        return _("世帯 %(number)s") % {"number": self.pk}


class LeaveReason(models.TextChoices):
    MOVED_OUT = "moved_out", _("転出")
    DIED = "died", _("死亡")


class HouseholdMemberQuerySet(models.QuerySet["HouseholdMember"]):
    def current(self) -> HouseholdMemberQuerySet:
        """Who lives in the household now: not those who left or died."""
        return self.filter(left_on__isnull=True)


class HouseholdMember(models.Model):
    """A person's place in a household. Leaving keeps the row (with the date and why), so
    the household's past stays on record; a person belongs to one household at a time."""

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey(
        Person, verbose_name=_("世帯員"), on_delete=models.PROTECT, related_name="household_member"
    )
    relation = models.CharField(_("続柄"), max_length=20, choices=Relation.choices)
    left_on = models.DateField(_("転出・死亡の日"), null=True, blank=True)
    left_reason = models.CharField(
        _("理由"), max_length=20, choices=LeaveReason.choices, blank=True
    )
    history = HistoricalRecords(
        cascade_delete_history=False,
        verbose_name=_("世帯員の履歴"),
        verbose_name_plural=_("世帯員の履歴"),
    )

    objects = HouseholdMemberQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        verbose_name = _("世帯員")
        verbose_name_plural = _("世帯員")
        constraints = [
            valid_choice("relation", Relation, "household_relation_valid"),
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(left_on__isnull=True),
                name="household_one_current_per_person",
                violation_error_message=_("この方は別の世帯に登録されています。"),
            ),
            models.UniqueConstraint(
                fields=["household"],
                condition=Q(left_on__isnull=True, relation="head"),
                name="household_one_head",
                violation_error_message=_("世帯主はすでに登録されています。"),
            ),
            models.CheckConstraint(
                condition=(Q(left_on__isnull=True) & Q(left_reason=""))
                | (Q(left_on__isnull=False) & Q(left_reason__in=LeaveReason.values)),
                name="household_left_with_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_relation_display()})"
