"""The 13 indicators of the ward's welfare plan (目黒区基本計画 福祉分野), as data.

Baselines (現状値) and targets (計画目標値, end of 令和13年度 = FY2031) are copied from the
plan. Whether a figure counts one fiscal year or accumulates from the plan's first year
(FY2022) is part of the definition; so is what is counted (distinct persons, events,
attendances or a rate). DEFINITION_VERSION changes whenever any of this changes, and every
snapshot records the version it was computed with.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from decimal import Decimal

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop as N_

PLAN_FIRST_FY = 2022
PLAN_TARGET_FY = 2031


class Source:
    RECORDS = "records"
    SURVEY = "survey"
    REPORTED = "reported"


class Period:
    SINGLE_YEAR = "single_year"
    CUMULATIVE = "cumulative"


class Counting:
    DISTINCT_PERSONS = "distinct_persons"
    ITEMS = "items"  # things created (services)
    HEADCOUNT = "headcount"  # participants counted at the door of each event
    ATTENDANCES = "attendances"  # 延べ人数: one person at 10 sessions = 10
    RATE = "rate"  # numerator / denominator, in percent
    PERCENT = "percent"  # a survey percentage
    REPORTED_COUNT = "reported_count"


SOURCE_LABELS = {
    Source.RECORDS: _("記録から集計"),
    Source.SURVEY: _("区民調査"),
    Source.REPORTED: _("関係団体の報告"),
}
PERIOD_LABELS = {
    Period.SINGLE_YEAR: _("単年度"),
    Period.CUMULATIVE: _("累計(令和4年度から)"),
}
COUNTING_LABELS = {
    Counting.DISTINCT_PERSONS: _("実人数"),
    Counting.ITEMS: _("件数"),
    Counting.HEADCOUNT: _("参加者数の合計"),
    Counting.ATTENDANCES: _("延べ人数"),
    Counting.RATE: _("割合(分子/分母)"),
    Counting.PERCENT: _("調査の割合"),
    Counting.REPORTED_COUNT: _("報告された人数"),
}


@dataclass(frozen=True)
class Indicator:
    code: str
    name_ja: str
    name_en: str
    unit: str  # "%", "件", "人", "人(延べ)"
    baseline: Decimal | None
    target: Decimal
    source: str
    period: str
    counting: str
    method: str  # the counting rule, in Japanese, for exports and the dashboard
    breakdowns: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        """The name on screen: the plan's Japanese one, the English one on English screens."""
        return self.name_en if (get_language() or "").startswith("en") else self.name_ja

    @property
    def is_percent(self) -> bool:
        return self.unit == "%"

    @property
    def source_label(self) -> str:
        return str(SOURCE_LABELS[self.source])

    @property
    def period_label(self) -> str:
        return str(PERIOD_LABELS[self.period])

    def period_label_for(self, fiscal_year: int) -> str:
        """What the figure of `fiscal_year` covers: before the plan's first year a
        cumulative indicator counts that year alone."""
        if self.period == Period.CUMULATIVE and fiscal_year < PLAN_FIRST_FY:
            return str(_("単年度(計画開始前の年度)"))
        return self.period_label

    @property
    def counting_label(self) -> str:
        return str(COUNTING_LABELS[self.counting])


D = Decimal
INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        "P1",
        "みんながつながり、支え合いながら自分らしく暮らしているまちになっていると感じている区民の割合",
        "Residents who feel the community connects and supports everyone",
        "%",
        D("36.6"),
        D("65"),
        Source.SURVEY,
        Period.SINGLE_YEAR,
        Counting.PERCENT,
        N_("区民調査で「そう思う」と答えた人の割合(調査の回答者数とともに入力)"),
    ),
    Indicator(
        "P1-1a",
        "成年後見制度の利用意向",
        "Intention to use adult guardianship",
        "%",
        D("50.7"),
        D("70"),
        Source.SURVEY,
        Period.SINGLE_YEAR,
        Counting.PERCENT,
        N_("区民調査で成年後見制度を利用したいと答えた人の割合"),
    ),
    Indicator(
        "P1-1b",
        "地域包括支援センターを利用したことのある人の割合",
        "People who have used a community comprehensive support centre",
        "%",
        D("21.6"),
        D("25"),
        Source.SURVEY,
        Period.SINGLE_YEAR,
        Counting.PERCENT,
        N_("区民調査で地域包括支援センターを利用したことがあると答えた人の割合"),
    ),
    Indicator(
        "P1-2a",
        "地域における新たな生活支援サービスの創出数",
        "New community life-support services created",
        N_("件"),
        None,
        D("100"),
        Source.RECORDS,
        Period.CUMULATIVE,
        Counting.ITEMS,
        N_(
            "令和4年度(計画初年度)の4月1日から当該年度末までに創出日がある"
            "新たな生活支援サービスの件数(累計)"
        ),
        ("district",),
    ),
    Indicator(
        "P1-2b",
        "助けてと言える社会づくりの啓発活動(講演会・シンポジウム等)の参加者数",
        "Participants in 'a society where you can ask for help' awareness events",
        N_("人"),
        None,
        D("3000"),
        Source.RECORDS,
        Period.CUMULATIVE,
        Counting.HEADCOUNT,
        N_(
            "テーマ「助けてと言える社会づくり」の啓発活動のうち、令和4年度4月1日から"
            "当該年度末までに開催されたものの参加者数の合計(累計、各回の参加者数を合算)"
        ),
        ("district",),
    ),
    Indicator(
        "P1-3a",
        "子どもの学習・生活支援事業の登録人数",
        "Children registered in the study and life support programme",
        N_("人"),
        D("40"),
        D("60"),
        Source.RECORDS,
        Period.SINGLE_YEAR,
        Counting.DISTINCT_PERSONS,
        N_(
            "当該年度中に1日でも登録していた子どもの実人数(登録日が年度末以前で、"
            "終了日がないか年度初日以降)。同じ年度に2回登録しても1人"
        ),
        ("district_age", "sex"),
    ),
    Indicator(
        "P1-3b",
        "自立支援プログラムによる就労者数",
        "People who found work through the self-reliance programme",
        N_("人"),
        D("9"),
        D("30"),
        Source.RECORDS,
        Period.SINGLE_YEAR,
        Counting.DISTINCT_PERSONS,
        N_(
            "自立支援プログラム(就労支援)の利用者のうち、当該年度中に「就労」の成果が"
            "記録された人の実人数。同じ年度に2回就労しても1人"
        ),
        ("district_age", "sex"),
    ),
    Indicator(
        "P2",
        "生涯を通じ、健康で、生き生きと暮らし続けられる環境が整っていると認める区民の割合",
        "Residents who find the environment supports a healthy, active life",
        "%",
        D("39.4"),
        D("65"),
        Source.SURVEY,
        Period.SINGLE_YEAR,
        Counting.PERCENT,
        N_("区民調査で環境が整っていると答えた人の割合"),
    ),
    Indicator(
        "P2-1a",
        "定期的に運動を行うグループの参加者延べ人数",
        "Attendances at regular exercise groups",
        N_("人(延べ)"),
        D("6700"),
        D("9600"),
        Source.RECORDS,
        Period.SINGLE_YEAR,
        Counting.ATTENDANCES,
        N_(
            "種類が「運動」の活動グループについて、当該年度中の実施回の参加者数(延べ)の合計。"
            "1人が10回参加すれば10"
        ),
        ("district",),
    ),
    Indicator(
        "P2-1b",
        "介護予防事業参加者の地域活動への参加率",
        "Share of care-prevention participants who take part in community activities",
        "%",
        None,
        D("20"),
        Source.RECORDS,
        Period.SINGLE_YEAR,
        Counting.RATE,
        N_(
            "分母:当該年度中に介護予防事業のグループに登録していた人の実人数。"
            "分子:そのうち「地域活動に参加している」と記録された人の実人数"
        ),
        ("district",),
    ),
    Indicator(
        "P2-2a",
        "地域活動への参加経験がある70歳代の割合",
        "People in their 70s with community-activity experience",
        "%",
        D("37"),
        D("70"),
        Source.SURVEY,
        Period.SINGLE_YEAR,
        Counting.PERCENT,
        N_("介護予防・日常生活圏域ニーズ調査などで地域活動への参加経験があると答えた70歳代の割合"),
    ),
    Indicator(
        "P2-2b",
        "老人クラブ会員数",
        "Senior club members",
        N_("人"),
        D("3800"),
        D("4500"),
        Source.REPORTED,
        Period.SINGLE_YEAR,
        Counting.REPORTED_COUNT,
        N_("老人クラブ連合会から報告された基準日現在の会員数"),
    ),
    Indicator(
        "P2-2c",
        "シルバー人材センター会員数",
        "Senior employment centre members",
        N_("人"),
        D("1221"),
        D("1700"),
        Source.REPORTED,
        Period.SINGLE_YEAR,
        Counting.REPORTED_COUNT,
        N_("シルバー人材センターから報告された基準日現在の会員数"),
    ),
)
BY_CODE = {i.code: i for i in INDICATORS}
RECORD_CODES = tuple(i.code for i in INDICATORS if i.source == Source.RECORDS)
SURVEY_CODES = tuple(i.code for i in INDICATORS if i.source == Source.SURVEY)
REPORTED_CODES = tuple(i.code for i in INDICATORS if i.source == Source.REPORTED)

# Bumped by hand when the roll-up code changes what it counts without the data above changing.
ROLLUP_REVISION = 1


def _fingerprint() -> str:
    payload = json.dumps(
        {"rev": ROLLUP_REVISION, "indicators": [asdict(i) for i in INDICATORS]},
        default=str,
        ensure_ascii=False,
        sort_keys=True,
    )
    return hashlib.sha256(payload.encode()).hexdigest()[:12]


DEFINITION_VERSION = f"{ROLLUP_REVISION}-{_fingerprint()}"


def progress(indicator: Indicator, value: Decimal | float | None) -> Decimal | None:
    """How far from the baseline to the target the value has come, in percent.

    Without a baseline (—) the plan starts from zero.
    """
    if value is None:
        return None
    start = indicator.baseline if indicator.baseline is not None else Decimal(0)
    span = indicator.target - start
    if span == 0:
        return None
    return ((Decimal(str(value)) - start) / span * 100).quantize(Decimal("0.1"))
