"""Demo outreach and community work, made through the services (run after seed_demo).

Awareness events over this and the last fiscal year, activity groups in every district with
their sessions and registered participants, new life-support services, watch-network reports
in every triage state, and outreach visits with every result (one case with three 不在 in a
row, visits planned for this week, a few past ones not yet recorded).

Deterministic (one fixed seed, dates relative to today). Idempotent: it does nothing when any
awareness event or watch report exists. Refuses DEBUG off unless --force.
"""

from __future__ import annotations

import datetime
import random

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from casework import access
from casework import services as casework_services
from casework.demo.texts import (
    FAMILY_NAMES,
    GIVEN_NAMES,
    KANJI_DIGITS,
    TOWNS,
)
from casework.models import (
    Case,
    CaseAssignment,
    CaseStatus,
    Concern,
    District,
    IntakeConsent,
    Sex,
    StaffMembership,
)
from outreach import services
from outreach.models import (
    AwarenessEvent,
    EventCategory,
    EventTheme,
    GroupKind,
    Observation,
    ReporterKind,
    ReportUrgency,
    ServiceKind,
    VisitResult,
    WatchReport,
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
REPORTERS = {
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
NOTICED = {
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
VISIT_NOTES = {
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


def _days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)


class Command(BaseCommand):
    help = "Create demo outreach visits, watch reports and community work (after seed_demo)."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Run even with DEBUG off.")

    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_outreach refuses to run with DEBUG off. Use --force only on a "
                "disposable demo database."
            )
        if AwarenessEvent.objects.exists() or WatchReport.objects.exists():
            self.stdout.write("Outreach demo data exists already: nothing to do.")
            return
        with transaction.atomic():
            counts = _Seeder().run()
        self.stdout.write("Created " + ", ".join(f"{n} {what}" for what, n in counts.items()) + ".")


class _Seeder:
    def __init__(self):
        self.rng = random.Random(SEED)
        self.today = timezone.localdate()
        self.now = timezone.now()
        self.districts = {d.code: d for d in District.objects.all()}
        names = set(PARTNER) | set(PARTNER.values()) | {e[4] for e in EVENTS}
        self.users = {u.username: u for u in get_user_model().objects.filter(username__in=names)}
        missing = names - set(self.users)
        if missing or set(self.districts) != set(DISTRICT_STAFF):
            raise CommandError("Run seed_demo first: demo staff or districts are missing.")
        self.counts = dict.fromkeys(
            ("events", "groups", "sessions", "participants", "services", "reports", "visits"),
            0,
        )

    def run(self) -> dict[str, int]:
        self.events()
        self.groups()
        self.life_support_services()
        self.reports()
        self.case_visits()
        return self.counts

    # --- helpers ---------------------------------------------------------------------------

    def at(self, day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))

    def between(self, low: datetime.date, high: datetime.date) -> datetime.date:
        if high <= low:
            return low
        return low + _days(self.rng.randint(0, (high - low).days))

    def staff_of(self, code: str, index: int = 0):
        names = DISTRICT_STAFF[code]
        return self.users.get(names[min(index, len(names) - 1)]) or self.user(names[0])

    def user(self, username: str):
        if username not in self.users:
            self.users[username] = get_user_model().objects.get(username=username)
        return self.users[username]

    def partner(self, user):
        return self.user(PARTNER[user.username]) if user.username in PARTNER else None

    def name(self, *, born: int, sex: str) -> tuple[str, str, str, str]:
        family, family_kana = self.rng.choice(FAMILY_NAMES)
        cohort = "before1950" if born < 1950 else "1950s_1970s"
        given, given_kana = self.rng.choice(GIVEN_NAMES[cohort][sex])
        return family, given, family_kana, given_kana

    def address(self, code: str) -> tuple[str, str]:
        town, chome_count = self.rng.choice(TOWNS[code])
        chome = KANJI_DIGITS[self.rng.randint(1, chome_count)]
        return (
            town,
            f"目黒区{town}{chome}丁目{self.rng.randint(1, 30)}番{self.rng.randint(1, 25)}号",
        )

    # --- awareness events -----------------------------------------------------------------

    def events(self) -> None:
        fiscal_start = datetime.date(
            self.today.year if self.today.month >= 4 else self.today.year - 1, 4, 1
        )
        start = fiscal_start.replace(year=fiscal_start.year - 1) + _days(20)
        span = (self.today - start).days
        for i, (title, theme, category, code, organizer) in enumerate(EVENTS):
            held_on = start + _days(span * i // len(EVENTS) + self.rng.randint(0, 12))
            if i == len(EVENTS) - 1:  # this fiscal year has an event, even in its first days
                held_on = max(held_on, fiscal_start)
            if theme == EventTheme.HELP_SEEKING:
                participants = self.rng.randint(30, 300 if code is None else 120)
            else:
                participants = self.rng.randint(20, 150)
            services.event_record(
                actor=self.user(organizer),
                title=title,
                theme=theme,
                category=category,
                held_on=min(held_on, self.today),
                district=self.districts[code] if code else None,
                participants=participants,
            )
            self.counts["events"] += 1

    # --- activity groups ------------------------------------------------------------------

    def groups(self) -> None:
        for code, district in self.districts.items():
            towns = [t for t, _ in TOWNS[code]]
            plans = list(GROUPS) + ([NEW_GROUP] if code == "central" else [])
            for i, (pattern, kind, prevention, every, capacity, months, who) in enumerate(plans):
                town = towns[i % len(towns)]
                actor = self.staff_of(code, who)
                started_on = self.today - _days(months * 30 + self.rng.randint(0, 20))
                group = services.group_create(
                    actor=actor,
                    name=pattern.format(town=town),
                    kind=kind,
                    is_care_prevention=prevention,
                    district=district,
                    venue=f"{town}住区センター",
                    capacity=self.rng.randint(*capacity) if capacity else None,
                    started_on=started_on,
                )
                self.counts["groups"] += 1
                self.sessions(group, actor, every)
                if prevention:
                    self.participants(group, code)

    def sessions(self, group, actor, every: int) -> None:
        day = group.started_on + _days(self.rng.randint(0, 6))
        while day < self.today:
            year_end = (day.month == 12 and day.day >= 28) or (day.month == 1 and day.day <= 4)
            if not year_end and self.rng.random() > 0.04:
                if group.capacity:
                    attendance = self.rng.randint(group.capacity * 6 // 10, group.capacity)
                else:
                    attendance = self.rng.randint(8, 25)
                services.session_record(
                    actor=actor, group=group, held_on=day, attendance=attendance
                )
                self.counts["sessions"] += 1
            day += _days(every)

    def participants(self, group, code: str) -> None:
        # Persons are registered by the council's CSW of the district, who holds them.
        actor = self.staff_of(code, 0)
        for _ in range(self.rng.randint(5, 8)):
            born = self.rng.randint(1934, 1957)
            sex = Sex.FEMALE if self.rng.random() < 0.7 else Sex.MALE
            family, given, family_kana, given_kana = self.name(born=born, sex=sex)
            person = casework_services.person_create(
                actor=actor,
                family_name=family,
                given_name=given,
                family_name_kana=family_kana,
                given_name_kana=given_kana,
                birth_date=datetime.date(born, self.rng.randint(1, 12), self.rng.randint(1, 28)),
                sex=sex,
                address=self.address(code)[1],
                district=self.districts[code],
            )
            joined_on = self.between(group.started_on, self.today - _days(14))
            participant = services.participant_register(
                actor=actor,
                group=group,
                person=person,
                joined_on=joined_on,
                in_community_activity=self.rng.random() < 0.4,
            )
            self.counts["participants"] += 1
            if self.rng.random() < 0.12 and joined_on <= self.today - _days(45):
                services.participant_update(
                    actor=actor,
                    participant=participant,
                    in_community_activity=participant.in_community_activity,
                    left_on=self.between(joined_on + _days(30), self.today - _days(1)),
                )

    # --- new life-support services -------------------------------------------------------

    def life_support_services(self) -> None:
        for code, district in self.districts.items():
            actor = self.staff_of(code, 0)
            for i, (name, kind) in enumerate(SERVICES[code]):
                services.service_record(
                    actor=actor,
                    name=name,
                    kind=kind,
                    district=district,
                    created_on=self.today - _days(self.rng.randint(20, 540)),
                    council=f"{district.name}地区協議体" if i == 0 else "",
                    supported_by=None if i == 0 else actor,
                    description=SERVICE_TEXTS[kind],
                )
                self.counts["services"] += 1

    # --- the watch network ---------------------------------------------------------------

    def reports(self) -> None:
        kinds = list(ReporterKind)
        linkable = self.linkable_cases()
        n = 0
        for code in self.districts:
            for i, outcome in enumerate(TRIAGE):
                kind = kinds[n % len(kinds)]
                n += 1
                case = None
                if outcome == "linked":
                    case = linkable.get(code)
                    if case is None:
                        outcome = "assigned"
                if outcome == "assigned" and i == 5 and code in OPEN_CASE_DISTRICTS:
                    outcome = "case_opened"
                self.report(code, kind, outcome, i, case)

    def linkable_cases(self) -> dict[str, Case]:
        """Per district, an open case of a local or ward-wide agency, with its worker."""
        found: dict[str, Case] = {}
        assignments = (
            CaseAssignment.objects.filter(
                ended_at__isnull=True, case__person__district__isnull=False
            )
            .exclude(case__status=CaseStatus.CLOSED)
            .select_related("case__person__district", "worker")
            .order_by("case__pk", "pk")
        )
        for a in assignments:
            code = a.case.person.district.code
            membership = access.membership_of(a.worker)
            if code in found or membership is None or not membership.handles_cases:
                continue
            if membership.agency.district_id not in (None, a.case.person.district_id):
                continue
            a.case.worker = a.worker
            found[code] = a.case
        return found

    def report(self, code: str, kind: str, outcome: str, i: int, case: Case | None) -> None:
        district = self.districts[code]
        local = DISTRICT_STAFF[code]
        receiver = case.worker if case else self.user(local[(i // 2) % len(local)])
        days_ago = {"new": self.rng.randint(0, 10)}.get(outcome, self.rng.randint(8, 150))
        received_on = self.today - _days(days_ago)
        received_at = min(
            self.at(received_on, self.rng.randint(9, 17), self.rng.randint(0, 59)), self.now
        )
        town, address = self.address(code)
        born = self.rng.randint(1932, 1960)
        sex = self.rng.choice((Sex.MALE, Sex.FEMALE))
        family, given, family_kana, given_kana = self.name(born=born, sex=sex)
        subject_name = "" if self.rng.random() < 0.35 else f"{family} {given}"
        if case is not None:
            subject_name, address = str(case.person), case.person.address or address
        who = self.name(born=1955, sex=self.rng.choice((Sex.MALE, Sex.FEMALE)))
        name_pattern, contact_pattern = REPORTERS[kind]
        urgent = (kind in URGENT_KINDS and self.rng.random() < 0.6) or (
            kind == R.NEIGHBOUR and i == 0
        )
        report = services.report_receive(
            actor=receiver,
            reporter_kind=kind,
            reporter_name=name_pattern.format(name=f"{who[0]} {who[1]}", town=town),
            reporter_contact=contact_pattern.format(
                n=self.rng.randint(10, 99), m=self.rng.randint(100, 999)
            ),
            received_at=received_at,
            address=address,
            district=district,
            subject_name=subject_name,
            subject_description=self.rng.choice(SUBJECTS),
            noticed=NOTICED[kind],
            urgency=ReportUrgency.URGENT if urgent else ReportUrgency.NORMAL,
        )
        self.counts["reports"] += 1
        if outcome == "new":
            return
        if outcome == "linked":
            services.report_link(actor=receiver, report=report, case=case)
            if access.WORK in access.case_permissions(receiver, case):
                self.visit_case_once(case, receiver, report_day=received_on)
            return
        if outcome == "case_opened":
            self.open_case(
                report,
                receiver,
                received_on,
                kind,
                (family, given, family_kana, given_kana),
                born,
                sex,
                address,
            )
            return
        worker = receiver
        services.report_assign(actor=receiver, report=report, worker=worker)
        partner = self.partner(worker)
        staff = [worker] + ([partner] if partner else [])
        if outcome == "assigned":
            # A first visit: planned in the coming days, or made already and not answered.
            if i % 2 == 0:
                self.plan(worker, staff, self.today + _days(self.rng.randint(1, 6)), report=report)
            else:
                visit_day = self.between(received_on, self.today - _days(1))
                visit = self.plan(worker, staff, visit_day, report=report)
                self.record(worker, visit, VisitResult.ABSENT, [Obs.MAIL_PILED])
            return
        # closed: visited, nothing of concern, then closed with the reason.
        visit_day = self.between(received_on, self.today - _days(1))
        visit = self.plan(worker, staff, visit_day, report=report)
        self.record(worker, visit, VisitResult.MET, [])
        services.report_close(
            actor=worker, report=report, reason=CLOSE_REASONS[(i + len(code)) % len(CLOSE_REASONS)]
        )

    def open_case(self, report, actor, received_on, kind, names, born, sex, address) -> None:
        family, given, family_kana, given_kana = names
        report = services.report_open_case(
            actor=actor,
            report=report,
            person_fields={
                "family_name": family,
                "given_name": given,
                "family_name_kana": family_kana,
                "given_name_kana": given_kana,
                "birth_date": datetime.date(born, self.rng.randint(1, 12), self.rng.randint(1, 28)),
                "sex": sex,
                "address": address,
                "district": report.district,
            },
            intake_fields={
                "received_on": received_on,
                "main_concern": Concern.CARE,
                "other_concerns": [Concern.HEALTH, Concern.COMMUNITY],
                "chief_complaint": "見守りネットワークからの通報。" + NOTICED[kind],
                "came_in_person": False,
                "visitor_name": report.reporter_name or "匿名の通報者",
                "visitor_relation": str(ReporterKind(kind).label),
                "consent_status": IntakeConsent.PENDING,
            },
        )
        case = report.case
        partner = self.partner(actor)
        staff = [actor] + ([partner] if partner else [])
        first = self.between(received_on + _days(1), self.today - _days(2))
        if first < self.today:
            visit = self.plan(actor, staff, first, case=case, purpose="通報を受けての安否確認")
            self.record(actor, visit, VisitResult.MET, [Obs.WEAKNESS, Obs.DISORDER])
        self.plan(actor, staff, self.today + _days(self.rng.randint(2, 6)), case=case)

    # --- outreach visits -------------------------------------------------------------------

    def plan(self, actor, staff, day, *, case=None, report=None, purpose: str = ""):
        visit = services.visit_plan(
            actor=actor,
            planned_at=self.at(day, self.rng.choice((10, 11, 13, 14, 15, 16))),
            staff=staff,
            case=case,
            report=report,
            purpose=purpose or self.rng.choice(PURPOSES),
        )
        self.counts["visits"] += 1
        return visit

    def record(self, actor, visit, result, observations, *, next_visit_on=None):
        visited_at = min(
            visit.planned_at + datetime.timedelta(minutes=self.rng.randint(0, 20)), self.now
        )
        services.visit_record(
            actor=actor,
            visit=visit,
            result=result,
            visited_at=visited_at,
            observations=observations,
            notes=self.rng.choice(VISIT_NOTES[result]),
            next_visit_on=next_visit_on,
        )

    def visit_case_once(self, case, actor, *, report_day) -> None:
        partner = self.partner(actor)
        staff = [actor] + ([partner] if partner else [])
        day = self.between(max(report_day, case.opened_on) + _days(1), self.today - _days(1))
        if day < self.today:
            visit = self.plan(actor, staff, day, case=case, purpose="見守り通報を受けての訪問")
            self.record(actor, visit, VisitResult.MET, [Obs.MAIL_PILED])

    def case_visits(self) -> None:
        """Visits of open cases of the council and the district agencies: every result,
        one case with three 不在 in a row, this week's plans and a few not yet recorded."""
        agencies = {"csw_shakyo1", "csw_shakyo2", "csw_shakyo3", "soudan_shakyo1"} | {
            name for names in DISTRICT_STAFF.values() for name in names
        }
        assignments = list(
            CaseAssignment.objects.filter(
                ended_at__isnull=True,
                worker__username__in=agencies,
                case__opened_on__lte=self.today - _days(30),
            )
            .exclude(case__status=CaseStatus.CLOSED)
            .select_related("case", "worker")
            .order_by("case__pk", "pk")
        )
        memberships = dict(
            StaffMembership.objects.filter(user__username__in=agencies).values_list(
                "user__username", "agency_id"
            )
        )
        seen: set[int] = set()
        plans = (
            "streak", "met", "refused", "met_next", "cancelled", "met",
            "absent_met", "unrecorded", "met_next", "refused", "met", "unrecorded",
        )  # fmt: skip
        done = 0
        for a in assignments:
            if done >= len(plans) or a.case_id in seen:
                continue
            worker = self.user(a.worker.username)
            if access.WORK not in access.case_permissions(worker, a.case):
                continue
            plan = plans[done]
            if plan == "streak" and worker.username != "csw_shakyo1":
                continue
            partner = self.partner(worker)
            if partner is not None and memberships.get(partner.username) != memberships.get(
                worker.username
            ):
                partner = None
            seen.add(a.case_id)
            done += 1
            self.case_plan(a.case, worker, [worker] + ([partner] if partner else []), plan)
        # 今週の私の訪問: csw_shakyo1 has visits planned today and in the coming days.
        mine = [a for a in assignments if a.worker.username == "csw_shakyo1"]
        for k, a in enumerate(mine[:3]):
            worker = self.user("csw_shakyo1")
            staff = [worker, self.user(PARTNER["csw_shakyo1"])]
            self.plan(worker, staff, self.today + _days(k * 2), case=a.case)

    def case_plan(self, case, worker, staff, plan: str) -> None:
        low = max(case.opened_on + _days(1), self.today - _days(75))
        high = self.today - _days(3)
        if plan == "streak":
            for gap in (23, 16, 9):
                visit = self.plan(worker, staff, max(low, self.today - _days(gap)), case=case)
                observed = [Obs.MAIL_PILED] + ([Obs.UTILITIES_OFF] if gap == 9 else [])
                self.record(worker, visit, VisitResult.ABSENT, observed)
            return
        if plan == "unrecorded":
            self.plan(worker, staff, self.today - _days(self.rng.randint(2, 5)), case=case)
            return
        first = self.between(low, high - _days(14))
        if plan == "absent_met":
            visit = self.plan(worker, staff, first, case=case)
            self.record(worker, visit, VisitResult.ABSENT, [Obs.MAIL_PILED])
            first = self.between(first + _days(3), high)
        visit = self.plan(worker, staff, first, case=case)
        result = {
            "refused": VisitResult.REFUSED,
            "cancelled": VisitResult.CANCELLED,
        }.get(plan, VisitResult.MET)
        observed = {
            VisitResult.MET: self.rng.choice(
                ([], [Obs.DISORDER], [Obs.WEAKNESS], [Obs.ODOUR, Obs.DISORDER])
            ),
            VisitResult.REFUSED: [Obs.ODOUR],
            VisitResult.CANCELLED: [],
        }[result]
        next_on = self.today + _days(self.rng.randint(7, 20)) if plan == "met_next" else None
        self.record(worker, visit, result, observed, next_visit_on=next_on)
