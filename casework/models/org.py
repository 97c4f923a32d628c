"""The ward's organisation: districts, agencies, staff and their roles."""

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from casework.models.common import valid_choice

# The names of the ward's five districts, as migration 0002 seeds them: marked so that the
# English catalog names them too. A district added later shows the name it was given.
DISTRICT_NAMES = (
    gettext_noop("北部"),
    gettext_noop("東部"),
    gettext_noop("中央"),
    gettext_noop("南部"),
    gettext_noop("西部"),
)


class District(models.Model):
    """One of the ward's five districts (地区)."""

    code = models.SlugField(_("コード"), max_length=20, unique=True)
    name = models.CharField(_("地区名"), max_length=20, unique=True)
    sort_order = models.PositiveSmallIntegerField(_("表示順"), default=0)

    class Meta:
        ordering = ["sort_order", "pk"]
        verbose_name = _("地区")
        verbose_name_plural = _("地区")

    def __str__(self) -> str:
        # The name on screen, in the reader's language where the catalog has it.
        return gettext(self.name) if self.name in DISTRICT_NAMES else self.name


class AgencyKind(models.TextChoices):
    GENERAL_CONSULTATION = "general_consultation", _("福祉の総合相談窓口")
    CSW = "csw", _("社会福祉協議会 CSW")
    COMPREHENSIVE_CENTER = "comprehensive_center", _("地域包括支援センター")
    SELF_RELIANCE = "self_reliance", _("自立相談支援機関")
    PUBLIC_ASSISTANCE = "public_assistance", _("生活福祉課 生活保護")
    DISABILITY = "disability", _("障害者支援")
    CHILD_FAMILY = "child_family", _("子ども家庭支援")
    HEALTH_CENTER = "health_center", _("保健センター")
    OTHER = "other", _("その他")


class Agency(models.Model):
    Kind = AgencyKind

    name = models.CharField(_("機関名"), max_length=100, unique=True)
    kind = models.CharField(_("種別"), max_length=30, choices=AgencyKind.choices)
    district = models.ForeignKey(
        District,
        verbose_name=_("地区"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agencies",
    )
    # How long the author of a 経過記録 may correct it; after that, only a supervisor.
    correction_window_days = models.PositiveSmallIntegerField(
        _("経過記録を作成者が訂正できる日数"),
        default=30,
        validators=[MaxValueValidator(365)],
        help_text=_("この日数を過ぎた経過記録は、スーパーバイザーだけが訂正できます。"),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("機関")
        verbose_name_plural = _("機関")
        constraints = [
            valid_choice("kind", AgencyKind, "agency_kind_valid"),
        ]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    CSW = "csw", _("CSW")
    CONSULTATION = "consultation", _("相談員")
    SUPERVISOR = "supervisor", _("スーパーバイザー")
    AGENCY_ADMIN = "agency_admin", _("機関管理者")
    INDICATOR_OFFICER = "indicator_officer", _("指標担当")


# Roles that handle cases; the others never see personal case data.
CASE_ROLES = (Role.CSW, Role.CONSULTATION, Role.SUPERVISOR)


class StaffMembership(models.Model):
    """A user's one agency and one role."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ユーザー"),
        on_delete=models.CASCADE,
        related_name="membership",
    )
    agency = models.ForeignKey(
        Agency, verbose_name=_("機関"), on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField(_("役割"), max_length=20, choices=Role.choices)

    class Meta:
        verbose_name = _("職員の所属")
        verbose_name_plural = _("職員の所属")
        constraints = [valid_choice("role", Role, "membership_role_valid")]

    def __str__(self) -> str:
        return f"{self.user} ({self.agency} / {self.get_role_display()})"

    @property
    def handles_cases(self) -> bool:
        return self.role in CASE_ROLES
