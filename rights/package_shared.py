"""The disclosure package's sections on what passed between agencies and who read the
record: referrals, consents, meetings, watch-network reports, attachments and the access
log (rights/package.py). One query (with its prefetches) per kind of record."""

from __future__ import annotations

from django.db.models import Prefetch, Q

from casework.models import AccessLog, Attachment, Case, Consent, Meeting
from outreach.models import WatchReport
from referrals.models import Referral
from rights.package_fields import (
    WHY_REPORTER,
    WRITER,
    Item,
    Section,
    Writers,
    agency_of,
    case_title,
    date,
    day_of,
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
        fields = [
            field("根拠", c.get_basis_display()),
            field("対象機関", "、".join(a.name for a in c.agencies.all())),
            field("同意日", date(c.given_on)),
            optional("撤回日", date(c.withdrawn_on)),
            field("記録した機関", name(holder)),
            w.text("備考", c.note, holder),
        ]
        items.append(item(f"{c.get_basis_display()}({date(c.given_on)})", holder, fields))
    return items


def _meeting_items(w: Writers) -> list[Item]:
    """The meetings that discussed one of the person's cases. The other cases a meeting
    discussed are other people's, and are not named."""
    rows = (
        Meeting.objects.filter(cases__person_id=w.person_id)
        .distinct()
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
        fields = [
            field("会議の種類", m.get_kind_display()),
            field("開催日", date(m.held_on)),
            field("件名", m.title),
            field("開催機関", convener.name),
            field("出席機関", "、".join(a.name for a in m.attending_agencies.all())),
            field("対象ケース", "、".join(c.number for c in m.persons_cases)),
            w.text("決定事項", m.decisions, convener),
        ]
        items.append(item(f"{m.get_kind_display()} {date(m.held_on)}", convener, fields))
    return items


def _report_items(w: Writers) -> list[Item]:
    """Watch-network reports about the person. Who reported is a third party's
    information; what the receiving agency wrote down follows the rule for free text."""
    rows = (
        WatchReport.objects.filter(Q(person_id=w.person_id) | Q(case__person_id=w.person_id))
        .select_related("district", f"received_by__{WRITER}", f"closed_by__{WRITER}")
        .order_by("received_at", "pk")
    )
    items = []
    for r in rows:
        receiver = agency_of(r.received_by)
        fields = [
            field("受付日時", moment(r.received_at)),
            field("受付機関", name(receiver)),
            field("通報者の種別", r.get_reporter_kind_display()),
            third_party("通報者の氏名・事業者名", r.reporter_name, WHY_REPORTER),
            third_party("通報者の連絡先", r.reporter_contact, WHY_REPORTER),
            field("場所(住所)", r.address),
            field("地区", str(r.district)),
            optional("対象者の氏名", r.subject_name),
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
    """What is filed, by name and date: the files themselves are not part of the listing."""
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
            field("件名", a.title),
            field("種類", a.get_kind_display()),
            field("綴じた先", a.filed_with),
            field("登録日", day_of(a.created_at)),
            optional("版", f"第{latest.number}版" if latest else ""),
            optional("最新の版の登録日", day_of(latest.uploaded_at) if latest else ""),
        ]
        items.append(item(f"添付書類 {a.title}", a.agency, fields))
    return items


def _access_items(w: Writers) -> list[Item]:
    """Every read of the person's record: rows naming the person, a list or search that
    showed them, and the reads of their cases."""
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
                optional("詳細", row.detail),
            ],
        )
        for row in rows
    ]
