"""The outreach demo's fixed material: staff by district, partners, events, groups,
services, reports and visit notes (a text corpus)."""

from __future__ import annotations

from outreach.models import (
    EventCategory,
    EventTheme,
    GroupKind,
    Observation,
    ReporterKind,
    ServiceKind,
    VisitResult,
)

SEED = 2026


# Who works community activities in each district: the council's 地区担当 CSW first, then
# the district's own agency (地域包括支援センター / 保健センター) where there is one.
DISTRICT_STAFF = {
    "north": ("csw_shakyo1", "soudan_hokubu1"),
    "east": ("csw_shakyo1", "soudan_toubu1"),
    "central": ("csw_shakyo2",),
    "south": ("csw_shakyo2", "soudan_hoken1"),
    "west": ("csw_shakyo3", "soudan_seibu1"),
}


# A second visitor from the same agency (訪問は二人で).
PARTNER = {
    "csw_shakyo1": "soudan_shakyo1",
    "csw_shakyo2": "csw_shakyo3",
    "csw_shakyo3": "csw_shakyo2",
    "soudan_shakyo1": "csw_shakyo1",
    "sv_shakyo": "csw_shakyo1",
    "soudan_hokubu1": "sv_hokubu",
    "soudan_toubu1": "sv_toubu",
    "soudan_seibu1": "sv_seibu",
    "soudan_hoken1": "sv_hoken",
    "soudan_sougou1": "soudan_sougou2",
    "soudan_sougou2": "soudan_sougou1",
    "csw_sougou1": "soudan_sougou1",
}


# --- awareness events ----------------------------------------------------------------------

T, K = EventTheme, EventCategory


# (title, theme, category, district code or None for ward-wide, organizer's staff)
EVENTS = (
    (
        "助けてと言える社会づくり講演会「ひとりで抱えない暮らし」",
        T.HELP_SEEKING,
        K.LECTURE,
        None,
        "csw_shakyo1",
    ),
    ("認知症サポーター養成講座(北部)", T.DEMENTIA, K.WORKSHOP, "north", "soudan_hokubu1"),
    (
        "助けてと言える社会づくり 地区懇談会(東部)",
        T.HELP_SEEKING,
        K.WORKSHOP,
        "east",
        "soudan_toubu1",
    ),
    ("成年後見制度を知る講演会", T.GUARDIANSHIP, K.LECTURE, None, "sv_shakyo"),
    (
        "介護予防講演会「フレイルを防ぐ食と運動」",
        T.CARE_PREVENTION,
        K.LECTURE,
        "south",
        "soudan_hoken1",
    ),
    (
        "助けてと言える社会づくりシンポジウム 〜地域でつながる〜",
        T.HELP_SEEKING,
        K.SYMPOSIUM,
        None,
        "sv_sougou",
    ),
    ("民生委員・事業者向け 見守りネットワーク研修", T.OTHER, K.WORKSHOP, None, "csw_shakyo2"),
    ("助けてと言える社会づくり講演会(西部)", T.HELP_SEEKING, K.LECTURE, "west", "soudan_seibu1"),
    ("めぐろ手ぬぐい体操 普及講習会", T.CARE_PREVENTION, K.WORKSHOP, "central", "csw_shakyo2"),
    ("認知症の理解を深める講演会", T.DEMENTIA, K.LECTURE, "west", "soudan_seibu1"),
    (
        "助けてと言える社会づくり ミニ講座(中央)",
        T.HELP_SEEKING,
        K.LECTURE,
        "central",
        "csw_shakyo2",
    ),
    ("権利擁護・成年後見 研修会", T.GUARDIANSHIP, K.WORKSHOP, "east", "soudan_toubu1"),
    (
        "助けてと言える社会づくりシンポジウム(南部)",
        T.HELP_SEEKING,
        K.SYMPOSIUM,
        "south",
        "soudan_hoken1",
    ),
    ("認知症カフェ交流会", T.DEMENTIA, K.OTHER, "north", "soudan_hokubu1"),
    (
        "助けてと言える社会づくり講演会「SOSを出せる地域へ」",
        T.HELP_SEEKING,
        K.LECTURE,
        None,
        "csw_shakyo3",
    ),
    ("介護予防 いきいき健康まつり", T.CARE_PREVENTION, K.OTHER, None, "sv_shakyo"),
)


# --- activity groups -----------------------------------------------------------------------

G = GroupKind


# (name pattern, kind, care prevention, days between sessions, capacity range or None,
#  months since the start, staff index in DISTRICT_STAFF (clamped))
GROUPS = (
    ("めぐろ手ぬぐい体操 {town}会", G.EXERCISE, True, 7, (22, 30), 19, 0),
    ("めぐろ手ぬぐい体操 {town}クラブ", G.EXERCISE, True, 14, (15, 22), 19, 0),
    ("{town}ふれあいサロン", G.SALON, False, 14, None, 19, 1),
    ("認知症予防 {town}脳いきいき教室", G.DEMENTIA_PREVENTION, True, 14, (15, 20), 19, 0),
)


# One newer group in the central district.
NEW_GROUP = ("{town} お口の健康かみかみ教室", G.NUTRITION_ORAL, True, 14, (12, 16), 4, 0)


# --- new life-support services ---------------------------------------------------------------

S = ServiceKind


SERVICES = {
    "north": (("駒場 見守り声かけ隊", S.WATCHING), ("青葉台 ふれあい会食会", S.MEALS)),
    "east": (("中目黒 買い物お助け便", S.SHOPPING), ("下目黒 みんなの居場所カフェ", S.PLACE)),
    "central": (
        ("五本木 配食ボランティア", S.MEALS),
        ("祐天寺 ちょこっと家事サポート", S.HOUSEWORK),
    ),
    "south": (
        ("碑文谷 買い物送迎ボランティア", S.TRANSPORT),
        ("原町 ごみ出し見守り支援", S.WATCHING),
    ),
    "west": (
        ("自由が丘 地域の居場所「ひだまり」", S.PLACE),
        ("八雲 移動販売で買い物支援", S.SHOPPING),
    ),
}


SERVICE_TEXTS = {
    S.WATCHING: "町会の有志が週に一度、一人暮らしの高齢者宅に声かけをする。",
    S.MEALS: "地域の飲食店と協力し、月に二回の会食と配食を行う。",
    S.PLACE: "空き店舗を活用し、誰でも立ち寄れる居場所を週三日開く。",
    S.TRANSPORT: "ボランティアの送迎で通院・買い物の移動を支える。",
    S.HOUSEWORK: "電球交換やごみ出しなど、ちょっとした家事を住民どうしで手伝う。",
    S.SHOPPING: "商店会と連携し、買い物が難しい方に移動販売・買い物代行を行う。",
}


# --- the watch network -------------------------------------------------------------------

R = ReporterKind


REPORTERS: dict[str, tuple[str, str]] = {
    R.MINSEI: ("民生委員 {name}", "03-37{n:02d}-{m:04d}"),
    R.NEIGHBOUR: ("近隣住民 {name}", "090-{m:04d}-{n:04d}"),
    R.NEWSPAPER: ("めぐろ新聞販売所 {town}店", "03-37{n:02d}-{m:04d}"),
    R.MEALS: ("ふれあい配食センター", "03-3711-{m:04d}"),
    R.GAS: ("城南ガスサービス 目黒営業所", "03-3712-{m:04d}"),
    R.ELECTRICITY: ("みなと電力 お客さまセンター", "0120-{n:03d}-{m:03d}"),
    R.DELIVERY: ("さくら急便 目黒営業所", "03-3713-{m:04d}"),
    R.POLICE: ("目黒警察署 生活安全課", "03-3710-0110"),
    R.ANONYMOUS: ("", ""),
    R.OTHER: ("アパート管理会社 {town}不動産", "03-3714-{m:04d}"),
}


NOTICED: dict[str, str] = {
    R.MINSEI: "一人暮らしの高齢者。この二週間ほど外出する姿を見かけず、訪ねても出てこない。",
    R.NEIGHBOUR: "隣の部屋から異臭がする。夜中に大きな声が聞こえることもある。",
    R.NEWSPAPER: "新聞が三日分たまっている。いつもは朝のうちに取り込まれている。",
    R.MEALS: "配食の弁当を届けたが応答がない。前日の弁当も玄関前に残っていた。",
    R.GAS: "ガスの使用量が急に途絶えている。検針時に呼び鈴を押したが応答がない。",
    R.ELECTRICITY: "電気料金の滞納が続き、停止予告後も連絡が取れない。",
    R.DELIVERY: "再配達が続き不在票がたまっている。室内で物音はする。",
    R.POLICE: "道に迷っていた高齢者を保護した。自宅は確認できたが同居の家族はいない様子。",
    R.ANONYMOUS: "近所の家の前がごみであふれ、住んでいる方がやせてきているように見える。",
    R.OTHER: "管理するアパートの家賃が二か月滞り、郵便受けがあふれている。",
}


SUBJECTS = (
    "80代くらいの男性、一人暮らし",
    "70代の女性、足が悪い様子",
    "高齢の夫婦",
    "90歳前後の女性",
    "60代の男性、ひきこもりがち",
    "",
)


URGENT_KINDS = (R.POLICE, R.GAS, R.MEALS)


# What happens to the n-th report in each district (the demo shows every triage state).
TRIAGE = ("new", "closed", "assigned", "new", "linked", "assigned", "closed", "new")


OPEN_CASE_DISTRICTS = ("north", "west")


CLOSE_REASONS = (
    "訪問して本人と面会した。旅行で留守にしていただけで、心配はなかった。",
    "家族が同居を始めており、見守りの体制がある。",
    "担当のケアマネジャーがすでに関わっており、対応済みであることを確認した。",
    "通報者の勘違いで、別の住戸のことだった。",
)


# --- outreach visits ---------------------------------------------------------------------

Obs = Observation


VISIT_NOTES: dict[str, tuple[str, ...]] = {
    VisitResult.MET: (
        "玄関先で本人と話せた。食事はとれているとのこと。次回は室内の様子も確認したい。",
        "本人と面会。困りごとを少しずつ話してくれた。地域のサロンを案内した。",
        "本人と面会し、介護保険の申請について説明した。前向きに検討するとのこと。",
    ),
    VisitResult.ABSENT: (
        "呼び鈴に応答なし。不在連絡票を投函した。",
        "応答なし。近隣に声をかけたが最近見かけていないとのこと。",
        "不在。電気メーターは動いていた。",
    ),
    VisitResult.REFUSED: ("インターホン越しに「何も困っていない」と訪問を断られた。",),
    VisitResult.CANCELLED: ("本人から体調不良のため延期したいと連絡があり中止した。",),
}


PURPOSES = ("安否確認", "生活状況の確認", "関係づくりのための訪問", "支援の提案")
