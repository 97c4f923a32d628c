"""The demo world's fixed material: agencies and staff, names, addresses, what each agency
works on, and the words of every record (a text corpus)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from casework.models import (
    Agency,
    CaseStatus,
    ClosureReason,
    Concern,
    ContactMethod,
    EmergencyKind,
    GuardianshipNeed,
    IntakeRoute,
    MeetingKind,
    MonitoringProgress,
    Role,
    Sex,
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


# Single-parent families with school-age children: (district, agency, parent's age, parent's
# sex, the children's ages, the case's status, main concern, whether the parent joins the
# employment programme, the fiscal year their enrolments fall in, "previous" or "current",
# so that both years always have some whatever today is). The children have no case of
# their own: they are household members, and most of them join the study programme
# (子どもの学習・生活支援事業) through the parent's case.
FAMILIES = (
    ("central", "jiritsu", 38, Sex.FEMALE, (9, 13), CaseStatus.MONITORING, C.CHILDCARE, True,
     "previous"),
    ("south", "kodomo", 41, Sex.FEMALE, (14,), CaseStatus.MONITORING, C.CHILDCARE, False,
     "current"),
    ("west", "seiho", 44, Sex.FEMALE, (11, 16), CaseStatus.MONITORING, C.INCOME, True,
     "current"),
    ("east", "sougou", 47, Sex.MALE, (12,), CaseStatus.SUPPORT, C.INCOME, False, ""),
    ("north", "jiritsu", 35, Sex.FEMALE, (8, 10), CaseStatus.CLOSED, C.CHILDCARE, True, ""),
    ("central", "kodomo", 40, Sex.FEMALE, (10, 15), CaseStatus.MONITORING, C.CHILDCARE, False,
     "previous"),
    ("south", "jiritsu", 43, Sex.FEMALE, (13,), CaseStatus.PLANNING, C.INCOME, False, ""),
    ("west", "seiho", 39, Sex.FEMALE, (9, 12), CaseStatus.SUPPORT, C.CHILDCARE, True, ""),
    ("east", "jiritsu", 36, Sex.FEMALE, (8,), CaseStatus.MONITORING, C.INCOME, True, ""),
)  # fmt: skip


# Current statuses and their share of cases; closed cases come on top of these. A case is
# 支援中 from the plan's approval to its first monitoring, then モニタリング.
STATUS_WEIGHTS = (
    (CaseStatus.INTAKE, 8),
    (CaseStatus.SCREENING, 6),
    (CaseStatus.ASSESSMENT, 10),
    (CaseStatus.PLANNING, 9),
    (CaseStatus.SUPPORT, 14),
    (CaseStatus.MONITORING, 24),
    (CaseStatus.CLOSED, 16),
)


# How long ago (days) a case in that status was opened, and how many contacts it has.
OPENED_DAYS_AGO = {
    CaseStatus.INTAKE: (1, 10),
    CaseStatus.SCREENING: (5, 30),
    CaseStatus.ASSESSMENT: (10, 60),
    CaseStatus.PLANNING: (20, 120),
    CaseStatus.SUPPORT: (40, 300),
    CaseStatus.MONITORING: (150, 900),
    CaseStatus.CLOSED: (120, 1100),
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


# What a case needs to show, by hint: "submitted" (its plan awaits approval), "returned"
# (sent back by the supervisor), "overdue" (its monitoring date has passed), "quiet" (no
# contact for 30+ days), "revision_submitted" (a revised plan awaits approval while the
# approved one stays in force), "closure_pending", "closure_rejected", "reopen",
# "employment" (joins the employment programme), "reason:<closure reason>".
#
# The council's CSW of the demo script: her caseload shows every figure of the supervisor's
# review, in the order her cases are drawn.
CSW_DEMO = "csw_shakyo1"


CSW_DEMO_SCENARIOS = (
    (CaseStatus.PLANNING, {"submitted"}),
    (CaseStatus.MONITORING, {"overdue"}),
    (CaseStatus.PLANNING, {"submitted", "quiet"}),
    (CaseStatus.MONITORING, {"closure_pending"}),
    (CaseStatus.CLOSED, {"reopen"}),
    (CaseStatus.SUPPORT, {"overdue"}),
    (CaseStatus.MONITORING, {"revision_submitted"}),
    (CaseStatus.MONITORING, {"quiet", "overdue"}),
    (CaseStatus.SUPPORT, {"quiet"}),
    (CaseStatus.MONITORING, {"revision"}),
)


# Further scenarios, for the first cases of an agency drawn after the fixed ones.
AGENCY_SCENARIOS = {
    "sougou": ((CaseStatus.MONITORING, {"closure_pending"}), (CaseStatus.PLANNING, {"returned"})),
    "jiritsu": (
        (CaseStatus.MONITORING, {"closure_rejected", "employment"}),
        (CaseStatus.MONITORING, {"employment", "revision"}),
        (CaseStatus.CLOSED, {"employment", "reason:goal_achieved"}),
        (CaseStatus.PLANNING, {"submitted"}),
    ),
    "seiho": ((CaseStatus.MONITORING, {"employment"}), (CaseStatus.CLOSED, {"employment"})),
    "hokubu": ((CaseStatus.SUPPORT, {"closure_pending"}), (CaseStatus.PLANNING, {"submitted"})),
    "seibu": ((CaseStatus.CLOSED, {"reason:died"}), (CaseStatus.MONITORING, {"overdue"})),
    "shakyo": ((CaseStatus.PLANNING, {"returned"}), (CaseStatus.CLOSED, {"reason:unreachable"})),
    "toubu": ((CaseStatus.CLOSED, {"reason:moved"}),),
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


class Source(NamedTuple):
    """How a consultation came in: the first contact, the intake route, and who came."""

    method: str
    text: str
    route: str
    visitor: str = ""  # "" when the person came; else family, minsei, newspaper, ...


SOURCES = {
    "self_office": Source(M.VISIT_OFFICE, "本人が来所し相談。", IntakeRoute.VISIT),
    "self_phone": Source(M.PHONE, "本人から電話で相談。", IntakeRoute.PHONE),
    "outreach": Source(
        M.HOME_VISIT, "アウトリーチで訪問し、本人と話した。", IntakeRoute.HOME_VISIT
    ),
    "family_office": Source(M.VISIT_OFFICE, "家族が来所し相談。", IntakeRoute.VISIT, "family"),
    "family_phone": Source(M.PHONE, "家族から電話で相談。", IntakeRoute.PHONE, "family"),
    "minsei": Source(
        M.HOME_VISIT, "民生委員からの連絡を受けて訪問。", IntakeRoute.AGENCY, "minsei"
    ),
    "newspaper": Source(
        M.HOME_VISIT,
        "見守りネットワーク(新聞販売所)からの連絡を受けて訪問。",
        IntakeRoute.WATCH_NETWORK,
        "newspaper",
    ),
    "neighbour": Source(
        M.HOME_VISIT, "近隣住民からの連絡を受けて訪問。", IntakeRoute.OTHER, "neighbour"
    ),
    "msw": Source(
        M.PHONE,
        "病院の医療ソーシャルワーカーから連絡があり、本人と電話で話した。",
        IntakeRoute.AGENCY,
        "msw",
    ),
    "ssw": Source(
        M.PHONE,
        "学校のスクールソーシャルワーカーから連絡があった。",
        IntakeRoute.AGENCY,
        "ssw",
    ),
}


ABUSE_SOURCES = ("self_office", "self_phone", "minsei", "neighbour", "msw")


# Which sources, with which weights, by age group.
SOURCE_WEIGHTS = {
    "elder": (
        ("self_office", 3), ("self_phone", 3), ("family_office", 2), ("family_phone", 2),
        ("minsei", 2), ("newspaper", 1), ("neighbour", 1), ("msw", 1), ("outreach", 1),
    ),
    "adult": (
        ("self_office", 6), ("self_phone", 3), ("family_phone", 1), ("family_office", 1),
        ("msw", 1), ("outreach", 1), ("minsei", 1),
    ),
    "child": (("family_office", 3), ("family_phone", 2), ("ssw", 2)),
}  # fmt: skip


# A relative who came, by the person's age group: (relation, sex, age difference, same name).
RELATIVES = {
    "elder": (
        ("長男", Sex.MALE, -30, True), ("長女", Sex.FEMALE, -28, True),
        ("次男", Sex.MALE, -33, True), ("娘", Sex.FEMALE, -31, True),
        ("息子の妻", Sex.FEMALE, -30, True), ("姪", Sex.FEMALE, -35, False),
    ),
    "adult": (
        ("母", Sex.FEMALE, 28, True), ("父", Sex.MALE, 31, True), ("姉", Sex.FEMALE, 3, False),
        ("兄", Sex.MALE, 4, True), ("妻", Sex.FEMALE, -2, True), ("夫", Sex.MALE, 2, True),
    ),
    "child": (("母", Sex.FEMALE, 30, True), ("父", Sex.MALE, 33, True),
              ("祖母", Sex.FEMALE, 58, True)),
}  # fmt: skip


# Who the other visitors are: (relation as recorded, the word in the 主訴).
VISITORS = {
    "minsei": ("担当地区の民生委員", "民生委員"),
    "newspaper": ("見守りネットワーク協力事業者(新聞販売所の配達員)", "新聞販売所の配達員"),
    "neighbour": ("近隣住民(同じ集合住宅の住民)", "近隣住民"),
    "msw": ("入院先の医療ソーシャルワーカー", "病院の医療ソーシャルワーカー"),
    "ssw": ("在籍校のスクールソーシャルワーカー", "スクールソーシャルワーカー"),
}


# 主訴: what the person (or whoever came) asks about, by main concern.
CHIEF_COMPLAINTS: dict[str, tuple[str, ...]] = {
    C.HEALTH: (
        "持病が悪化し、通院が途切れがちになっている。",
        "体調が悪く家事や買い物ができなくなってきた。医療費の支払いも心配。",
    ),
    C.HOUSING: (
        "建て替えのため立ち退きを求められているが、転居先が見つからない。",
        "年齢を理由に入居を断られ続けており、住む場所が決まらない。",
    ),
    C.INCOME: (
        "収入が減り、生活費が足りない。",
        "勤め先の倒産で収入がなくなり、貯金も底をつきそう。",
    ),
    C.RENT_LOAN: (
        "家賃を2か月滞納しており、管理会社から連絡が来ている。",
        "住宅ローンの返済が苦しく、家を手放すことになるか不安。",
    ),
    C.TAX_UTILITIES: (
        "住民税と電気料金を滞納しており、督促状が届いている。",
        "国民健康保険料を滞納していて、保険証がどうなるか心配。",
    ),
    C.DEBT: (
        "消費者金融など複数の借入があり、返済が難しい。",
        "カードの支払いのために別の借入をしてしまい、返済額が膨らんでいる。",
    ),
    C.JOB_SEARCH: (
        "離職して3か月たつが、仕事が見つからない。",
        "長く働いていないが、そろそろ仕事をしたい。何から始めればよいかわからない。",
    ),
    C.WORK_WORRY: (
        "職場の人間関係で体調を崩し、休職している。",
        "仕事が続かず転職を繰り返している。自分に合う働き方を知りたい。",
    ),
    C.COMMUNITY: (
        "近所付き合いがなく、困った時に頼れる人がいない。",
        "夫を亡くしてから話し相手がいない。一日誰とも話さない日が多い。",
    ),
    C.FAMILY: (
        "同居の家族との関係に悩んでいる。",
        "離れて暮らす親のことが心配だが、仕事があり通えない。",
    ),
    C.CHILDCARE: (
        "ひとりで子育てをしており、仕事との両立が難しい。",
        "子どもが学校の勉強についていけず、塾に通わせる余裕もない。",
    ),
    C.CARE: (
        "同居家族の介護で疲れており、介護保険の使い方がわからない。",
        "最近物忘れが増え、一人暮らしを続けられるか不安。",
    ),
    C.WITHDRAWAL: (
        "長く自宅にこもりがちで、外出の機会がほとんどない。",
        "仕事を辞めてから家にこもりがちで、昼夜が逆転している。",
    ),
    C.ABUSE: (
        "同居の家族から暴言を受けている。",
        "同居の家族に年金を使われてしまい、手元にお金が残らない。",
    ),
    C.FOOD: (
        "所持金がほとんどなく、食べるものがない。",
        "給料日まで食費が足りない。",
    ),
    C.OTHER: (
        "郵便物の整理や各種の手続きに困っている。",
        "役所からの書類の意味がわからず、手続きが止まっている。",
    ),
}


# For a child, the parent or the school speaks.
CHILD_COMPLAINTS: dict[str, str] = {
    C.CHILDCARE: "家で勉強する場所も時間もなく、学習の遅れが心配。",
    C.WITHDRAWAL: "秋から学校に行けておらず、昼夜逆転の生活になっている。",
    C.FAMILY: "親子げんかが絶えず、子どもが家に帰りたがらない。",
    C.ABUSE: "子どもの腕にあざがあり、家で叩かれていると話している。",
    C.INCOME: "給食費や教材費の支払いが難しく、子どもが肩身の狭い思いをしている。",
}


COMPLAINT_8050_PARENT = (
    "自分が亡くなった後、長くひきこもっている子の生活がどうなるか心配。"
    "足腰も弱り、買い物も難しくなってきた。"
)


# The same household, as a neighbour or the 民生委員 sees it.
COMPLAINT_8050_REPORTED = (
    "80代の親が足腰が弱って買い物にも行けず、同居の50代の子は長く外に出ていない様子。"
)


COMPLAINT_8050_CHILD: dict[str, str] = {
    C.WITHDRAWAL: "子が20年近く自宅にこもっている。親も高齢になり、この先が心配。",
    C.JOB_SEARCH: "子が長く働いておらず、親の年金で暮らしている。親亡き後の生活が心配。",
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


CONTACTS_FAMILY = (
    Contact(M.VISIT_OFFICE, (30, 60), "来所。学習支援教室での子どもの様子を共有した。"),
    Contact(M.HOME_VISIT, (30, 60), "訪問。子どもの宿題を見る時間がとれないと話す。"),
    Contact(M.PHONE, (10, 20), "電話。児童扶養手当の現況届の提出を確認した。"),
    Contact(M.ACCOMPANY, (60, 120), "同行して学校の面談に出席。担任と支援の方針を共有した。"),
)


# The last contact of a closed case, by the reason it closed.
CLOSING_CONTACTS: dict[str, tuple[Contact, ...]] = {
    ClosureReason.GOAL_ACHIEVED: (
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
            M.VISIT_OFFICE,
            (30, 60),
            "来所。就労が決まり収入が安定したため、終結について本人と確認した。",
            JOB,
        ),
    ),
    ClosureReason.MOVED: (
        Contact(
            M.PHONE, (10, 30), "電話。転居先の相談窓口に引き継いだことを伝え、終結を確認した。"
        ),
    ),
    ClosureReason.TRANSFERRED: (
        Contact(
            M.PHONE, (10, 30), "電話。引き継ぎ先の機関と面談できたことを確認し、終結を伝えた。"
        ),
    ),
    ClosureReason.UNREACHABLE: (
        Contact(
            M.HOME_VISIT,
            (10, 30),
            "訪問したが不在。電話・手紙にも3か月応答がなく、民生委員も所在を把握していない。",
        ),
    ),
    ClosureReason.PERSON_WISH: (
        Contact(
            M.PHONE,
            (10, 30),
            "本人から電話。しばらく自分でやってみたいとのこと。いつでも相談できると伝えた。",
        ),
    ),
    ClosureReason.DIED: (
        Contact(M.PHONE, (10, 30), "入院先の医療ソーシャルワーカーから、本人が亡くなったと連絡。"),
    ),
}


NEXT_ACTIONS = (
    "1週間後に電話で様子を確認する。",
    "次回訪問時に家計表を一緒に確認する。",
    "来週、区役所への同行を予定。",
    "所内のケース会議で支援方針を検討する。",
    "民生委員に見守りを依頼する。",
    "2週間後に訪問する。",
)


# --- what the workflow records say --------------------------------------------------------

# Short words for a concern, as a worker writes them in a summary.
CONCERN_WORDS: dict[str, str] = {
    C.HEALTH: "病気・健康", C.HOUSING: "住まい", C.INCOME: "収入・生活費",
    C.RENT_LOAN: "家賃の滞納", C.TAX_UTILITIES: "税・公共料金の滞納", C.DEBT: "債務",
    C.JOB_SEARCH: "仕事探し", C.WORK_WORRY: "仕事上の不安", C.COMMUNITY: "地域からの孤立",
    C.FAMILY: "家族関係", C.CHILDCARE: "子育て", C.CARE: "介護",
    C.WITHDRAWAL: "ひきこもり・不登校", C.ABUSE: "虐待・DV", C.FOOD: "食料の不足",
    C.OTHER: "手続きの困りごと",
}  # fmt: skip


# Concerns grouped the way monitoring notes and closure notes speak of them.
GROUPS: dict[str, str] = {
    C.INCOME: "money", C.DEBT: "money", C.RENT_LOAN: "money", C.TAX_UTILITIES: "money",
    C.FOOD: "money", C.JOB_SEARCH: "job", C.WORK_WORRY: "job", C.CARE: "care",
    C.HEALTH: "care", C.COMMUNITY: "isolation", C.WITHDRAWAL: "isolation",
    C.HOUSING: "housing", C.FAMILY: "family", C.CHILDCARE: "family", C.ABUSE: "family",
    C.OTHER: "other",
}  # fmt: skip


SCREENING_CONTINUE = (
    "複数の課題が重なっており、継続的な支援が必要と判断。アセスメントに進む。",
    "本人の意向を確認し、継続支援とした。",
    "緊急性は低いが孤立のおそれがあり、伴走型で支援する。",
)


# (agency the person is referred to, age groups it fits, note)
SCREENING_REFER = (
    ("houkatsu", ("elder",), "介護保険の申請が必要なため、地域包括支援センターにつなぐ。"),
    ("seiho", ("elder", "adult"), "生活保護の申請を希望しており、生活福祉課につなぐ。"),
    ("shougai", ("adult",), "障害福祉サービスの利用について、障害者支援課につなぐ。"),
    (None, ("adult", "elder"), "債務整理が中心の相談のため、法テラスにつなぐ。"),
    ("kodomo", ("child",), "子育て支援の相談として、子ども家庭支援センターにつなぐ。"),
    ("hoken", ("adult", "child"), "心身の不調について、保健センターの保健師につなぐ。"),
    ("jiritsu", ("adult",), "就労と家計の相談として、自立相談支援機関につなぐ。"),
)


# 情報提供のみで終了: what was explained, by the concerns it answers (the first that fits).
SCREENING_INFO_ONLY = (
    ({C.HOUSING, C.RENT_LOAN}, "住居確保給付金の制度を案内した。本人が自分で申請するとのこと。"),
    ({C.FOOD, C.INCOME}, "フードパントリーの利用方法と相談先を案内して終了。"),
    ({C.TAX_UTILITIES, C.DEBT}, "税の分納の窓口を案内した。本人が自分で相談に行くとのこと。"),
    ({C.CARE}, "介護保険の申請方法を案内し、家族が手続きすることになった。"),
    (
        {C.WITHDRAWAL, C.CHILDCARE},
        "教育相談の窓口と地域の居場所を案内した。家族が自分で相談するとのこと。",
    ),
)


SCREENING_INFO_ONLY_OTHER = "制度の案内のみで解決した。再度の相談があれば受けることを伝えた。"


EMERGENCY_FOR: dict[str, EmergencyKind] = {
    C.FOOD: EmergencyKind.FOOD,
    C.INCOME: EmergencyKind.FOOD,
    C.RENT_LOAN: EmergencyKind.LOAN,
    C.DEBT: EmergencyKind.LOAN,
    C.HOUSING: EmergencyKind.SHELTER,
    C.HEALTH: EmergencyKind.MEDICAL,
    C.ABUSE: EmergencyKind.SAFETY,
}


EMERGENCY_TEXTS = {
    EmergencyKind.FOOD: (
        "フードパントリーから5日分の食料を提供した。",
        "社協の緊急食料支援で米とレトルト食品を届けた。",
    ),
    EmergencyKind.LOAN: ("社会福祉協議会の緊急小口資金の貸付申請を支援した。",),
    EmergencyKind.SHELTER: ("住まいを失ったため、一時生活支援事業の宿泊場所を確保した。",),
    EmergencyKind.MEDICAL: ("体調が悪いのに受診を拒んでいたため、説得して内科受診に同行した。",),
    EmergencyKind.SAFETY: ("暴力の訴えがあり、本人の同意を得て一時的に安全な場所へ避難した。",),
}


# --- assessments: one text per section, by age group ("elder", "adult", "child")

HEALTH_TEXTS = {
    "elder": (
        "高血圧と腰痛で近所の内科に通院中。物忘れが少し増えたと話す。",
        "糖尿病で通院しているが、受診が途切れがち。足腰が弱ってきた。",
        "変形性膝関節症で長い距離は歩けない。要支援2。",
        "軽度のアルツハイマー型認知症の診断あり。服薬管理に支援が必要。",
        "大きな病気はないが、食事量が減り体重が落ちている(フレイルの疑い)。",
    ),
    "adult": (
        "うつ病の診断があり、心療内科に月1回通院。睡眠が不安定。",
        "目立った持病はないが、数年健診を受けていない。",
        "腰痛の持病があり、立ち仕事が難しい。",
        "精神障害者保健福祉手帳2級。通院は続けられている。",
        "飲酒量が多く、肝機能の数値が悪いと言われている。",
    ),
    "child": (
        "大きな病気はない。朝起きられず、頭痛を訴えることが多い。",
        "アトピー性皮膚炎で通院中。生活リズムが乱れている。",
        "特になし。朝食をとらない日が多い。",
    ),
}


# Where and with whom the person lives, drawn together so the two sections agree.
HOMES = {
    "elder": (
        ("築40年の木造アパート2階に単身で居住。階段の上り下りが負担になっている。",
         "配偶者とは死別。長男は県外に住み、年1回帰省する程度。"),
        ("持ち家(戸建て)に夫婦で居住。室内に物が多く、転倒の危険がある。",
         "配偶者と2人暮らし。配偶者も要介護1で、互いに支え合っている。"),
        ("都営住宅に単身で居住。エレベーターがある。", "単身。きょうだいとは疎遠。"),
        ("持ち家のマンションに単身で居住。ごみが室内に溜まり始めている。",
         "単身。子はいない。姪が年に数回訪ねてくる。"),
    ),
    "adult": (
        ("民間賃貸アパートに単身で居住。家賃は月6万8千円。", "単身。両親は他界し、姉とは疎遠。"),
        ("実家(親名義の持ち家)に親と同居している。", "高齢の母と同居し、母の介護を担っている。"),
        ("民間賃貸マンションに居住。家賃が収入に比べて高い。", "配偶者と小学生の子と3人暮らし。"),
        ("都営住宅に単身で居住。", "単身。離婚し、子どもとは別に暮らしている。"),
    ),
    "child": (
        ("母と民間賃貸マンションに居住。自分の部屋はない。",
         "母と2人暮らし。母は夜も働いており、夕食は一人でとることが多い。"),
        ("家族4人で2DKの都営住宅に居住。勉強する場所がない。",
         "両親ときょうだいの4人家族。親子の会話が少ない。"),
    ),
    "8050_parent": (
        ("持ち家(戸建て)に子と居住。室内に物が多く、片付けが進まない。",
         "50代の子と2人暮らし。子は長くひきこもりの状態で、本人の年金で生活。"),
    ),
    "8050_child": (
        ("親名義の持ち家(戸建て)に親と居住。",
         "80代の親と2人暮らし。親の年金で生活し、親の通院の付き添いを担う。"),
    ),
    "family": (
        ("民間賃貸アパートに子どもと居住。家賃は月7万5千円。",
         "離婚後、子どもと暮らすひとり親世帯。近くに頼れる親族はいない。"),
    ),
}  # fmt: skip


HOUSING_TROUBLE = (
    "家賃を2か月滞納し、管理会社から退去を求められている。",
    "建て替えのため半年後に退去が必要。転居先は決まっていない。",
    "友人宅に身を寄せており、住民票の住所には住んでいない。",
)


# With whom someone lives when the concern is abuse: the person who may be harming them.
ABUSE_FAMILY = {
    "elder": "同居の長男と2人暮らし。長男は無職で、本人の年金で生活している。",
    "adult": "配偶者と2人暮らし。",
}


INCOME_TEXTS = {
    "elder": (
        "収入は老齢基礎年金のみ(月6万円程度)。預貯金はほとんどない。",
        "厚生年金と遺族年金で月14万円。家計管理はできている。",
        "年金は月10万円ほど。医療費の負担が重く、毎月赤字。",
    ),
    "adult": (
        "無収入。預貯金は残り10万円ほど。",
        "パート収入が月9万円。",
        "傷病手当金の支給が来月で終わる。",
        "日雇いの仕事で月8万〜12万円と不安定。",
    ),
    "child": ("母のパート収入と児童扶養手当で生活。", "世帯で生活保護を受給している。"),
    "8050_parent": ("本人の年金(月12万円)で子と2人が暮らしている。毎月赤字。",),
    "8050_child": ("無収入。親の年金で生活している。",),
    "family": ("パート収入が月9万円と児童扶養手当。", "派遣の仕事で月14万円と児童扶養手当。"),
}


DEBT_TEXTS = {
    "trouble": (
        "消費者金融2社に計約120万円の借入。返済が滞っている。",
        "住民税と国民健康保険料の滞納がある。分納を相談中。",
        "クレジットカードのリボ払いの残高が約60万円。",
        "携帯電話料金を滞納し、回線が止まっている。",
    ),
    "none": ("借入・滞納はないと本人は話す。", "借入はない。家賃の支払いも遅れていない。"),
    "child": ("世帯として給食費の滞納がある。", "特になし。"),
}


EMPLOYMENT_TEXTS = {
    "elder": (
        "就労なし。以前は自営業(飲食店)をしていた。",
        "就労なし。シルバー人材センターへの登録に関心がある。",
        "就労なし。",
    ),
    "adult": (
        "前職は運送業の正社員。体調を崩し昨年退職した。",
        "10年以上就労経験がない。",
        "スーパーでパート勤務(週3日)。",
        "就労意欲はあるが、面接への不安が強い。",
    ),
    "job": (
        "離職して3か月。ハローワークには登録していない。",
        "職場の人間関係で体調を崩し休職中。",
        "派遣の仕事が切れ、次が決まらない。",
    ),
    # after the school year (学年), for a child
    "child": (
        "登校はできているが、宿題ができていない。",
        "部活動には参加しているが、成績が下がっている。",
    ),
    "child_absent": ("2学期からほとんど登校していない。",),
}


COMMUNITY_TEXTS = {
    "adult": (
        "近所付き合いはほとんどない。民生委員の訪問は受け入れている。",
        "以前は町会の行事に参加していたが、最近は外出していない。",
        "地域交流サロンに月1回参加している。",
        "頼れる知人はいない。新聞販売所が見守りネットワークとして気にかけている。",
        "近所の住民とは挨拶程度の付き合い。",
    ),
    "child": ("学校以外の居場所はない。", "地域の児童館に時々行っている。"),
}


CAPACITY_TEXTS = {
    GuardianshipNeed.NONE: (
        "判断能力に問題はなく、自分で意思決定できる。",
        "判断能力に問題はない。書類の理解に支援があると安心とのこと。",
    ),
    GuardianshipNeed.CONSIDER: (
        "物忘れが進み、契約や金銭管理に不安がある。成年後見制度の利用を検討する。",
        "金銭管理が難しくなっている。日常生活自立支援事業か成年後見制度かを検討する。",
    ),
    GuardianshipNeed.NEEDED: (
        "認知症が進み、一人で契約や財産管理をすることが難しい。成年後見(保佐)の申立てが必要。",
    ),
    GuardianshipNeed.IN_USE: (
        "成年後見人(社会福祉士)が選任されており、財産管理は後見人が行っている。",
    ),
}


CAPACITY_CHILD = "未成年。保護者と一緒に本人の意思を確認する。"


ABUSE_NOTES = {
    "elder": (
        "同居の子からの暴言と、年金の使い込みの疑い(経済的虐待)。本人は大ごとにしたくない"
        "と話す。区の高齢者虐待の窓口と対応を協議している。"
    ),
    "adult": "配偶者からの暴力(DV)の訴え。本人の安全を最優先に、避難先の確保を検討している。",
    "child": (
        "子どもの腕にあざがあると学校から連絡があった(身体的虐待の疑い)。児童相談所と"
        "情報を共有し、見守りを強めている。"
    ),
}


APPROACHES = (
    "本人との関係づくりを優先し、伴走型で支援する。",
    "関係機関と役割を分担し、まず生活の安定を図る。",
    "本人の意向を尊重しながら、必要な制度につなぐ。",
    "急がず、本人のペースに合わせて支援を進める。",
)


REASSESSMENT_CHANGES = {
    "money": "滞納が解消し、家計の見通しが立った。次は貯蓄と債務の整理に取り組む。",
    "job": "就労準備支援に通えるようになった。次は求職活動を本格的に始める。",
    "care": "介護保険サービスの利用が定着した。外出の機会を増やすことを次の目標とする。",
    "isolation": "支援者とは会えるようになった。次は地域の居場所につなぐ。",
    "housing": "転居が済み、住まいは落ち着いた。次は家計の立て直しに取り組む。",
    "family": "家族それぞれの支援が始まった。子どもの学習と生活を次の目標とする。",
    "other": "止まっていた手続きが済んだ。次は日常の金銭管理の支援を検討する。",
}


REASSESSMENT_STALLED = "支援が思うように進んでいないため、目標と支援の内容を見直す。"


# --- support plans: by main concern


class PlanText(NamedTuple):
    long_goal: str
    short_goals: tuple[str, ...]
    services: str
    # (what, agency key, or "own" for the owning agency, "houkatsu" for the district's
    # centre, None for someone outside the ward's agencies; who outside; how often)
    actions: tuple[tuple[str, str | None, str, str], ...]


PLANS: dict[str, PlanText] = {
    C.CARE: PlanText(
        "介護サービスを利用しながら、住み慣れた自宅で安心して暮らし続ける。",
        ("要介護認定を申請し、ケアプランを作ってもらう", "週1回は外出し、人と話す機会をつくる",
         "介護する家族の負担を減らす"),
        "介護保険(訪問介護・通所介護)、配食サービス、見守りネットワーク",
        (("要介護認定の申請とケアマネジャー選びを支援する", "houkatsu", "", "申請時に1回"),
         ("訪問し、生活の様子と介護の負担を確認する", "own", "", "月2回"),
         ("訪問介護(生活援助)の利用", None, "居宅介護支援事業所", "週2回"),
         ("家族介護者の会を案内する", "shakyo", "", "月1回")),
    ),
    C.HEALTH: PlanText(
        "通院と服薬を続け、体調を整えて落ち着いた生活を送る。",
        ("かかりつけ医への通院を月1回続ける", "服薬の飲み忘れをなくす", "健診を受ける"),
        "医療費の助成、保健師の健康相談",
        (("受診に同行し、医師と生活の状況を共有する", "own", "", "月1回"),
         ("お薬カレンダーで服薬を確認する", "own", "", "週1回"),
         ("保健師による健康相談・訪問", "hoken", "", "月1回")),
    ),
    C.INCOME: PlanText(
        "収入と支出のバランスを整え、安定した生活を送る。",
        ("家計表をつけて毎月の支出を把握する", "使える減免・給付を申請する",
         "生活費の不足分の見通しを立てる"),
        "家計改善支援事業、国民健康保険料の減免、フードパントリー",
        (("家計表を一緒につけ、支出を見直す(家計改善支援)", "jiritsu", "", "月2回"),
         ("保険料・税の減免申請を支援する", "own", "", "随時"),
         ("生活保護の相談に同行する", "seiho", "", "必要時")),
    ),
    C.DEBT: PlanText(
        "債務を整理し、滞納のない家計で暮らす。",
        ("借入先と残高を一緒に整理する", "法テラスで債務整理の方針を決める",
         "新たな借入をしない"),
        "家計改善支援事業、法テラス(民事法律扶助)",
        (("借入と滞納の一覧を一緒に作る", "own", "", "月2回"),
         ("法テラスでの相談に同行する", None, "法テラス東京", "必要時"),
         ("家計改善支援", "jiritsu", "", "月2回")),
    ),
    C.JOB_SEARCH: PlanText(
        "自分に合った仕事に就き、経済的に自立する。",
        ("生活リズムを整え、週3日は決まった時間に起きる", "ハローワークに求職登録する",
         "応募書類を完成させ、面接を受ける"),
        "自立支援プログラム(就労支援)、就労準備支援事業、ハローワーク",
        (("就労支援員との面談と求人検索", "jiritsu", "", "週1回"),
         ("ハローワークへの同行", None, "ハローワーク渋谷", "月2回"),
         ("応募書類の作成と面接練習", "own", "", "週1回")),
    ),
    C.WORK_WORRY: PlanText(
        "体調と相談しながら、無理なく働き続けられるようにする。",
        ("通院を続け、主治医と働き方を相談する", "職場と勤務時間の調整をする"),
        "傷病手当金、障害者就労支援",
        (("心療内科への通院の継続を支える", "own", "", "月1回"),
         ("障害者就労支援センターでの相談", "shougai", "", "月1回"),
         ("職場との調整について相談に乗る", "own", "", "随時")),
    ),
    C.HOUSING: PlanText(
        "家賃を払い続けられる住まいを確保し、落ち着いて暮らす。",
        ("転居先の条件(家賃・場所)を決める", "住居確保給付金を申請する",
         "転居後の手続きを済ませる"),
        "住居確保給付金、居住支援法人による入居支援",
        (("住居確保給付金の申請を支援する", "jiritsu", "", "申請時に1回"),
         ("不動産店・物件見学に同行する", "own", "", "週1回"),
         ("入居支援と入居後の見守り", None, "居住支援法人", "随時")),
    ),
    C.RENT_LOAN: PlanText(
        "滞納を解消し、今の住まいで暮らし続ける。",
        ("管理会社と分割払いの約束をする", "家賃を期日までに払う"),
        "住居確保給付金、家計改善支援事業",
        (("管理会社との分割払いの交渉を支援する", "own", "", "随時"),
         ("住居確保給付金の申請", "jiritsu", "", "申請時に1回"),
         ("家計改善支援", "jiritsu", "", "月2回")),
    ),
    C.TAX_UTILITIES: PlanText(
        "滞納を解消し、税や公共料金を計画的に払えるようにする。",
        ("納税課と分納の相談をする", "公共料金を口座振替にする"),
        "家計改善支援事業、税・保険料の分納",
        (("税・保険料の分納相談に同行する", "own", "", "月1回"),
         ("家計表による支出の見直し", "jiritsu", "", "月2回")),
    ),
    C.COMMUNITY: PlanText(
        "地域に頼れる人と居場所を持ち、孤立せずに暮らす。",
        ("地域交流サロンに月2回参加する", "困った時に連絡できる人を2人つくる"),
        "地域交流サロン、見守りネットワーク、民生委員の訪問",
        (("地域交流サロンへの参加を支援する", "shakyo", "", "月2回"),
         ("民生委員による見守り訪問", None, "担当地区の民生委員", "月1回"),
         ("電話での安否確認", "own", "", "週1回")),
    ),
    C.WITHDRAWAL: PlanText(
        "自分のペースで、外とのつながりを少しずつ取り戻す。",
        ("支援者と定期的に会えるようにする", "月1回は家の外の居場所に行く"),
        "ひきこもり支援(居場所・家族会)、保健師の相談",
        (("手紙と短時間の訪問で関係をつくる", "own", "", "隔週"),
         ("地域の居場所の見学に同行する", "shakyo", "", "月1回"),
         ("保健師による相談", "hoken", "", "月1回")),
    ),
    C.FAMILY: PlanText(
        "家族それぞれが必要な支援を受け、落ち着いて暮らせるようにする。",
        ("家族それぞれの困りごとを整理する", "関係機関で役割分担を決める"),
        "支援会議による関係機関の連携",
        (("家族それぞれの相談を受け、状況を共有する", "own", "", "月1回"),
         ("支援会議で関係機関の役割を確認する", "sougou", "", "3か月に1回")),
    ),
    C.CHILDCARE: PlanText(
        "子どもが安心して学べ、親子が地域で孤立せずに暮らす。",
        ("子どもが学習支援教室に通えるようにする", "ひとり親家庭の手当・制度を漏れなく申請する"),
        "子どもの学習・生活支援事業、児童扶養手当、ひとり親家庭支援",
        (("子どもの学習・生活支援事業への参加", "jiritsu", "", "週2回"),
         ("子育て支援サービス(ショートステイ等)の案内", "kodomo", "", "必要時"),
         ("手当・制度の申請を支援する", "own", "", "随時")),
    ),
    C.ABUSE: PlanText(
        "安全な環境で、本人が望む暮らしを続ける。",
        ("定期的に安全を確認する", "家族(養護者)の負担を減らす支援を始める"),
        "虐待対応(関係機関の連携)、ショートステイ",
        (("安全確認のための訪問", "own", "", "週1回"),
         ("関係機関での情報共有と対応の協議", "sougou", "", "随時"),
         ("養護者(家族)への相談支援", "own", "", "月1回")),
    ),
    C.FOOD: PlanText(
        "食事に困らない生活を取り戻し、家計を立て直す。",
        ("フードパントリーで当面の食料を確保する", "収入の見通しを立てる"),
        "フードパントリー、家計改善支援事業",
        (("フードパントリーの利用", "shakyo", "", "月2回"),
         ("家計改善支援", "jiritsu", "", "月2回")),
    ),
    C.OTHER: PlanText(
        "必要な手続きを、支援を受けながら自分で進められるようにする。",
        ("届いた郵便物を一緒に確認する", "止まっている手続きを済ませる"),
        "日常生活自立支援事業",
        (("郵便物の整理と手続きの支援", "own", "", "月2回"),
         ("日常生活自立支援事業の利用", "shakyo", "", "月2回")),
    ),
}  # fmt: skip


EMPLOYMENT_ACTION = ("自立支援プログラム(就労支援)への参加", "jiritsu", "", "週1回")


PLAN_RETURN_NOTE = "短期目標が抽象的です。いつまでに何をするかがわかるように書き直してください。"


MONITORING_NOTES = {
    "money": (
        "家計表をつけることが習慣になり、支出が減ってきた。",
        "減免の申請は済んだが、まだ毎月赤字が続いている。",
    ),
    "job": (
        "就労準備支援に休まず通えている。面接を受ける段階に進む。",
        "求職活動は続けているが、面接に至っていない。",
    ),
    "care": (
        "介護保険サービスの利用が定着し、生活が安定している。",
        "サービスの利用は始まったが、外出の機会はまだ少ない。",
    ),
    "isolation": (
        "サロンに自分で通えるようになった。表情も明るい。",
        "訪問には応じるが、外出はまだ難しい。",
    ),
    "housing": (
        "転居先が決まり、入居の手続きを進めている。",
        "物件探しを続けているが、条件に合う物件が見つからない。",
    ),
    "family": (
        "家族それぞれの支援が始まり、家庭内が落ち着いてきた。",
        "子どもは学習支援教室に通い始めたが、休みがちである。",
    ),
    "other": (
        "手続きが一通り済み、郵便物も自分で確認できている。",
        "手続きは進んでいるが、書類の理解に支援が必要。",
    ),
}


MONITORING_STALLED = (
    "連絡がつきにくい時期があり、支援が進んでいない。訪問の頻度を上げる。",
    "体調の波があり、予定した支援が進まなかった。",
)


MONITORING_WORSE = (
    "体調を崩して入院した。退院後の生活について病院と調整する。",
    "滞納が再び生じた。家計の見直しをやり直す。",
)


EVALUATION_ACHIEVED = "短期目標をすべて達成した。本人も生活が安定したと話している。"


PROGRESS_WEIGHTS: tuple[tuple[MonitoringProgress, int], ...] = (
    (MonitoringProgress.ON_TRACK, 4),
    (MonitoringProgress.PARTLY, 4),
    (MonitoringProgress.STALLED, 2),
    (MonitoringProgress.WORSE, 1),
)


# --- closure

# Handed over to another agency (TRANSFER_NOTES names the agency for the ward's own).
_TRANSFERRED = (
    "生活保護の受給が決まり、生活福祉課に引き継いだ。",
    "要介護認定を受け、地域包括支援センターとケアマネジャーに引き継いだ。",
    "障害福祉サービスの利用が決まり、障害者支援課に引き継いだ。",
)


# By reason: a note by concern group (GROUPS) when the goals were achieved, else notes to
# choose from.
CLOSURE_NOTES: dict[str, dict[str, str] | tuple[str, ...]] = {
    ClosureReason.GOAL_ACHIEVED: {
        "money": "滞納が解消し、本人が自分で家計を管理できるようになった。",
        "job": "就労が定着し、収入が安定した。",
        "care": "介護保険サービスの利用が定着し、生活が安定した。",
        "isolation": "地域のサロンに自分で通えるようになった。見守りは民生委員に引き継いだ。",
        "housing": "転居が済み、新しい住まいで落ち着いて暮らしている。",
        "family": "家族それぞれが必要な支援につながり、生活が落ち着いた。",
        "other": "必要な手続きが済み、困りごとは解消した。",
    },
    ClosureReason.TRANSFERRED: _TRANSFERRED,
    ClosureReason.MOVED: (
        "区外の親族宅へ転居した。転居先の相談窓口に本人の同意を得て情報提供した。",
        "区外の介護付き有料老人ホームに入居した。",
    ),
    ClosureReason.UNREACHABLE: (
        "3か月間、電話・手紙・訪問で連絡を試みたが応答がない。民生委員にも確認したが所在は不明。",
    ),
    ClosureReason.PERSON_WISH: (
        "本人から、しばらくは自分でやってみたいとの申し出があった。困った時は連絡するよう伝えた。",
    ),
    ClosureReason.DIED: ("入院先の病院で逝去されたと、医療ソーシャルワーカーから連絡があった。",),
}


# Where a case referred at screening was handed over, by the agency it went to.
TRANSFER_NOTES = {
    "seiho": _TRANSFERRED[0],
    "hokubu": _TRANSFERRED[1],
    "toubu": _TRANSFERRED[1],
    "seibu": _TRANSFERRED[1],
    "shougai": _TRANSFERRED[2],
    "kodomo": "子ども家庭支援センターでの支援が始まったことを確認し、引き継いだ。",
    "hoken": "保健センターの保健師による支援が始まったことを確認し、引き継いだ。",
    "jiritsu": "自立相談支援機関での支援が始まったことを確認し、引き継いだ。",
    "external": "法テラスで債務整理の手続きが始まったことを確認し、引き継いだ。",
}


CLOSURE_REJECTED_NOTE = (
    "就労開始から1か月で、定着を確かめるにはまだ早い。あと3か月は月1回の面談を続けること。"
)


REOPEN_REASONS = {
    "money": "本人から再度相談があった。家賃の滞納が再び生じており、支援を再開する。",
    "care": "家族から再度相談があった。体調を崩して外出できなくなっており、支援を再開する。",
    "isolation": "民生委員から、再び外出しなくなったと連絡があった。本人と相談し、支援を再開する。",
}


REOPEN_OTHER = "本人から再度相談があった。生活に不安があるとのことで、支援を再開する。"


EMPLOYED_NOTES = (
    "物流センターの軽作業(週4日・パート)に就職。",
    "介護施設の清掃スタッフとして採用(週5日)。",
    "スーパーの品出し(週3日・アルバイト)に就職。",
    "事務補助(契約社員)として採用。",
    "ビルメンテナンス会社に正社員として就職。",
)


INCOME_UP_NOTES = (
    "勤務日数が週3日から週5日に増えた。",
    "契約社員から正社員に登用され、月収が増えた。",
    "資格を取得し、時給が上がった。",
)


# --- meetings


class MeetingPlan(NamedTuple):
    kind: str
    recorder: str
    attending: tuple[str, ...]
    title: str
    decisions: str
    # explicit case tags, or the agency whose cases are discussed and how many
    tags: tuple[str, ...] = ()
    agency: str = ""
    count: int = 0  # type: ignore[assignment]  # shadows tuple.count; read as meeting.count
    days_ago: tuple[int, int] = (7, 60)
    concern: str = ""  # prefer cases with this main concern


MEETINGS = (
    MeetingPlan(
        MeetingKind.COORDINATION, "sv_jiritsu", ("jiritsu", "seiho", "sougou", "shakyo"),
        "支援調整会議(プランの確認)",
        "対象ケースのプランを確認し、了承した。うち1件は家計改善支援事業の利用を加える。"
        "次回は来月の第2水曜日。",
        agency="jiritsu", count=3, days_ago=(5, 20),
    ),
    MeetingPlan(
        MeetingKind.COORDINATION, "sv_jiritsu", ("jiritsu", "seiho", "shakyo"),
        "支援調整会議(プランの確認・評価)",
        "プラン2件を了承。評価1件について、就労が定着するまで支援を続けることを確認した。",
        agency="jiritsu", count=3, days_ago=(35, 50),
    ),
    MeetingPlan(
        MeetingKind.COORDINATION, "sv_jiritsu", ("jiritsu", "seiho", "sougou"),
        "支援調整会議(新規プラン)",
        "新規プラン3件を了承した。住居確保給付金の申請状況を次回確認する。",
        agency="jiritsu", count=3, days_ago=(65, 80),
    ),
    MeetingPlan(
        MeetingKind.SUPPORT_MEETING, "sv_toubu", ("toubu", "shakyo", "hoken"),
        "支援会議(セルフネグレクトの疑いのある高齢者)",
        "室内の衛生状態が悪化しており、保健師と社協CSWが同行訪問する。本人が受け入れや"
        "すい民生委員を窓口にする。構成員には守秘義務があることを確認した。",
        tags=("toubu_0",), days_ago=(10, 40),
    ),
    MeetingPlan(
        MeetingKind.SUPPORT_MEETING, CSW_DEMO, ("shakyo", "hokubu", "hoken"),
        "支援会議(8050世帯の支援方針)",
        "親の介護は地域包括支援センター、子の相談は社協CSWが担う。子への訪問は週1回、"
        "親の通院日に合わせる。次回は3か月後に開催する。",
        tags=("8050_parent_0", "8050_child_0"), days_ago=(14, 45),
    ),
    MeetingPlan(
        MeetingKind.SUPPORT_MEETING, "sv_seibu", ("seibu", "shakyo", "sougou"),
        "支援会議(虐待の疑いのある高齢者世帯)",
        "本人の安全確認を週1回行う。養護者である家族の相談先を確保し、負担の軽減を図る。",
        agency="seibu", count=1, days_ago=(20, 70), concern=C.ABUSE,
    ),
    MeetingPlan(
        MeetingKind.MULTILAYER, "sv_sougou",
        ("sougou", "shakyo", "jiritsu", "shougai", "kodomo", "hoken"),
        "重層的支援会議(複合的な課題を抱える世帯)",
        "支援プランを共有し、各機関の役割を確認した。家計は自立相談支援機関、居場所は社協、"
        "健康面は保健センターが担う。",
        agency="sougou", count=2, days_ago=(15, 45),
    ),
    MeetingPlan(
        MeetingKind.MULTILAYER, "sv_sougou", ("sougou", "shakyo", "seiho", "hokubu"),
        "重層的支援会議(支援の評価)",
        "前回決めた役割分担の進み具合を確認した。1件は支援が進んでいるため、次回で評価する。",
        agency="sougou", count=2, days_ago=(90, 130),
    ),
    MeetingPlan(
        MeetingKind.COMMUNITY_CARE, "sv_hokubu", ("hokubu", "shakyo", "hoken", "sougou"),
        "地域ケア会議(北部地区・個別ケース検討)",
        "個別ケースの検討から、ごみ出しが難しい高齢者が地区で増えていることを確認した。"
        "協議体に報告し、支え合いの仕組みを検討してもらう。",
        agency="hokubu", count=2, days_ago=(20, 60),
    ),
    MeetingPlan(
        MeetingKind.COMMUNITY_CARE, "sv_seibu", ("seibu", "shakyo", "hoken"),
        "地域ケア会議(西部地区・個別ケース検討)",
        "認知症の一人暮らし高齢者の見守りについて、商店会と新聞販売所の協力を得ることにした。",
        agency="seibu", count=2, days_ago=(30, 90),
    ),
    MeetingPlan(
        MeetingKind.COMMUNITY_CARE, "sv_toubu", ("toubu", "shakyo", "sougou"),
        "地域ケア会議(東部地区・個別ケース検討)",
        "退院後の在宅生活について、医療と介護の連携の課題を整理した。",
        agency="toubu", count=2, days_ago=(40, 100),
    ),
)  # fmt: skip
