"""The items of the national monthly return (生活困窮者自立支援制度 支援状況調査), as data.

Each item says what it counts (events: 件数, or distinct persons: 実人数, or a rate), which
date places a record in a month, which records it reads, and its rule in the words the
ward sees next to the figure. An item's `version` is raised by hand when its rule changes;
DEFINITION_VERSION (a revision and a hash of everything below) is what a computed return
records, as the indicators' snapshots do.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop as N_

from casework.models import AgencyKind

# The agencies that file the return: the ward's figure is theirs together. A return of
# one agency may be computed for any agency (its own records only).
FILING_AGENCY_KINDS: tuple[str, ...] = (AgencyKind.SELF_RELIANCE,)


class Counting:
    EVENTS = "events"  # 件数: each record counts
    DISTINCT_PERSONS = "distinct_persons"  # 実人数: a person counts once in the period
    RATE = "rate"  # numerator / denominator, in percent (distinct persons)


COUNTING_LABELS = {
    Counting.EVENTS: _("件数"),
    Counting.DISTINCT_PERSONS: _("実人数"),
    Counting.RATE: _("割合(分子/分母)"),
}


@dataclass(frozen=True)
class ReturnItem:
    code: str
    name_ja: str
    name_en: str
    unit: str  # 件, 人, %
    counting: str
    dated_by: str  # which date places a record in the period (Japanese)
    source: str  # the records read (Japanese)
    rule: str  # the counting rule, in full (Japanese)
    version: int

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "").startswith("en") else self.name_ja

    @property
    def counting_label(self) -> str:
        return str(COUNTING_LABELS[self.counting])

    @property
    def is_rate(self) -> bool:
        return self.counting == Counting.RATE


ITEMS: tuple[ReturnItem, ...] = (
    ReturnItem(
        "R01",
        "新規相談受付件数",
        "New consultations received",
        N_("件"),
        Counting.EVENTS,
        N_("相談受付の受付日"),
        N_("相談受付(相談受付・申込票)"),
        N_(
            "受付日が期間内にある相談受付の件数。1つのケースの受付は1件で、"
            "終結後に再開したケースは新たに数えない。ケースを所管する機関で数える"
        ),
        1,
    ),
    ReturnItem(
        "R02",
        "プラン作成件数",
        "Support plans made",
        N_("件"),
        Counting.EVENTS,
        N_("支援プランの承認日"),
        N_("支援プラン(プラン兼事業等利用申込書)"),
        N_(
            "承認日(スーパーバイザーが承認した日)が期間内にある支援プランの件数。"
            "改定による再プランも1件と数え、その後に改定されたプランも数える。"
            "下書き・承認待ちのプランは数えない"
        ),
        1,
    ),
    ReturnItem(
        "R03",
        "就労支援対象者数",
        "Persons whose plan includes employment support",
        N_("人"),
        Counting.DISTINCT_PERSONS,
        N_("支援プランの承認日"),
        N_("支援プランの支援内容(「就労支援」の印)"),
        N_(
            "承認日が期間内にある支援プランのうち、支援内容に「就労支援」の印がついた行を"
            "含むプランの本人の実人数(プラン作成者のうち就労支援の対象となった人)。"
            "同じ期間に2回そのようなプランが承認されても1人"
        ),
        1,
    ),
    ReturnItem(
        "R04",
        "就労者数",
        "Persons who found work",
        N_("人"),
        Counting.DISTINCT_PERSONS,
        N_("成果の達成日"),
        N_("自立支援プログラム(就労支援)の成果「就労」"),
        N_(
            "自立支援プログラム(就労支援)の利用者のうち、達成日が期間内にある「就労」の成果が"
            "記録された人の実人数。同じ期間に2回就労しても1人。利用を記録したケースを所管する"
            "機関で数える"
        ),
        1,
    ),
    ReturnItem(
        "R05",
        "増収者数",
        "Persons whose income rose",
        N_("人"),
        Counting.DISTINCT_PERSONS,
        N_("成果の達成日"),
        N_("自立支援プログラム(就労支援)の成果「増収」"),
        N_(
            "自立支援プログラム(就労支援)の利用者のうち、達成日が期間内にある「増収」の成果が"
            "記録された人の実人数。同じ期間に2回増収しても1人"
        ),
        1,
    ),
    ReturnItem(
        "R06",
        "他制度・他機関へのつなぎ件数",
        "Referrals to other schemes and agencies",
        N_("件"),
        Counting.EVENTS,
        N_("つなぎの送付日"),
        N_("つなぎ(紹介元の機関で数える)"),
        N_(
            "送付日が期間内にあるつなぎのうち、紹介先が生活保護(生活福祉課)でないものの件数。"
            "取り下げたもの・紹介先がお断りしたものは数えない。紹介元の機関で数える"
        ),
        1,
    ),
    ReturnItem(
        "R07",
        "生活保護へのつなぎ件数",
        "Referrals to public assistance",
        N_("件"),
        Counting.EVENTS,
        N_("つなぎの送付日"),
        N_("つなぎ(紹介先が生活保護の機関)"),
        N_(
            "送付日が期間内にあるつなぎのうち、紹介先が生活保護(生活福祉課)のもの"
            "(送付時に紹介先の機関の種別から記録される「生活保護へのつなぎ」)の件数。"
            "取り下げたもの・紹介先がお断りしたものは数えない"
        ),
        1,
    ),
    ReturnItem(
        "R08",
        "情報提供のみで終了した件数",
        "Consultations ended with information only",
        N_("件"),
        Counting.EVENTS,
        N_("スクリーニングの判断日"),
        N_("スクリーニングの結果「情報提供のみで終了」"),
        N_(
            "判断日が期間内にあるスクリーニングのうち、結果が「情報提供のみで終了」の件数"
            "(ケースを所管する機関で数える)"
        ),
        1,
    ),
    ReturnItem(
        "R09",
        "評価で改善が見られた人の割合",
        "Share of plan holders whose evaluation shows improvement",
        "%",
        Counting.RATE,
        N_("評価の実施日"),
        N_("評価(評価シートの変化項目)と支援プランのプラン開始時の状態"),
        N_(
            "分母:実施日が期間内にある評価(種別「評価」)を受けた人のうち、その期間の最新の評価に"
            "プラン開始時と評価時の両方で点数のついた変化項目がある人の実人数。"
            "分子:そのうち、それらの項目の点数の合計が、同じプランのプラン開始時の合計より"
            "高い人。同点・低下は改善に数えない。比べられる項目がない人は分母に入れない"
        ),
        1,
    ),
)
BY_CODE = {item.code: item for item in ITEMS}
CODES = tuple(item.code for item in ITEMS)

# Raised by hand when the computation changes what it counts without the data above changing.
COMPUTE_REVISION = 1


def _fingerprint() -> str:
    payload = json.dumps(
        {
            "rev": COMPUTE_REVISION,
            "filers": list(FILING_AGENCY_KINDS),
            "items": [asdict(i) for i in ITEMS],
        },
        ensure_ascii=False,
        sort_keys=True,
    )
    return hashlib.sha256(payload.encode()).hexdigest()[:12]


DEFINITION_VERSION = f"{COMPUTE_REVISION}-{_fingerprint()}"
