"""The change items of the national 評価シート: the person's state on each item, scored at
plan start (the baseline, written with the plan) and at each evaluation, so that whether
things improved is computed from the scores, never typed."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from casework.models.common import valid_choice
from casework.models.plans import MonitoringEntry, SupportPlan


class ChangeItem(models.TextChoices):
    MOTIVATION = "motivation", _("意欲・気力")
    SELF_ESTEEM = "self_esteem", _("自己肯定感・自尊感情")
    RELATIONSHIPS = "relationships", _("対人関係・家族関係")
    SOCIAL_PARTICIPATION = "social_participation", _("社会参加")
    HEALTH = "health", _("生活習慣・健康")
    FINANCES = "finances", _("家計・経済状況")
    EMPLOYMENT = "employment", _("就労")


class ChangeScore(models.IntegerChoices):
    """One scale for every item: 1 is the worst state, 5 the best."""

    VERY_POOR = 1, _("1 とても悪い")
    POOR = 2, _("2 悪い")
    FAIR = 3, _("3 どちらともいえない")
    GOOD = 4, _("4 良い")
    VERY_GOOD = 5, _("5 とても良い")


SCORE_MIN = min(ChangeScore.values)
SCORE_MAX = max(ChangeScore.values)


class ChangeItemScore(models.Model):
    """One item's score: the plan's baseline (no entry) or an evaluation's (its entry).

    An item left 未評価 has no row. The baseline belongs to the plan's draft and is
    replaced with each saved edit; once the plan is approved it is read-only with it."""

    plan = models.ForeignKey(SupportPlan, on_delete=models.CASCADE, related_name="change_scores")
    entry = models.ForeignKey(
        MonitoringEntry,
        verbose_name=_("評価"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="scores",
    )
    item = models.CharField(_("変化項目"), max_length=30, choices=ChangeItem.choices)
    score = models.PositiveSmallIntegerField(
        _("点数"),
        choices=ChangeScore.choices,
        validators=[MinValueValidator(SCORE_MIN), MaxValueValidator(SCORE_MAX)],
    )

    class Meta:
        ordering = ["plan", "entry", "item"]
        verbose_name = _("変化項目の点数")
        verbose_name_plural = _("変化項目の点数")
        constraints = [
            valid_choice("item", ChangeItem, "change_item_valid"),
            models.CheckConstraint(
                condition=Q(score__gte=SCORE_MIN) & Q(score__lte=SCORE_MAX),
                name="change_score_range",
            ),
            models.UniqueConstraint(
                fields=["plan", "item"],
                condition=Q(entry__isnull=True),
                name="change_score_one_baseline",
            ),
            models.UniqueConstraint(fields=["entry", "item"], name="change_score_one_per_entry"),
        ]

    def __str__(self) -> str:
        return f"{self.get_item_display()} {self.score}"

    @property
    def is_baseline(self) -> bool:
        return self.entry_id is None
