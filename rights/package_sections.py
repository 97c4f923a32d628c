"""The disclosure package's sections on the person and their cases: who they are, their
household, their cases and what was written in them (rights/package.py).

Each kind of record is read in one query (with its prefetches) for every case of the person
at once, so the package costs the same number of queries however long the record is."""

from __future__ import annotations

from django.db.models import Prefetch

from casework.models import (
    Assessment,
    Case,
    CaseAssignment,
    CaseStatusChange,
    ChangeItem,
    ChangeItemScore,
    ClosureRequest,
    ContactRecord,
    ContactRecordVersion,
    EmergencySupport,
    HouseholdMember,
    MonitoringEntry,
    Person,
    PlanAction,
    SupportPlan,
)
from rights.package_fields import (
    WHY_ABUSE,
    WHY_HOUSEHOLD,
    WHY_VISITOR,
    WRITER,
    Item,
    Section,
    Writers,
    agency_of,
    case_title,
    concealed,
    date,
    day_of,
    field,
    item,
    moment,
    name,
    one,
    optional,
    section,
    staff,
    third_party,
)


def person_sections(w: Writers) -> list[Section]:
    person = Person.objects.select_related("district", "registered_by_agency").get(pk=w.person_id)
    cases = list(
        Case.objects.filter(person_id=person.pk)
        .select_related(
            "owning_agency", f"intake__received_by__{WRITER}", f"screening__decided_by__{WRITER}"
        )
        .prefetch_related(
            "other_concerns",
            Prefetch(
                "assignments",
                queryset=CaseAssignment.objects.select_related("worker").order_by(
                    "started_at", "pk"
                ),
            ),
            Prefetch(
                "status_history",
                queryset=CaseStatusChange.objects.select_related(f"changed_by__{WRITER}").order_by(
                    "changed_at", "pk"
                ),
            ),
            Prefetch(
                "closure_requests",
                queryset=ClosureRequest.objects.select_related(
                    f"requested_by__{WRITER}", f"decided_by__{WRITER}"
                ).order_by("requested_at", "pk"),
            ),
        )
        .order_by("opened_on", "pk")
    )
    return [
        section("person", "本人の情報", [_person_item(person)]),
        section("household", "世帯", _household_items(person)),
        section("cases", "ケース", [_case_item(case) for case in cases]),
        section("status_history", "ケースの状況の変更", _status_items(w, cases)),
        section("closures", "終結の申請", _closure_items(w, cases)),
        section("intake", "相談受付・スクリーニング・緊急支援", _intake_items(w, cases)),
        section("assessments", "アセスメント", _assessment_items(w)),
        section("plans", "支援プラン・モニタリング", _plan_items(w)),
        section("contacts", "支援経過記録", _contact_items(w)),
    ]


def _person_item(person: Person) -> Item:
    return item(
        "本人",
        person.registered_by_agency,
        [
            field("氏名", str(person)),
            field("ふりがな", person.kana),
            field("生年月日", date(person.birth_date)),
            field("性別", person.get_sex_display()),
            *(
                (concealed("住所"), concealed("電話番号"))
                if person.address_confidential
                else (field("住所", person.address), field("電話番号", person.phone))
            ),
            field("地区", str(person.district) if person.district else ""),
            optional("死亡日", date(person.died_on)),
        ],
    )


def _household_items(person: Person) -> list[Item]:
    """The person's own place in each household they were in, and the other members, whose
    details are third parties' information."""
    own = (
        HouseholdMember.objects.filter(person_id=person.pk)
        .select_related("household__registered_by_agency")
        .order_by("pk")
    )
    others = (
        HouseholdMember.objects.filter(
            household__in=HouseholdMember.objects.filter(person_id=person.pk).values("household")
        )
        .exclude(person_id=person.pk)
        .select_related("person", "household__registered_by_agency")
        .order_by("household_id", "pk")
    )
    items = [
        item(
            f"本人(世帯 {member.household_id})",
            member.household.registered_by_agency,
            [
                field("続柄", member.get_relation_display()),
                optional("転出・死亡の日", date(member.left_on)),
                optional("理由", member.get_left_reason_display() if member.left_reason else ""),
            ],
        )
        for member in own
    ]
    for member in others:
        other = member.person
        items.append(
            item(
                f"世帯員(世帯 {member.household_id})",
                member.household.registered_by_agency,
                [
                    third_party("氏名", str(other), WHY_HOUSEHOLD),
                    third_party("ふりがな", other.kana, WHY_HOUSEHOLD),
                    third_party("生年月日", date(other.birth_date), WHY_HOUSEHOLD),
                    third_party("続柄", member.get_relation_display(), WHY_HOUSEHOLD),
                    third_party("転出・死亡の日", date(member.left_on), WHY_HOUSEHOLD),
                ],
            )
        )
    return items


def _case_item(case: Case) -> Item:
    concerns = "、".join(c.get_concern_display() for c in case.other_concerns.all())
    workers = "、".join(
        f"{staff(a.worker)}({day_of(a.started_at)}〜{day_of(a.ended_at)})"
        for a in case.assignments.all()
    )
    return item(
        case_title(case),
        case.owning_agency,
        [
            field("ケース番号", case.number),
            field("担当機関", case.owning_agency.name),
            field("状況", case.get_status_display()),
            field("主な相談内容", case.get_main_concern_display()),
            optional("その他の相談内容", concerns),
            field("受付日", date(case.opened_on)),
            optional("終結日", date(case.closed_on)),
            field("担当職員", workers),
        ],
    )


def _intake_items(w: Writers, cases: list[Case]) -> list[Item]:
    items = []
    for case in cases:
        holder = case.owning_agency
        intake = one(case, "intake")
        if intake is not None:
            items.append(
                item(
                    f"相談受付({case_title(case)})",
                    holder,
                    [
                        field("受付日", date(intake.received_on)),
                        field("受付者", staff(intake.received_by)),
                        field("相談経路", intake.get_route_display()),
                        field("本人が相談", "はい" if intake.came_in_person else "いいえ"),
                        # Who came in the person's stead is someone else.
                        third_party("相談者の氏名", intake.visitor_name, WHY_VISITOR),
                        w.text(
                            "本人との関係",
                            intake.visitor_relation,
                            holder,
                            agency_of(intake.received_by),
                        ),
                        w.text(
                            "主訴", intake.chief_complaint, holder, agency_of(intake.received_by)
                        ),
                        field("同意の状況", intake.get_consent_status_display()),
                    ],
                )
            )
        screening = one(case, "screening")
        if screening is not None:
            items.append(
                item(
                    f"スクリーニング({case_title(case)})",
                    holder,
                    [
                        field("判断日", date(screening.decided_on)),
                        field("結果", screening.get_result_display()),
                        w.text("所見", screening.note, holder, agency_of(screening.decided_by)),
                    ],
                )
            )
    supports = (
        EmergencySupport.objects.filter(case__person_id=w.person_id)
        .select_related("case__owning_agency", f"recorded_by__{WRITER}")
        .order_by("provided_on", "pk")
    )
    for support in supports:
        holder = support.case.owning_agency
        items.append(
            item(
                f"緊急支援({case_title(support.case)})",
                holder,
                [
                    field("実施日", date(support.provided_on)),
                    field("種類", support.get_kind_display()),
                    w.text("内容", support.description, holder, agency_of(support.recorded_by)),
                ],
            )
        )
    return items


def _assessment_items(w: Writers) -> list[Item]:
    rows = (
        Assessment.objects.filter(case__person_id=w.person_id)
        .select_related("case__owning_agency", f"author__{WRITER}")
        .order_by("case_id", "version")
    )
    # The sheet's headings, as the model names its parts (健康・障害, 住まい, …).
    labels = [
        (part, str(getattr(Assessment._meta.get_field(part), "verbose_name", part)))
        for part in Assessment.SECTIONS
    ]
    items = []
    for a in rows:
        writers = (a.case.owning_agency, agency_of(a.author))
        texts = [w.text(label, getattr(a, part), *writers) for part, label in labels]
        items.append(
            item(
                f"アセスメント 第{a.version}版({case_title(a.case)})",
                a.case.owning_agency,
                [
                    field("実施日", date(a.assessed_on)),
                    field("記入者", staff(a.author)),
                    *texts,
                    field("成年後見制度の必要性", a.get_guardianship_need_display()),
                    # A suspicion of abuse is for the decision, whoever wrote it.
                    third_party("虐待の疑い", "あり", WHY_ABUSE)
                    if a.abuse_suspected
                    else field("虐待の疑い", "なし"),
                    w.text("虐待の疑いの内容", a.abuse_note, *writers, why=WHY_ABUSE),
                    w.text("総合所見", a.summary, *writers),
                ],
            )
        )
    return items


def _status_items(w: Writers, cases: list[Case]) -> list[Item]:
    return [
        item(
            f"状況の変更 {moment(change.changed_at)}({case_title(case)})",
            case.owning_agency,
            [
                field("日時", moment(change.changed_at)),
                field("変更前", change.get_from_status_display()),
                field("変更後", change.get_to_status_display()),
                w.text("理由", change.reason, case.owning_agency, agency_of(change.changed_by)),
            ],
        )
        for case in cases
        for change in case.status_history.all()
    ]


def _closure_items(w: Writers, cases: list[Case]) -> list[Item]:
    items = []
    for case in cases:
        holder = case.owning_agency
        for r in case.closure_requests.all():
            fields = [
                field("申請日", day_of(r.requested_at)),
                field("終結理由", r.get_reason_display()),
                w.text("説明", r.note, holder, agency_of(r.requested_by)),
                field("終結日", date(r.closing_on)),
                field("判断", r.get_state_display()),
                optional("判断日", day_of(r.decided_at)),
                w.text("判断の理由", r.decision_note, holder, agency_of(r.decided_by)),
            ]
            items.append(
                item(f"終結の申請 {day_of(r.requested_at)}({case_title(case)})", holder, fields)
            )
    return items


def _scores(scores: list[ChangeItemScore]) -> str:
    """The scores in the 評価シート's order of items: 意欲・気力:4 良い、…"""
    order = {item: n for n, item in enumerate(ChangeItem.values)}
    scores = sorted(scores, key=lambda s: order.get(s.item, len(order)))
    return "、".join(f"{s.get_item_display()}:{s.get_score_display()}" for s in scores)


def _plan_items(w: Writers) -> list[Item]:
    """Every version of every plan, each with its actions, then its monitoring and the
    評価シート's scores (the plan's baseline and each evaluation's)."""
    plans = (
        SupportPlan.objects.filter(case__person_id=w.person_id)
        .select_related("case__owning_agency", f"author__{WRITER}", "approved_by")
        .prefetch_related(
            Prefetch("actions", queryset=PlanAction.objects.select_related("agency")),
            Prefetch(
                "monitoring",
                queryset=MonitoringEntry.objects.select_related(f"author__{WRITER}").order_by(
                    "monitored_on", "pk"
                ),
            ),
            "change_scores",
        )
        .order_by("case_id", "version")
    )
    items = []
    for plan in plans:
        holder = plan.case.owning_agency
        writers = (holder, agency_of(plan.author))
        scores: dict[int | None, list[ChangeItemScore]] = {}
        for score in plan.change_scores.all():
            scores.setdefault(score.entry_id, []).append(score)
        actions = []
        for n, action in enumerate(plan.actions.all(), start=1):
            facts = "、".join(
                p for p in (name(action.agency) or action.agency_note, action.frequency) if p
            )
            text = f"{action.description}({facts})" if facts else action.description
            actions.append(w.text(f"支援内容{n}", text, *writers))
        title = f"支援プラン 第{plan.version}版({case_title(plan.case)})"
        items.append(
            item(
                title,
                holder,
                [
                    field("状態", plan.get_state_display()),
                    field("作成者", staff(plan.author)),
                    field("計画期間", f"{date(plan.period_start)}〜{date(plan.period_end)}"),
                    w.text("長期目標", plan.long_term_goal, *writers),
                    w.text("短期目標", plan.short_term_goals, *writers),
                    w.text("利用する制度・サービス・事業", plan.services_used, *writers),
                    *actions,
                    optional("変化項目の点数(計画開始時)", _scores(scores.get(None, []))),
                    field("次回モニタリング予定日", date(plan.next_monitoring_on)),
                    optional("承認日", day_of(plan.approved_at)),
                    optional("承認者", staff(plan.approved_by)),
                ],
            )
        )
        for entry in plan.monitoring.all():
            items.append(
                item(
                    f"{entry.get_kind_display()}({title})",
                    holder,
                    [
                        field("実施日", date(entry.monitored_on)),
                        field("進捗", entry.get_progress_display()),
                        w.text("所見", entry.notes, holder, agency_of(entry.author)),
                        optional("変化項目の点数", _scores(scores.get(entry.pk, []))),
                        optional("次回モニタリング予定日", date(entry.next_monitoring_on)),
                    ],
                )
            )
    return items


def _contact_items(w: Writers) -> list[Item]:
    """The 経過記録 in their present version. Those marked 誤記録 are noted without their
    text: they are no longer a record of the person, only of the mistake."""
    records = (
        ContactRecord.all_records.filter(case__person_id=w.person_id)
        .select_related("case__owning_agency", f"worker__{WRITER}", f"voided_by__{WRITER}")
        .prefetch_related(
            Prefetch(
                "versions",
                queryset=ContactRecordVersion.objects.select_related(f"author__{WRITER}"),
            )
        )
        .order_by("occurred_at", "pk")
    )
    items = []
    for record in records:
        holder = record.case.owning_agency
        title = f"経過記録 {moment(record.occurred_at)}({case_title(record.case)})"
        facts = [
            field("日時", moment(record.occurred_at)),
            field("方法", record.get_method_display()),
            field("所要時間", f"{record.minutes}分"),
            field("対応者", staff(record.worker)),
        ]
        if record.case.records_confidential:
            # Under a 記録の秘匿 mark: the named staff give the words separately, if at all.
            items.append(item(title, holder, [*facts, concealed("内容")]))
            continue
        if record.voided_at is not None:
            voider = agency_of(record.voided_by)
            fields = [
                *facts,
                field("誤記録とした日時", moment(record.voided_at)),
                w.text("誤記録の理由", record.void_reason, holder, voider),
                field("備考", "誤記録とされた記録のため、内容は載せていません。"),
            ]
            items.append(item(f"{title} 誤記録", holder, fields))
            continue
        # Everyone who wrote a version of the text is one of its writers.
        writers = (
            holder,
            agency_of(record.worker),
            *(agency_of(v.author) for v in record.versions.all()),
        )
        fields = [
            *facts,
            w.text("内容", record.summary, *writers),
            w.text("次回の対応", record.next_action, *writers),
            optional("版", f"第{record.version}版(訂正あり)" if record.version > 1 else ""),
        ]
        items.append(item(title, holder, fields))
    return items
