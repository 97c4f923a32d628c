"""`manage.py seed_demo`: a believable Meguro demo world, built through the services.

Agencies, staff of every role, about 200 persons and their cases, contact histories,
shares and consents. Everything is drawn from one fixed random seed, with dates relative
to today, so two runs on the same day produce the same world; a second run adds nothing.
"""

from __future__ import annotations

import datetime
import itertools
import random
import time
import unicodedata
from dataclasses import dataclass, field
from typing import NamedTuple

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Permission
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from casework import services
from casework.models import (
    Agency,
    CaseStatus,
    Concern,
    ConsentBasis,
    ContactMethod,
    District,
    Person,
    Role,
    Sex,
    StaffMembership,
)

SEED = 2026

# --- agencies and staff -------------------------------------------------------------------

# key: (name, kind, district code)
AGENCIES: dict[str, tuple[str, str, str | None]] = {
    "sougou": ("目黒区 福祉の総合相談窓口", Agency.Kind.GENERAL_CONSULTATION, None),
    "shakyo": ("目黒区社会福祉協議会", Agency.Kind.CSW, None),
    "hokubu": ("目黒区 北部地域包括支援センター", Agency.Kind.COMPREHENSIVE_CENTER, "north"),
    "toubu": ("目黒区 東部地域包括支援センター", Agency.Kind.COMPREHENSIVE_CENTER, "east"),
    "seibu": ("目黒区 西部地域包括支援センター", Agency.Kind.COMPREHENSIVE_CENTER, "west"),
    "jiritsu": ("目黒区 自立相談支援機関", Agency.Kind.SELF_RELIANCE, None),
    "seiho": ("目黒区 生活福祉課(生活保護)", Agency.Kind.PUBLIC_ASSISTANCE, None),
    "shougai": ("目黒区 障害者支援課", Agency.Kind.DISABILITY, None),
    "kodomo": ("目黒区 子ども家庭支援センター", Agency.Kind.CHILD_FAMILY, None),
    "hoken": ("目黒区 碑文谷保健センター", Agency.Kind.HEALTH_CENTER, "south"),
    "keikaku": ("目黒区 健康福祉計画課", Agency.Kind.OTHER, None),
}

# (username, agency key, role, family name, given name)
STAFF: tuple[tuple[str, str, str, str, str], ...] = (
    ("csw_shakyo1", "shakyo", Role.CSW, "小松", "真理"),
    ("csw_shakyo2", "shakyo", Role.CSW, "大西", "健太"),
    ("csw_shakyo3", "shakyo", Role.CSW, "野田", "美咲"),
    ("soudan_shakyo1", "shakyo", Role.CONSULTATION, "川口", "直子"),
    ("sv_shakyo", "shakyo", Role.SUPERVISOR, "石原", "隆"),
    ("admin_shakyo", "shakyo", Role.AGENCY_ADMIN, "平田", "和美"),
    ("soudan_sougou1", "sougou", Role.CONSULTATION, "杉本", "彩"),
    ("soudan_sougou2", "sougou", Role.CONSULTATION, "関", "大輔"),
    ("csw_sougou1", "sougou", Role.CSW, "吉川", "千尋"),
    ("sv_sougou", "sougou", Role.SUPERVISOR, "今村", "浩之"),
    ("admin_sougou", "sougou", Role.AGENCY_ADMIN, "宮田", "恵子"),
    ("soudan_hokubu1", "hokubu", Role.CONSULTATION, "北村", "佳奈"),
    ("sv_hokubu", "hokubu", Role.SUPERVISOR, "沢田", "修"),
    ("soudan_toubu1", "toubu", Role.CONSULTATION, "荒木", "美穂"),
    ("sv_toubu", "toubu", Role.SUPERVISOR, "松下", "正人"),
    ("soudan_seibu1", "seibu", Role.CONSULTATION, "西田", "亮"),
    ("sv_seibu", "seibu", Role.SUPERVISOR, "堀", "典子"),
    ("soudan_jiritsu1", "jiritsu", Role.CONSULTATION, "水野", "翔太"),
    ("soudan_jiritsu2", "jiritsu", Role.CONSULTATION, "菅原", "遥"),
    ("sv_jiritsu", "jiritsu", Role.SUPERVISOR, "大久保", "誠"),
    ("soudan_seiho1", "seiho", Role.CONSULTATION, "小西", "拓也"),
    ("sv_seiho", "seiho", Role.SUPERVISOR, "浅野", "陽子"),
    ("soudan_shougai1", "shougai", Role.CONSULTATION, "服部", "愛"),
    ("sv_shougai", "shougai", Role.SUPERVISOR, "高野", "哲也"),
    ("soudan_kodomo1", "kodomo", Role.CONSULTATION, "市川", "舞"),
    ("sv_kodomo", "kodomo", Role.SUPERVISOR, "片山", "智子"),
    ("soudan_hoken1", "hoken", Role.CONSULTATION, "永井", "麻衣"),
    ("sv_hoken", "hoken", Role.SUPERVISOR, "桑原", "明美"),
    ("shihyo_keikaku", "keikaku", Role.INDICATOR_OFFICER, "中西", "聡"),
)
SUPERUSER = ("admin", "システム", "管理者")
# The council's CSWs each cover districts (地区担当).
CSW_DISTRICTS = {
    "north": "csw_shakyo1",
    "east": "csw_shakyo1",
    "central": "csw_shakyo2",
    "south": "csw_shakyo2",
    "west": "csw_shakyo3",
}

# Staff who carry cases of their own (supervisors oversee, and close them).
CASE_WORKER_ROLES = (Role.CSW, Role.CONSULTATION)

# What agency admins need to manage their staff in the Django admin (the admin itself
# narrows them to their own agency).
AGENCY_ADMIN_PERMISSIONS = (
    ("auth", "view_user"),
    ("auth", "add_user"),
    ("auth", "change_user"),
    ("casework", "view_staffmembership"),
    ("casework", "add_staffmembership"),
    ("casework", "change_staffmembership"),
)

# --- names --------------------------------------------------------------------------------

FAMILY_NAMES = (
    ("佐藤", "さとう"), ("鈴木", "すずき"), ("高橋", "たかはし"), ("田中", "たなか"),
    ("伊藤", "いとう"), ("渡辺", "わたなべ"), ("山本", "やまもと"), ("中村", "なかむら"),
    ("小林", "こばやし"), ("加藤", "かとう"), ("吉田", "よしだ"), ("山田", "やまだ"),
    ("佐々木", "ささき"), ("山口", "やまぐち"), ("松本", "まつもと"), ("井上", "いのうえ"),
    ("木村", "きむら"), ("林", "はやし"), ("斎藤", "さいとう"), ("清水", "しみず"),
    ("山崎", "やまざき"), ("森", "もり"), ("池田", "いけだ"), ("橋本", "はしもと"),
    ("阿部", "あべ"), ("石川", "いしかわ"), ("山下", "やました"), ("中島", "なかじま"),
    ("石井", "いしい"), ("小川", "おがわ"), ("前田", "まえだ"), ("岡田", "おかだ"),
    ("長谷川", "はせがわ"), ("藤田", "ふじた"), ("後藤", "ごとう"), ("近藤", "こんどう"),
    ("村上", "むらかみ"), ("遠藤", "えんどう"), ("青木", "あおき"), ("坂本", "さかもと"),
    ("福田", "ふくだ"), ("太田", "おおた"), ("西村", "にしむら"), ("藤井", "ふじい"),
    ("金子", "かねこ"), ("岡本", "おかもと"), ("藤原", "ふじわら"), ("中野", "なかの"),
    ("三浦", "みうら"), ("原田", "はらだ"), ("中川", "なかがわ"), ("松田", "まつだ"),
    ("竹内", "たけうち"), ("小野", "おの"), ("田村", "たむら"), ("中山", "なかやま"),
    ("和田", "わだ"), ("石田", "いしだ"), ("森田", "もりた"), ("上田", "うえだ"),
    ("原", "はら"), ("内田", "うちだ"), ("柴田", "しばた"), ("酒井", "さかい"),
    ("宮崎", "みやざき"), ("横山", "よこやま"), ("高木", "たかぎ"), ("安藤", "あんどう"),
    ("宮本", "みやもと"), ("大野", "おおの"), ("小島", "こじま"), ("工藤", "くどう"),
    ("谷口", "たにぐち"), ("今井", "いまい"), ("高田", "たかだ"), ("丸山", "まるやま"),
    ("増田", "ますだ"), ("杉山", "すぎやま"), ("村田", "むらた"), ("大塚", "おおつか"),
    ("小山", "こやま"), ("平野", "ひらの"), ("藤本", "ふじもと"), ("久保", "くぼ"),
    ("松井", "まつい"), ("千葉", "ちば"), ("岩崎", "いわさき"), ("桜井", "さくらい"),
    ("木下", "きのした"), ("野口", "のぐち"), ("松尾", "まつお"), ("菊地", "きくち"),
    ("野村", "のむら"), ("新井", "あらい"),
)  # fmt: skip

# Given names by birth cohort, so a 90-year-old is not called 陽翔.
GIVEN_NAMES: dict[str, dict[str, tuple[tuple[str, str], ...]]] = {
    "before1950": {
        Sex.MALE: (
            ("清", "きよし"), ("茂", "しげる"), ("博", "ひろし"), ("実", "みのる"),
            ("勇", "いさむ"), ("進", "すすむ"), ("武", "たけし"), ("和夫", "かずお"),
            ("正雄", "まさお"), ("勝", "まさる"), ("修", "おさむ"), ("豊", "ゆたか"),
            ("義男", "よしお"), ("幸雄", "ゆきお"), ("三郎", "さぶろう"), ("一郎", "いちろう"),
            ("秀夫", "ひでお"), ("保", "たもつ"), ("昭二", "しょうじ"), ("武雄", "たけお"),
            ("正", "ただし"), ("弘", "ひろし"),
        ),
        Sex.FEMALE: (
            ("和子", "かずこ"), ("幸子", "さちこ"), ("節子", "せつこ"), ("洋子", "ようこ"),
            ("京子", "きょうこ"), ("弘子", "ひろこ"), ("久子", "ひさこ"), ("美智子", "みちこ"),
            ("文子", "ふみこ"), ("悦子", "えつこ"), ("静子", "しずこ"), ("千代子", "ちよこ"),
            ("照子", "てるこ"), ("信子", "のぶこ"), ("清子", "きよこ"), ("芳子", "よしこ"),
            ("昌子", "まさこ"), ("喜美子", "きみこ"), ("光子", "みつこ"), ("富子", "とみこ"),
            ("君子", "きみこ"), ("八重子", "やえこ"), ("ハル", "はる"), ("トミ", "とみ"),
        ),
    },
    "1950s_1970s": {
        Sex.MALE: (
            ("浩", "ひろし"), ("誠", "まこと"), ("隆", "たかし"), ("正人", "まさと"),
            ("哲也", "てつや"), ("秀樹", "ひでき"), ("和彦", "かずひこ"), ("修一", "しゅういち"),
            ("健二", "けんじ"), ("浩二", "こうじ"), ("聡", "さとし"), ("明", "あきら"),
            ("伸一", "しんいち"), ("雅彦", "まさひこ"), ("敏之", "としゆき"), ("裕之", "ひろゆき"),
            ("正樹", "まさき"), ("康弘", "やすひろ"), ("英樹", "ひでき"), ("俊介", "しゅんすけ"),
        ),
        Sex.FEMALE: (
            ("恵子", "けいこ"), ("洋子", "ようこ"), ("裕子", "ゆうこ"), ("真由美", "まゆみ"),
            ("由美子", "ゆみこ"), ("久美子", "くみこ"), ("直美", "なおみ"), ("明美", "あけみ"),
            ("智子", "ともこ"), ("典子", "のりこ"), ("京子", "きょうこ"), ("美由紀", "みゆき"),
            ("順子", "じゅんこ"), ("陽子", "ようこ"), ("恵美子", "えみこ"), ("弘美", "ひろみ"),
            ("美穂", "みほ"), ("純子", "じゅんこ"),
        ),
    },
    "1975_1999": {
        Sex.MALE: (
            ("大輔", "だいすけ"), ("拓也", "たくや"), ("健太", "けんた"), ("翔太", "しょうた"),
            ("直樹", "なおき"), ("和也", "かずや"), ("達也", "たつや"), ("雄太", "ゆうた"),
            ("亮", "りょう"), ("裕介", "ゆうすけ"), ("翔", "しょう"), ("大樹", "だいき"),
            ("智也", "ともや"), ("拓海", "たくみ"), ("健", "けん"), ("一輝", "かずき"),
        ),
        Sex.FEMALE: (
            ("愛", "あい"), ("彩", "あや"), ("美咲", "みさき"), ("麻衣", "まい"),
            ("恵", "めぐみ"), ("香織", "かおり"), ("沙織", "さおり"), ("千尋", "ちひろ"),
            ("由香", "ゆか"), ("遥", "はるか"), ("優子", "ゆうこ"), ("舞", "まい"),
            ("真奈美", "まなみ"), ("明日香", "あすか"), ("奈々", "なな"), ("綾香", "あやか"),
        ),
    },
    "since2000": {
        Sex.MALE: (
            ("蓮", "れん"), ("悠真", "ゆうま"), ("陽翔", "はると"), ("湊", "みなと"),
            ("大翔", "ひろと"), ("颯太", "そうた"), ("悠人", "ゆうと"), ("陸", "りく"),
            ("樹", "いつき"), ("蒼", "あおい"), ("奏太", "かなた"), ("悠斗", "はると"),
        ),
        Sex.FEMALE: (
            ("陽菜", "ひな"), ("結衣", "ゆい"), ("葵", "あおい"), ("凛", "りん"),
            ("芽依", "めい"), ("結菜", "ゆいな"), ("さくら", "さくら"), ("美桜", "みお"),
            ("紬", "つむぎ"), ("莉子", "りこ"), ("心春", "こはる"), ("花音", "かのん"),
        ),
    },
}  # fmt: skip

# --- addresses ----------------------------------------------------------------------------

# Town (町名) and its number of 丁目, by the district it roughly lies in.
TOWNS: dict[str, tuple[tuple[str, int], ...]] = {
    "north": (("駒場", 4), ("青葉台", 4), ("東山", 3), ("大橋", 2), ("上目黒", 5)),
    "east": (("三田", 2), ("目黒", 4), ("下目黒", 6), ("中目黒", 5)),
    "central": (("中央町", 2), ("中町", 2), ("五本木", 3), ("祐天寺", 2), ("鷹番", 3)),
    "south": (("碑文谷", 6), ("原町", 2), ("洗足", 2), ("南", 3), ("目黒本町", 6)),
    "west": (
        ("自由が丘", 3), ("緑が丘", 3), ("八雲", 5), ("柿の木坂", 3),
        ("中根", 2), ("東が丘", 2), ("平町", 2), ("大岡山", 2),
    ),
}  # fmt: skip
DISTRICT_CODES = tuple(TOWNS)
KANJI_DIGITS = "〇一二三四五六七八九"
BUILDINGS = (
    "コーポさくら", "メゾン緑", "ハイツ目黒", "グリーンハイツ", "第二松風荘", "パレス碑文谷",
    "サンハイム", "ライオンズマンション", "みどり荘", "シャトー八雲",
)  # fmt: skip

# --- what each agency works on ------------------------------------------------------------

C = Concern


@dataclass(frozen=True)
class Caseload:
    persons: int
    ages: tuple[tuple[int, int, int], ...]  # (min age, max age, weight)
    concerns: tuple[str, ...]
    districts: tuple[str, ...] = DISTRICT_CODES


CASELOADS: dict[str, Caseload] = {
    "sougou": Caseload(
        30,
        ((20, 39, 2), (40, 64, 4), (65, 92, 4)),
        (C.INCOME, C.HEALTH, C.HOUSING, C.DEBT, C.FAMILY, C.CARE, C.COMMUNITY, C.OTHER,
         C.WITHDRAWAL, C.TAX_UTILITIES),
    ),
    "shakyo": Caseload(
        35,
        ((40, 64, 3), (65, 95, 7)),
        (C.COMMUNITY, C.WITHDRAWAL, C.CARE, C.HEALTH, C.FOOD, C.FAMILY, C.OTHER, C.HOUSING),
    ),
    "hokubu": Caseload(
        18, ((65, 97, 1),), (C.CARE, C.HEALTH, C.COMMUNITY, C.FAMILY, C.ABUSE), ("north",)
    ),
    "toubu": Caseload(
        14, ((65, 97, 1),), (C.CARE, C.HEALTH, C.COMMUNITY, C.FAMILY, C.HOUSING), ("east",)
    ),
    "seibu": Caseload(
        12, ((65, 97, 1),), (C.CARE, C.HEALTH, C.COMMUNITY, C.FAMILY, C.ABUSE), ("west",)
    ),
    "jiritsu": Caseload(
        22,
        ((20, 39, 4), (40, 64, 6)),
        (C.INCOME, C.DEBT, C.JOB_SEARCH, C.RENT_LOAN, C.HOUSING, C.TAX_UTILITIES, C.WORK_WORRY),
    ),
    "seiho": Caseload(
        18, ((30, 64, 5), (65, 90, 5)), (C.INCOME, C.HEALTH, C.HOUSING, C.FOOD, C.CARE)
    ),
    "shougai": Caseload(
        14,
        ((18, 39, 5), (40, 70, 5)),
        (C.HEALTH, C.WORK_WORRY, C.JOB_SEARCH, C.FAMILY, C.HOUSING, C.COMMUNITY),
    ),
    "kodomo": Caseload(
        12, ((8, 17, 6), (25, 45, 4)), (C.CHILDCARE, C.WITHDRAWAL, C.FAMILY, C.ABUSE, C.INCOME)
    ),
    "hoken": Caseload(
        9, ((18, 64, 6), (65, 85, 2)), (C.HEALTH, C.WITHDRAWAL, C.FAMILY, C.CHILDCARE)
    ),
}  # fmt: skip
SECONDARY_CONCERNS = (C.INCOME, C.HEALTH, C.COMMUNITY, C.FAMILY, C.TAX_UTILITIES, C.HOUSING)

# 8050 households: (district, agency of the parent's case, agency of the child's case or
# None when the child has no case of their own yet).
HOUSEHOLDS_8050 = (
    ("north", "hokubu", "shakyo"),
    ("east", "toubu", "jiritsu"),
    ("west", "seibu", None),
    ("central", "sougou", "shakyo"),
    ("south", "shakyo", None),
    ("north", "hokubu", "jiritsu"),
    ("west", "seibu", "shakyo"),
    ("east", "toubu", None),
)

# Current statuses and their share of cases; closed cases come on top of these.
STATUS_WEIGHTS = (
    (CaseStatus.INTAKE, 8),
    (CaseStatus.SCREENING, 6),
    (CaseStatus.ASSESSMENT, 10),
    (CaseStatus.PLANNING, 8),
    (CaseStatus.SUPPORT, 26),
    (CaseStatus.MONITORING, 12),
    (CaseStatus.CLOSED, 14),
)
# How long ago (days) a case in that status was opened, and how many contacts it has.
OPENED_DAYS_AGO = {
    CaseStatus.INTAKE: (1, 10),
    CaseStatus.SCREENING: (5, 30),
    CaseStatus.ASSESSMENT: (10, 60),
    CaseStatus.PLANNING: (20, 120),
    CaseStatus.SUPPORT: (40, 600),
    CaseStatus.MONITORING: (120, 900),
    CaseStatus.CLOSED: (90, 1100),
}
CONTACT_COUNT = {
    CaseStatus.INTAKE: (1, 2),
    CaseStatus.SCREENING: (2, 3),
    CaseStatus.ASSESSMENT: (2, 4),
    CaseStatus.PLANNING: (3, 5),
    CaseStatus.SUPPORT: (3, 7),
    CaseStatus.MONITORING: (4, 8),
    CaseStatus.CLOSED: (4, 8),
}

# --- what the contact records say ---------------------------------------------------------

M = ContactMethod


class Contact(NamedTuple):
    method: str
    minutes: tuple[int, int]
    summary: str
    # The concerns a contact fits; empty when it fits any case.
    topics: frozenset[str] = frozenset()


JOB = frozenset({C.JOB_SEARCH, C.WORK_WORRY})
MONEY = frozenset({C.INCOME, C.DEBT, C.RENT_LOAN, C.TAX_UTILITIES, C.FOOD})
ELDERLY = frozenset({C.CARE, C.HEALTH, C.COMMUNITY})
HOUSING = frozenset({C.HOUSING, C.RENT_LOAN})
ISOLATION = frozenset({C.COMMUNITY, C.WITHDRAWAL, C.CARE})

INTAKE_SOURCES = (
    (M.VISIT_OFFICE, "本人が来所し相談。"),
    (M.PHONE, "本人から電話で相談。"),
    (M.HOME_VISIT, "民生委員からの連絡を受けて訪問。"),
    (M.HOME_VISIT, "見守りネットワーク(新聞販売店)からの連絡を受けて訪問。"),
    (M.PHONE, "家族から電話で相談。"),
    (M.HOME_VISIT, "近隣住民からの連絡を受けて訪問。"),
    (M.PHONE, "病院の医療ソーシャルワーカーから連絡があり、本人と電話で話した。"),
)
INTAKE_TEXT = {
    C.HEALTH: "持病が悪化し、通院が途切れがちになっている。",
    C.HOUSING: "建て替えのため立ち退きを求められているが、転居先が見つからない。",
    C.INCOME: "収入が減り、生活費が足りない。",
    C.RENT_LOAN: "家賃を2か月滞納しており、管理会社から連絡が来ている。",
    C.TAX_UTILITIES: "住民税と電気料金を滞納しており、督促状が届いている。",
    C.DEBT: "消費者金融など複数の借入があり、返済が難しい。",
    C.JOB_SEARCH: "離職して3か月たつが、仕事が見つからない。",
    C.WORK_WORRY: "職場の人間関係で体調を崩し、休職している。",
    C.COMMUNITY: "近所付き合いがなく、困った時に頼れる人がいない。",
    C.FAMILY: "同居の家族との関係に悩んでいる。",
    C.CHILDCARE: "ひとりで子育てをしており、負担が大きい。",
    C.CARE: "同居家族の介護で疲れており、介護保険の使い方がわからない。",
    C.WITHDRAWAL: "長く自宅にこもりがちで、外出の機会がほとんどない。",
    C.ABUSE: "家族からの暴言があると話す。本人の安全を確認した。",
    C.FOOD: "所持金がほとんどなく、食べるものがない。フードパントリーを案内した。",
    C.OTHER: "郵便物の整理や各種の手続きに困っている。",
}
CONTACTS = (
    Contact(M.PHONE, (5, 30), "電話で近況確認。体調は落ち着いており、食事もとれているとのこと。"),
    Contact(M.PHONE, (5, 30), "電話で近況確認。最近眠れない日が続いていると話す。"),
    Contact(M.PHONE, (5, 20), "電話で近況確認。前回の手続きの後、特に困りごとはないとのこと。"),
    Contact(
        M.PHONE, (10, 30), "本人から電話。届いた書類の内容がわからないとの相談があり、説明した。"
    ),
    Contact(M.PHONE, (5, 20), "電話で近況確認。声に元気がないため、近日中に訪問することを伝えた。"),
    Contact(M.PHONE, (5, 15), "電話で次回の同行の日程を調整した。"),
    Contact(
        M.HOME_VISIT, (30, 90), "訪問し室内の様子を確認。整理されており、冷蔵庫に食品もあった。"
    ),
    Contact(
        M.HOME_VISIT,
        (30, 90),
        "訪問し室内の様子を確認。ごみが溜まり始めており、片付けの支援を提案した。",
    ),
    Contact(
        M.HOME_VISIT,
        (30, 90),
        "訪問し室内の様子を確認。未開封の郵便物が積まれていたため一緒に整理した。",
    ),
    Contact(
        M.HOME_VISIT,
        (20, 60),
        "民生委員と同行訪問。本人は玄関先で応対し、体調に変わりはないと話す。",
    ),
    Contact(M.HOME_VISIT, (10, 20), "訪問したが不在。不在票を投函し、後日電話することにした。"),
    Contact(
        M.HOME_VISIT,
        (30, 60),
        "訪問し服薬状況を確認。飲み忘れがあるため、お薬カレンダーを導入した。",
        ELDERLY,
    ),
    Contact(
        M.HOME_VISIT,
        (30, 60),
        "訪問。ケアマネジャーと一緒に介護サービスの利用状況を確認した。",
        ELDERLY,
    ),
    Contact(
        M.ACCOMPANY, (60, 180), "同行して区役所で手続き。国民健康保険料の減額を申請した。", MONEY
    ),
    Contact(M.ACCOMPANY, (60, 150), "同行して区役所で手続き。住所変更と各種の届出を行った。"),
    Contact(M.ACCOMPANY, (90, 180), "同行してハローワークで求職登録を行った。", JOB),
    Contact(M.ACCOMPANY, (90, 240), "同行してかかりつけ医を受診。医師に生活の状況を伝えた。"),
    Contact(M.ACCOMPANY, (60, 120), "同行して銀行で通帳の再発行の手続きを行った。"),
    Contact(M.ACCOMPANY, (90, 180), "同行して不動産店を訪問し、転居先の物件を見学した。", HOUSING),
    Contact(
        M.ACCOMPANY, (60, 150), "同行して地域交流サロンに参加。次回も参加したいと話す。", ISOLATION
    ),
    Contact(
        M.ACCOMPANY, (60, 120), "同行して法テラスで債務整理について相談した。", frozenset({C.DEBT})
    ),
    Contact(
        M.VISIT_OFFICE,
        (30, 90),
        "来所。家計の状況を一緒に整理し、支出の見直しを話し合った。",
        MONEY,
    ),
    Contact(M.VISIT_OFFICE, (30, 60), "来所。前回からの経過を確認し、今後の目標を本人と共有した。"),
    Contact(M.VISIT_OFFICE, (30, 60), "来所。支援プランの内容を説明し、本人の同意を得た。"),
    Contact(
        M.VISIT_OFFICE, (45, 90), "来所。求人情報を一緒に確認し、応募書類の作成を手伝った。", JOB
    ),
    Contact(
        M.VISIT_OFFICE,
        (15, 30),
        "来所。フードパントリーの食品を受け取った。",
        frozenset({C.FOOD, C.INCOME}),
    ),
    Contact(
        M.VISIT_OFFICE,
        (30, 60),
        "来所。子どもの学習・生活支援事業の利用について説明した。",
        frozenset({C.CHILDCARE}),
    ),
    Contact(M.ONLINE, (20, 45), "オンラインで面談。生活リズムが整ってきたと話す。"),
    Contact(M.ONLINE, (20, 45), "オンラインで面談。就労準備支援プログラムの内容を説明した。", JOB),
    Contact(M.OTHER, (30, 90), "ケース会議を開催し、所内で支援方針を確認した。"),
    Contact(M.OTHER, (5, 15), "民生委員から、最近本人を見かけないとの連絡があった。"),
)
CONTACTS_8050_PARENT = (
    Contact(
        M.HOME_VISIT,
        (40, 90),
        "訪問し室内の様子を確認。本人は足腰が弱り、買い物は同居の子が担っている。",
    ),
    Contact(
        M.HOME_VISIT,
        (30, 60),
        "訪問。同居の子とも短時間話ができた。就労の話題には触れず、関係づくりを優先する。",
    ),
    Contact(M.PHONE, (10, 30), "本人から電話。自分が亡くなった後の子の生活が心配だと話す。"),
    Contact(M.HOME_VISIT, (40, 90), "訪問。要介護認定の申請について説明し、本人の了解を得た。"),
)
CONTACTS_8050_CHILD = (
    Contact(M.HOME_VISIT, (20, 45), "訪問したが本人は部屋から出てこず、親を通して手紙を渡した。"),
    Contact(
        M.HOME_VISIT, (30, 60), "訪問。本人と玄関先で初めて会話ができた。好きな音楽の話をした。"
    ),
    Contact(M.ACCOMPANY, (60, 120), "同行して地域の居場所を見学。短時間だが参加できた。"),
    Contact(M.PHONE, (10, 30), "本人から電話。親の通院の付き添いが負担になっていると話す。"),
)
CLOSING_CONTACTS = (
    Contact(
        M.VISIT_OFFICE,
        (30, 60),
        "終結に向けて本人と振り返り。生活が安定し、困った時は連絡するよう伝えた。",
    ),
    Contact(
        M.HOME_VISIT,
        (30, 60),
        "訪問。介護保険サービスの利用が定着したため、終結について本人と確認した。",
        ELDERLY,
    ),
    Contact(
        M.PHONE, (10, 30), "電話。転居先の相談窓口に引き継いだことを本人に伝え、終結を確認した。"
    ),
    Contact(
        M.VISIT_OFFICE,
        (30, 60),
        "来所。就労が決まり収入が安定したため、終結について本人と確認した。",
        JOB,
    ),
)
NEXT_ACTIONS = (
    "1週間後に電話で様子を確認する。",
    "次回訪問時に家計表を一緒に確認する。",
    "来週、区役所への同行を予定。",
    "所内のケース会議で支援方針を検討する。",
    "民生委員に見守りを依頼する。",
    "2週間後に訪問する。",
)


# --- the plan: everything drawn from the seed, before touching the database ------------------


@dataclass
class ContactPlan:
    occurred_at: datetime.datetime
    method: str
    minutes: int
    summary: str
    next_action: str = ""


@dataclass
class CasePlan:
    worker: str
    supervisor: str
    status: str
    opened_on: datetime.date
    main_concern: str
    other_concerns: tuple[str, ...]
    closed_on: datetime.date | None = None
    contacts: list[ContactPlan] = field(default_factory=list)
    role: str = ""  # "8050_parent", "8050_child" or ""


@dataclass
class PersonPlan:
    family_name: str
    given_name: str
    family_name_kana: str
    given_name_kana: str
    birth_date: datetime.date
    sex: str
    address: str
    district: str
    phone: str
    agency: str
    registrar: str
    cases: list[CasePlan] = field(default_factory=list)
    tag: str = ""


def _years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


class Planner:
    """Draws the whole demo world from one seeded generator, relative to `today`."""

    def __init__(self, today: datetime.date):
        self.rng = random.Random(SEED)
        self.today = today
        self.yesterday = today - datetime.timedelta(days=1)
        self.used_names: set[tuple[str, str]] = set()
        self.workers = {
            key: [u for u, a, role, *_ in STAFF if a == key and role in CASE_WORKER_ROLES]
            for key in AGENCIES
        }
        self.supervisors = {a: u for u, a, role, *_ in STAFF if role == Role.SUPERVISOR}

    def registrar(self, agency: str, district: str) -> str:
        # The council's CSWs each cover their own districts; its consultation desk takes
        # the rest.
        if agency == "shakyo" and self.rng.random() < 0.75:
            return CSW_DISTRICTS[district]
        return self.rng.choice(self.workers[agency])

    # persons

    def birth_date(self, age: int) -> datetime.date:
        return _years_before(self.today, age) - datetime.timedelta(days=self.rng.randint(0, 364))

    def name(self, sex: str, birth: datetime.date, family=None) -> tuple[str, str, str, str]:
        cohort = (
            "before1950"
            if birth.year < 1950
            else "1950s_1970s"
            if birth.year < 1975
            else "1975_1999"
            if birth.year < 2000
            else "since2000"
        )
        for _ in range(50):
            fam = family or self.rng.choice(FAMILY_NAMES)
            given = self.rng.choice(GIVEN_NAMES[cohort][sex])
            if (fam[0], given[0]) not in self.used_names:
                break
        self.used_names.add((fam[0], given[0]))
        return fam[0], given[0], fam[1], given[1]

    def address(self, district: str) -> str:
        town, chome_count = self.rng.choice(TOWNS[district])
        chome = KANJI_DIGITS[self.rng.randint(1, chome_count)]
        text = f"目黒区{town}{chome}丁目{self.rng.randint(1, 30)}番{self.rng.randint(1, 25)}号"
        if self.rng.random() < 0.45:
            room = f"{self.rng.randint(1, 4)}{self.rng.randint(1, 8):02d}"
            text += f" {self.rng.choice(BUILDINGS)}{room}号室"
        return text

    def phone(self, age: int) -> str:
        draw = self.rng.random()
        if draw < 0.08:
            return ""
        if age < 65 and draw < 0.55:
            prefix = self.rng.choice(("090", "080", "070"))
            return f"{prefix}-{self.rng.randint(1000, 9999)}-{self.rng.randint(0, 9999):04d}"
        exchange = self.rng.choice((3710, 3711, 3712, 3713, 3714, 3715, 3716, 3717, 3718,
                                    3719, 3723, 3724, 3725, 3760, 3791, 3792, 3793, 5701,
                                    5704, 5721))  # fmt: skip
        return f"03-{exchange}-{self.rng.randint(0, 9999):04d}"

    def age(self, bands: tuple[tuple[int, int, int], ...]) -> int:
        low, high, _ = self.rng.choices(bands, weights=[w for *_, w in bands])[0]
        return self.rng.randint(low, high)

    def person(self, *, agency: str, age: int, district: str, sex: str | None = None,
               family=None, address=None, phone=None) -> PersonPlan:  # fmt: skip
        if sex is None:
            # Women outlive men: the older the caseload, the more of them.
            sex = Sex.FEMALE if self.rng.random() < (0.6 if age >= 65 else 0.5) else Sex.MALE
        birth = self.birth_date(age)
        fam, given, fam_kana, given_kana = self.name(sex, birth, family)
        return PersonPlan(
            family_name=fam,
            given_name=given,
            family_name_kana=fam_kana,
            given_name_kana=given_kana,
            birth_date=birth,
            sex=sex,
            address=address if address is not None else self.address(district),
            district=district,
            phone=phone if phone is not None else self.phone(age),
            agency=agency,
            registrar=self.registrar(agency, district),
        )

    # cases

    def case(self, person: PersonPlan, *, status: str, main: str, pool, role: str = "",
             opened_on: datetime.date | None = None,
             closed_on: datetime.date | None = None) -> CasePlan:  # fmt: skip
        if opened_on is None:
            low, high = OPENED_DAYS_AGO[status]
            opened_on = self.today - datetime.timedelta(days=self.rng.randint(low, high))
        drawn = self.rng.sample([*pool, *SECONDARY_CONCERNS], self.rng.randint(0, 3))
        if status == CaseStatus.CLOSED and closed_on is None:
            closed_on = min(
                opened_on + datetime.timedelta(days=self.rng.randint(30, 400)), self.yesterday
            )
        plan = CasePlan(
            worker=person.registrar,
            supervisor=self.supervisors[person.agency],
            status=status,
            opened_on=opened_on,
            main_concern=main,
            other_concerns=tuple(sorted(set(drawn) - {main})),
            closed_on=closed_on if status == CaseStatus.CLOSED else None,
            role=role,
        )
        plan.contacts = self.contacts(plan)
        return plan

    def at(self, day: datetime.date) -> datetime.datetime:
        # Office hours on a day no later than yesterday, so never in the future.
        moment = datetime.time(self.rng.randint(9, 17), self.rng.choice((0, 15, 30, 45)))
        return timezone.make_aware(datetime.datetime.combine(day, moment))

    def contacts(self, case: CasePlan) -> list[ContactPlan]:
        low, high = CONTACT_COUNT[case.status]
        count = self.rng.randint(low, high)
        last = case.closed_on or self.yesterday
        span = (last - case.opened_on).days
        days = sorted(
            case.opened_on + datetime.timedelta(days=self.rng.randint(0, span))
            for _ in range(count - 1)
        )
        method, text = self.rng.choice(INTAKE_SOURCES)
        first = ContactPlan(
            occurred_at=self.at(case.opened_on),
            method=method,
            minutes=self.rng.randint(20, 60),
            summary=f"{text}初回相談。{INTAKE_TEXT[case.main_concern]}",
            next_action=self.rng.choice(NEXT_ACTIONS),
        )
        concerns = {case.main_concern, *case.other_concerns}

        def fitting(contacts):
            return [c for c in contacts if not c.topics or c.topics & concerns]

        pool = fitting(CONTACTS)
        if case.role == "8050_parent":
            pool += list(CONTACTS_8050_PARENT) * 3
        elif case.role == "8050_child":
            pool += list(CONTACTS_8050_CHILD) * 3
        records = [first]
        for index, day in enumerate(days):
            closing = case.closed_on is not None and index == len(days) - 1
            contact = self.rng.choice(fitting(CLOSING_CONTACTS) if closing else pool)
            records.append(
                ContactPlan(
                    occurred_at=self.at(case.closed_on if closing else day),
                    method=contact.method,
                    minutes=self.rng.randint(*contact.minutes),
                    summary=contact.summary,
                    next_action=""
                    if closing or self.rng.random() < 0.4
                    else self.rng.choice(NEXT_ACTIONS),
                )
            )
        # The intake comes first and the closing talk last, even on a shared day.
        for previous, record in itertools.pairwise(records):
            if record.occurred_at <= previous.occurred_at:
                record.occurred_at = previous.occurred_at + datetime.timedelta(minutes=30)
        return records

    def statuses(self, count: int) -> list[str]:
        total = sum(w for _, w in STATUS_WEIGHTS)
        statuses = [s for s, w in STATUS_WEIGHTS for _ in range(max(1, round(count * w / total)))]
        while len(statuses) < count:
            statuses.append(CaseStatus.SUPPORT)
        statuses = statuses[:count]
        self.rng.shuffle(statuses)
        return statuses

    # the world

    def build(self) -> list[PersonPlan]:
        persons: list[PersonPlan] = []
        for index, (district, parent_agency, child_agency) in enumerate(HOUSEHOLDS_8050):
            parent_age = self.rng.randint(80, 89)
            child_age = max(50, min(59, parent_age - self.rng.randint(24, 35)))
            parent = self.person(agency=parent_agency, age=parent_age, district=district)
            parent.tag = f"8050_parent_{index}"
            child = self.person(
                agency=child_agency or parent_agency,
                age=child_age,
                district=district,
                sex=Sex.MALE if self.rng.random() < 0.7 else Sex.FEMALE,
                family=(parent.family_name, parent.family_name_kana),
                address=parent.address,
                phone=parent.phone,
            )
            child.tag = f"8050_child_{index}"
            if index == 0:
                child.registrar = "csw_shakyo1"  # the CSW the parent's record is shared with
            # The first households are the ones whose records are shared across agencies.
            parent_status = CaseStatus.SUPPORT if index < 2 else self.rng.choice(
                (CaseStatus.ASSESSMENT, CaseStatus.PLANNING, CaseStatus.SUPPORT,
                 CaseStatus.MONITORING)
            )  # fmt: skip
            parent.cases.append(
                self.case(
                    parent,
                    status=parent_status,
                    main=C.CARE,
                    pool=(C.WITHDRAWAL, C.FAMILY, C.HEALTH),
                    role="8050_parent",
                )
            )
            if child_agency:
                main = C.WITHDRAWAL if child_agency == "shakyo" else C.JOB_SEARCH
                child.cases.append(
                    self.case(
                        child,
                        status=CaseStatus.SUPPORT,
                        main=main,
                        pool=(C.FAMILY, C.INCOME, C.HEALTH, C.CARE),
                        role="8050_child",
                    )
                )
            persons += [parent, child]

        plans: list[PersonPlan] = []
        for agency, load in CASELOADS.items():
            for index in range(load.persons):
                district = self.rng.choice(load.districts)
                plan = self.person(agency=agency, age=self.age(load.ages), district=district)
                # Every seventh person is known to an agency but has no case (yet).
                plan.tag = "no_case" if index % 7 == 3 else f"{agency}_{index}"
                plans.append(plan)
        with_case = [p for p in plans if p.tag != "no_case"]
        for plan, status in zip(with_case, self.statuses(len(with_case)), strict=True):
            load = CASELOADS[plan.agency]
            if plan.tag == "sougou_0":
                status = CaseStatus.SUPPORT  # shared with the independence agency
            if plan.tag == "toubu_0":
                status = CaseStatus.MONITORING  # shared under a support meeting
            main = self.rng.choice(load.concerns)
            if plan.tag == "sougou_0":
                main = C.DEBT
            case = self.case(plan, status=status, main=main, pool=load.concerns)
            # Some people came back: an earlier case, closed, before the current one.
            if self.rng.random() < 0.08 and case.opened_on > self.today - datetime.timedelta(
                days=700
            ):
                closed = case.opened_on - datetime.timedelta(days=self.rng.randint(30, 200))
                earlier = self.case(
                    plan,
                    status=CaseStatus.CLOSED,
                    main=self.rng.choice(load.concerns),
                    pool=load.concerns,
                    opened_on=closed - datetime.timedelta(days=self.rng.randint(60, 300)),
                    closed_on=closed,
                )
                plan.cases.append(earlier)
            plan.cases.append(case)
        return persons + plans


# --- the command --------------------------------------------------------------------------


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - _width(text))


class Command(BaseCommand):
    help = (
        "Fill the database with a demo world of Meguro agencies, staff, persons and cases "
        "(development only; idempotent)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even when DEBUG is off. Never on a database holding real people.",
        )

    def handle(self, *args, force: bool = False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_demo refuses to run with DEBUG off: it creates demo accounts that share "
                "one published password. Use --force only on a disposable demo database."
            )
        started = time.monotonic()
        with transaction.atomic():
            agencies = self._agencies()
            users, existing = self._users(agencies)
            created = self._casework(agencies, users)
        elapsed = time.monotonic() - started

        if created:
            self.stdout.write(
                f"Created {created['persons']} persons, {created['cases']} cases, "
                f"{created['contacts']} contact records, {created['shares']} shares and "
                f"{created['consents']} consent records in {elapsed:.1f}s."
            )
        else:
            self.stdout.write("The demo casework is already in place; nothing to add.")
        self._print_logins(existing)

    # agencies and staff

    def _agencies(self) -> dict[str, Agency]:
        districts = {d.code: d for d in District.objects.all()}
        missing = {code for *_, code in AGENCIES.values() if code} - set(districts)
        if missing:
            raise CommandError(
                f"Districts {sorted(missing)} are missing: run `manage.py migrate` first."
            )
        agencies = {}
        for key, (name, kind, district) in AGENCIES.items():
            agencies[key], _ = Agency.objects.get_or_create(
                name=name,
                defaults={"kind": kind, "district": districts[district] if district else None},
            )
        return agencies

    def _users(self, agencies: dict[str, Agency]):
        User = get_user_model()
        hashed: list[str] = []

        def demo_password() -> str:
            # One hash for every demo account: they share one published password, and
            # hashing it thirty times would take most of the run.
            if not hashed:
                hashed.append(make_password(settings.TSUNAGU_DEMO_PASSWORD))
            return hashed[0]

        accounts = [
            (username, agency_key, role, family, given, role == Role.AGENCY_ADMIN, False)
            for username, agency_key, role, family, given in STAFF
        ]
        accounts.append((SUPERUSER[0], None, None, SUPERUSER[1], SUPERUSER[2], True, True))
        found = User.objects.in_bulk([a[0] for a in accounts], field_name="username")
        admin_perms = None
        users, existing = {}, set()
        for username, agency_key, role, family, given, is_staff, is_superuser in accounts:
            if username in found:
                users[username] = found[username]
                existing.add(username)
                continue
            user = User.objects.create(
                username=username,
                last_name=family,
                first_name=given,
                password=demo_password(),
                is_staff=is_staff,
                is_superuser=is_superuser,
            )
            if role is not None:
                StaffMembership.objects.create(user=user, agency=agencies[agency_key], role=role)
            if role == Role.AGENCY_ADMIN:
                if admin_perms is None:
                    admin_perms = [
                        Permission.objects.get(content_type__app_label=app, codename=codename)
                        for app, codename in AGENCY_ADMIN_PERMISSIONS
                    ]
                user.user_permissions.add(*admin_perms)
            users[username] = user
        return users, existing

    # persons and cases

    def _casework(self, agencies: dict[str, Agency], users) -> dict[str, int] | None:
        # The demo world is one piece: if its people are there, it has been seeded before,
        # and redrawing it (dates move with today) would only duplicate it.
        if Person.objects.filter(registered_by_agency__in=agencies.values()).exists():
            return None
        districts = {d.code: d for d in District.objects.all()}
        counts = {"persons": 0, "cases": 0, "contacts": 0, "shares": 0, "consents": 0}
        cases_by_tag = {}
        today = timezone.localdate()
        plans = Planner(today).build()
        for plan in plans:
            person = services.person_create(
                actor=users[plan.registrar],
                family_name=plan.family_name,
                given_name=plan.given_name,
                family_name_kana=plan.family_name_kana,
                given_name_kana=plan.given_name_kana,
                birth_date=plan.birth_date,
                sex=plan.sex,
                address=plan.address,
                district=districts[plan.district],
                phone=plan.phone,
            )
            counts["persons"] += 1
            for case_plan in sorted(plan.cases, key=lambda c: c.opened_on):
                case = self._case(person, case_plan, users)
                counts["cases"] += 1
                counts["contacts"] += len(case_plan.contacts)
                if case.is_open:
                    cases_by_tag[plan.tag] = case
        counts["shares"] += self._shares_within_agencies(cases_by_tag, users)
        consents, shares = self._shares_across_agencies(cases_by_tag, agencies, users, today)
        counts["consents"] += consents
        counts["shares"] += shares
        return counts

    def _case(self, person, plan: CasePlan, users):
        worker = users[plan.worker]
        case = services.case_open(
            actor=worker,
            person=person,
            opened_on=plan.opened_on,
            main_concern=plan.main_concern,
            other_concerns=plan.other_concerns,
        )
        for contact in plan.contacts:
            services.contact_record_add(
                actor=worker,
                case=case,
                occurred_at=contact.occurred_at,
                method=contact.method,
                minutes=contact.minutes,
                summary=contact.summary,
                next_action=contact.next_action,
            )
        if plan.status == CaseStatus.CLOSED:
            services.case_change_status(
                actor=users[plan.supervisor], case=case, status=CaseStatus.CLOSED, on=plan.closed_on
            )
        elif plan.status != CaseStatus.INTAKE:
            services.case_change_status(actor=worker, case=case, status=plan.status)
        return case

    def _shares_within_agencies(self, cases_by_tag, users) -> int:
        """Every fifth open case of the larger teams is shared with a colleague."""
        teams = ("shakyo", "sougou", "jiritsu")
        colleagues = {
            agency: [u for u, a, role, *_ in STAFF if a == agency and role in CASE_WORKER_ROLES]
            for agency in teams
        }
        shared = 0
        for tag, case in sorted(cases_by_tag.items()):
            agency, _, number = tag.rpartition("_")
            if agency not in colleagues or not number.isdigit() or int(number) % 5 != 1:
                continue
            owner = case.assignments.get().worker
            colleague = next(u for u in colleagues[agency] if u != owner.username)
            services.case_share(actor=owner, case=case, user=users[colleague])
            shared += 1
        return shared

    def _shares_across_agencies(self, cases_by_tag, agencies, users, today) -> tuple[int, int]:
        """Shares with other agencies, each resting on a recorded basis that covers them."""
        scenarios = (
            # (case tag, basis, agencies covered, recipient, note)
            ("8050_parent_0", ConsentBasis.CONSENT, ("shakyo", "sougou"), "csw_shakyo1",
             "同居の子を支援する社協CSWとの情報共有に本人が同意。"),
            ("8050_child_0", ConsentBasis.CONSENT, ("hokubu",), "soudan_hokubu1",
             "親を担当する地域包括支援センターとの情報共有に本人が同意。"),
            ("sougou_0", ConsentBasis.CONSENT, ("jiritsu", "seiho"), "soudan_jiritsu1",
             "家計改善支援と債務整理のため、自立相談支援機関・生活福祉課との共有に本人が同意。"),
            ("toubu_0", ConsentBasis.SUPPORT_MEETING, ("shakyo", "hoken"), "soudan_hoken1",
             "支援会議(社会福祉法第106条の6)の構成員として情報を共有。"),
        )  # fmt: skip
        consents = shares = 0
        for tag, basis, covered, recipient, note in scenarios:
            case = cases_by_tag[tag]
            owner = case.assignments.get().worker
            given_on = min(case.opened_on + datetime.timedelta(days=14), today)
            consent = services.consent_record(
                actor=owner,
                person=case.person,
                basis=basis,
                agencies=[agencies[key] for key in covered],
                given_on=given_on,
                note=note,
            )
            services.case_share(actor=owner, case=case, user=users[recipient], consent=consent)
            consents += 1
            shares += 1
        return consents, shares

    # the logins

    def _print_logins(self, existing: set[str]) -> None:
        rows = [("username", "role", "agency", "name")]
        for username, agency_key, role, family, given in STAFF:
            rows.append((username, Role(role).label, AGENCIES[agency_key][0], f"{family} {given}"))
        rows.append((SUPERUSER[0], "システム管理者", "-", f"{SUPERUSER[1]} {SUPERUSER[2]}"))
        widths = [max(_width(str(row[i])) for row in rows) for i in range(4)]
        self.stdout.write("")
        self.stdout.write("Demo logins:")
        for index, row in enumerate(rows):
            self.stdout.write(
                "  " + "  ".join(_pad(str(c), w) for c, w in zip(row, widths, strict=True)).rstrip()
            )
            if index == 0:
                self.stdout.write("  " + "  ".join("-" * w for w in widths))
        self.stdout.write("")
        self.stdout.write(f"Password for every demo login: {settings.TSUNAGU_DEMO_PASSWORD}")
        if existing:
            self.stdout.write(
                f"{len(existing)} of these accounts already existed and were left unchanged "
                "(a password changed since stays changed)."
            )
