"""The disclosure package's sections on what passed between agencies and who read the
record: referrals, consents, meetings, watch-network reports, outreach visits, programmes,
attachments and the access log (rights/package.py). One query (with its prefetches) per
kind of record.

No item's heading carries free text (a meeting's or an attachment's title): a heading is
never withheld, so it says the kind of record and its date only."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Prefetch, Q

from casework.models import (
    AccessLog,
    Attachment,
    Case,
    Consent,
    Meeting,
    ProgrammeEnrolment,
    ProgrammeOutcome,
)
from casework.models.consent import ConsentBasis
from outreach.models import OutreachVisit, WatchReport
from referrals.models import Referral
from rights.package_fields import (
    WHY_ABUSE,
    WHY_OTHER_CASES,
    WHY_PARTICIPANT,
    WHY_REPORTER,
    WRITER,
    Item,
    Section,
    Writers,
    agency_of,
    case_title,
    concealed,
    date,
    day_of,
    fact,
    field,
    item,
    moment,
    name,
    optional,
    section,
    third_party,
)


def shared_sections(w: Writers) -> list[Section]:
    return [
        section("referrals", "つなぎ(機関の間の紹介)", _referral_items(w)),
        section("consents", "同意・共有の根拠", _consent_items(w)),
        section("meetings", "会議", _meeting_items(w)),
        section("watch_reports", "見守り通報", _report_items(w)),
        section("outreach_visits", "アウトリーチ訪問", _visit_items(w)),
        section("programmes", "事業の利用・成果", _programme_items(w)),
        section("attachments", "添付書類", _attachment_items(w)),
        section("access_log", "アクセス記録", _access_items(w)),
    ]


def _referral_items(w: Writers) -> list[Item]:
    rows = (
        Referral.objects.filter(case__person_id=w.person_id)
        .select_related("case", "sending_agency", "receiving_agency")
        .order_by("sent_at", "pk")
    )
    items = []
    for r in rows:
        # The sending side wrote the reason and the withdrawal; the receiving side the rest.
        sender, receiver = r.sending_agency, r.receiving_agency
        fields = [
            field("紹介元", sender.name),
            field("紹介先", receiver.name),
            field("送付日時", moment(r.sent_at)),
            field("緊急度", r.get_urgency_display()),
            field("回答期限", date(r.answer_by)),
            field("共有する範囲", r.get_scope_display()),
            field("状態", r.get_state_display()),
            optional("回答日時", moment(r.answered_at)),
            optional("完了日時", moment(r.completed_at)),
            optional("取り下げ日時", moment(r.withdrawn_at)),
            w.text("紹介の理由", r.reason, sender),
            w.text("お断りの理由", r.decline_reason, receiver),
            w.text("完了の報告", r.completion_note, receiver),
            w.text("取り下げの理由", r.withdraw_reason, sender),
        ]
        items.append(item(f"つなぎ {day_of(r.sent_at)}({case_title(r.case)})", sender, fields))
    return items


def _consent_items(w: Writers) -> list[Item]:
    rows = (
        Consent.objects.filter(person_id=w.person_id)
        .select_related("recorded_by_agency", f"recorded_by__{WRITER}")
        .prefetch_related("agencies")
        .order_by("given_on", "pk")
    )
    items = []
    for c in rows:
        holder = c.recorded_by_agency or agency_of(c.recorded_by)
        # A sharing for an abuse response is for the decision, every part of it; and its
        # heading does not say what it is.
        abuse = c.basis == ConsentBasis.ABUSE_RESPONSE
        why = WHY_ABUSE if abuse else ""
        fields = [
            fact("根拠", c.get_basis_display(), why),
            fact("対象機関", "、".join(a.name for a in c.agencies.all()), why),
            fact("同意日", date(c.given_on), why),
            fact("撤回日", date(c.withdrawn_on), why),
            fact("記録した機関", name(holder), why),
            w.text("備考", c.note, holder, why=why),
        ]
        heading = "同意・共有の根拠" if abuse else c.get_basis_display()
        items.append(item(f"{heading}({date(c.given_on)})", holder, fields))
    return items


def _meeting_items(w: Writers) -> list[Item]:
    """The meetings that discussed one of the person's cases. The other cases a meeting
    discussed are other people's, and are not named; what such a meeting's title and
    decisions say is about them too, and is for the decision."""
    others = Meeting.cases.through.objects.filter(meeting_id=OuterRef("pk")).exclude(
        case__person_id=w.person_id
    )
    rows = (
        Meeting.objects.filter(cases__person_id=w.person_id)
        .distinct()
        .annotate(names_others=Exists(others))
        .select_related("convening_agency")
        .prefetch_related(
            "attending_agencies",
            Prefetch(
                "cases",
                queryset=Case.objects.filter(person_id=w.person_id).order_by("pk"),
                to_attr="persons_cases",
            ),
        )
        .order_by("held_on", "pk")
    )
    items = []
    for m in rows:
        convener = m.convening_agency
        why = WHY_OTHER_CASES if m.names_others else ""
        fields = [
            field("会議の種類", m.get_kind_display()),
            field("開催日", date(m.held_on)),
            w.text("件名", m.title, convener, why=why),
            field("開催機関", convener.name),
            field("出席機関", "、".join(a.name for a in m.attending_agencies.all())),
            field("対象ケース", "、".join(c.number for c in m.persons_cases)),
            w.text("決定事項", m.decisions, convener, why=why),
        ]
        items.append(item(f"{m.get_kind_display()} {date(m.held_on)}", convener, fields))
    return items


def _report_items(w: Writers) -> list[Item]:
    """Watch-network reports about the person. Who reported is a third party's
    information; what the receiving staff typed (the address and name as told, what was
    noticed) follows the rule for free text."""
    rows = (
        WatchReport.objects.filter(Q(person_id=w.person_id) | Q(case__person_id=w.person_id))
        .select_related("district", f"received_by__{WRITER}", f"closed_by__{WRITER}")
        .order_by("received_at", "pk")
    )
    # Under a 住所・電話の秘匿 mark the place is the hidden address, as the person's own.
    hidden = w.request.person.address_confidential
    items = []
    for r in rows:
        receiver = agency_of(r.received_by)
        fields = [
            field("受付日時", moment(r.received_at)),
            field("受付機関", name(receiver)),
            field("通報者の種別", r.get_reporter_kind_display()),
            third_party("通報者の氏名・事業者名", r.reporter_name, WHY_REPORTER),
            third_party("通報者の連絡先", r.reporter_contact, WHY_REPORTER),
            concealed("場所(住所)") if hidden else w.text("場所(住所)", r.address, receiver),
            field("地区", str(r.district)),
            w.text("対象者の氏名", r.subject_name, receiver),
            w.text("対象者の様子", r.subject_description, receiver),
            w.text("気づいたこと", r.noticed, receiver),
            field("緊急度", r.get_urgency_display()),
            field("状態", r.get_state_display()),
            optional("終了日時", moment(r.closed_at)),
            w.text("終了の理由", r.close_reason, receiver, agency_of(r.closed_by)),
        ]
        items.append(item(f"見守り通報 {moment(r.received_at)}", receiver, fields))
    return items


def _attachment_items(w: Writers) -> list[Item]:
    """What is filed, by kind, title and date: the files themselves are not part of the
    listing. The title is the filing agency's free text."""
    rows = (
        Attachment.objects.filter(person_id=w.person_id)
        .select_related("agency", "plan", "consent")
        .prefetch_related("versions")
        .order_by("created_at", "pk")
    )
    items = []
    for a in rows:
        latest = max(a.versions.all(), key=lambda v: v.number, default=None)
        fields = [
            w.text("件名", a.title, a.agency),
            field("種類", a.get_kind_display()),
            field("綴じた先", a.filed_with),
            field("登録日", day_of(a.created_at)),
            optional("版", f"第{latest.number}版" if latest else ""),
            optional("最新の版の登録日", day_of(latest.uploaded_at) if latest else ""),
        ]
        heading = f"添付書類 {a.get_kind_display()} {day_of(a.created_at)}"
        items.append(item(heading, a.agency, fields))
    return items


def _access_items(w: Writers) -> list[Item]:
    """Every read of the person's record: rows naming the person, a list or search that
    showed them, and the reads of their cases. When, the reading staff's agency and what
    was done only: the row's detail names staff (a grant's 氏名(login)), other people and
    meetings, and is not released."""
    rows = (
        AccessLog.objects.filter(
            Q(person_id=w.person_id)
            | Q(person_ids__contains=f",{w.person_id},")
            | Q(case__person_id=w.person_id)
        )
        .select_related("agency")
        .order_by("at", "pk")
    )
    return [
        item(
            f"アクセス {moment(row.at)}",
            row.agency,
            [
                field("日時", moment(row.at)),
                field("職員の機関", name(row.agency)),
                field("操作", row.get_action_display()),
                optional("表示", "一覧・検索" if row.person_ids else ""),
            ],
        )
        for row in rows
    ]


def _visit_items(w: Writers) -> list[Item]:
    """Outreach visits to the person: of their cases, and of reports about them before a
    case. What the visiting agency wrote follows the rule for free text."""
    rows = (
        OutreachVisit.objects.filter(
            Q(case__person_id=w.person_id)
            | Q(report__person_id=w.person_id)
            | Q(report__case__person_id=w.person_id)
        )
        .select_related("agency", "case", "report__case", f"recorded_by__{WRITER}")
        .order_by("planned_at", "pk")
    )
    items = []
    for v in rows:
        # A visit made on a report is of the case the report was linked to.
        of_case = v.case or (v.report.case if v.report is not None else None)
        writers = (v.agency, agency_of(v.recorded_by))
        fields = [
            field("訪問機関", v.agency.name),
            field("予定日時", moment(v.planned_at)),
            w.text("目的", v.purpose, v.agency),
            optional("訪問日時", moment(v.visited_at)),
            field("結果", v.get_result_display() if v.result else "未記録"),
            optional("気づいた様子", "、".join(v.observation_labels())),
            (
                concealed("記録")
                if of_case is not None and of_case.records_confidential
                else w.text("記録", v.notes, *writers)
            ),
            optional("次回訪問予定日", date(v.next_visit_on)),
        ]
        about = f"({case_title(v.case)})" if v.case is not None else "(見守り通報)"
        items.append(item(f"アウトリーチ訪問 {moment(v.planned_at)}{about}", v.agency, fields))
    return items


def _programme_items(w: Writers) -> list[Item]:
    """The programmes the person is enrolled in, and those of their cases, whose participant
    may be another member of the household (a child): that enrolment is the other's."""
    rows = (
        ProgrammeEnrolment.objects.filter(Q(person_id=w.person_id) | Q(case__person_id=w.person_id))
        .select_related("person", "case__owning_agency")
        .prefetch_related(
            Prefetch(
                "outcomes",
                queryset=ProgrammeOutcome.objects.select_related(f"recorded_by__{WRITER}").order_by(
                    "achieved_on", "pk"
                ),
            )
        )
        .order_by("enrolled_on", "pk")
    )
    items = []
    for e in rows:
        holder = e.case.owning_agency
        own = e.person_id == w.person_id
        why = "" if own else WHY_PARTICIPANT
        fields = [
            fact("参加者", "本人" if own else str(e.person), why),
            fact("事業", e.get_programme_display(), why),
            fact("登録日", date(e.enrolled_on), why),
            fact("終了日", date(e.left_on), why),
        ]
        for n, outcome in enumerate(e.outcomes.all(), start=1):
            achieved = f"{outcome.get_kind_display()}({date(outcome.achieved_on)})"
            fields += [
                fact(f"成果{n}", achieved, why),
                w.text(
                    f"成果{n}の備考", outcome.note, holder, agency_of(outcome.recorded_by), why=why
                ),
            ]
        # A case that is not the person's is another's: it is not named.
        about = f"({case_title(e.case)})" if e.case.person_id == w.person_id else ""
        items.append(item(f"事業の利用 {date(e.enrolled_on)}{about}", holder, fields))
    return items
