"""Attachments through the pages, as the staff use them: a signed form filed with a case or a
person, checked by its content, downloaded (never shown inline, never cached) after the access
check with a line in the access log, and replaced only by a new version."""

import hashlib

import pytest
from django.urls import reverse

from casework import attachment_files, services
from casework.models import AccessLog, Attachment, AttachmentVersion
from tests.attachment_files import image_bytes, pdf_bytes, signed_form, upload

CAST_MEMBERS = (
    "csw_a",
    "consultation_a",
    "supervisor_a",
    "csw_b",
    "consultation_b",
    "supervisor_b",
    "admin_a",
    "indicator_officer",
    "outsider",
)


def _pdf_with(change) -> bytes:
    import io

    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    change(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _post_new(client, case, file, **fields):
    data = {"title": "署名済み同意書", "kind": "consent_document", "file": file, **fields}
    return client.post(reverse("casework:attachment_new", kwargs={"pk": case.pk}), data)


def _file_errors(response) -> list[str]:
    return response.context["form"].errors.get("file", [])


def test_a_worker_attaches_a_signed_form_to_the_case_and_it_shows_there(client, cast, case_a):
    client.force_login(cast.csw_a)
    content = pdf_bytes(pages=2)
    response = _post_new(client, case_a, upload("同意書.PDF", content, "application/pdf"))
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    version = attachment.versions.get()
    assert (attachment.title, attachment.case, attachment.person) == (
        "署名済み同意書",
        case_a,
        case_a.person,
    )
    assert (version.number, version.file_type, version.size) == (1, "pdf", len(content))
    assert version.sha256 == hashlib.sha256(content).hexdigest()
    assert version.original_name == "同意書.PDF"
    # Stored under a random name that says nothing of the person or the file.
    assert "同意書" not in version.storage_key and "佐藤" not in version.storage_key
    page = client.get(case_a.get_absolute_url()).content.decode()
    assert "署名済み同意書" in page and version.get_download_url() in page


def test_the_download_is_the_same_bytes_as_an_attachment_never_inline_never_cached(
    client, cast, case_a
):
    client.force_login(cast.csw_a)
    content = image_bytes("PNG")
    _post_new(client, case_a, upload("scan.png", content, "image/png"))
    version = AttachmentVersion.objects.get()
    client.force_login(cast.consultation_b)  # reads case_a through the share
    response = client.get(version.get_download_url())
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == content
    assert response["Content-Type"] == "image/png"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert f'filename="tenpu-{version.attachment_id}-v1.png"' in disposition
    assert "no-store" in response["Cache-Control"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"].startswith("sandbox")
    row = AccessLog.objects.filter(user=cast.consultation_b).latest("at")
    assert (row.action, row.case, row.person) == (AccessLog.Action.EXPORT, case_a, case_a.person)
    # The title is the staff's free text: the log (and the security log) keeps the number.
    assert row.detail == f"添付書類 #{version.attachment_id} 第1版をダウンロード"
    assert "署名済み同意書" not in row.detail


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("メモ.txt", b"just some text\n", "PDF、JPEG、PNGのファイルだけを添付できます"),
        ("偽物.pdf", b"%PDF-1.7\nnot really a pdf at all", "PDFとして読めないファイルです"),
        ("画像.pdf", image_bytes("PNG"), "ファイルの中身はPNGですが、名前の拡張子が「.pdf」です"),
        ("文書.png", pdf_bytes(), "ファイルの中身はPDFですが、名前の拡張子が「.png」です"),
        ("写真", image_bytes("JPEG"), "名前の拡張子が「なし」です"),
        ("写真.gif", image_bytes("GIF"), "PDF、JPEG、PNGのファイルだけを添付できます"),
        ("空.pdf", b"", "ファイルは空です"),
        ("壊れた写真.jpg", b"\xff\xd8\xff\xe0" + bytes(range(256)) * 40, "画像として読めない"),
        ("途中まで.png", image_bytes("PNG")[:60], "画像として読めない"),
        ("スクリプト.pdf", None, "スクリプトや埋め込みファイルを含むPDFは添付できません"),
        ("同封.pdf", "embedded", "スクリプトや埋め込みファイルを含むPDFは添付できません"),
    ],
)
def test_a_file_that_is_not_what_it_says_is_refused_next_to_the_field(
    client, cast, case_a, name, content, message
):
    if content is None:
        content = _pdf_with(lambda writer: writer.add_js("app.alert('つなぐ');"))
    elif content == "embedded":
        content = _pdf_with(lambda writer: writer.add_attachment("setup.exe", b"MZ\x90\x00"))
    client.force_login(cast.csw_a)
    response = _post_new(client, case_a, upload(name, content))
    assert response.status_code == 400
    assert any(message in error for error in _file_errors(response)), _file_errors(response)
    assert not Attachment.objects.exists()
    assert not AttachmentVersion.objects.exists()


def test_a_file_over_the_size_limit_is_refused_without_being_read_to_the_end(
    client, cast, case_a, settings
):
    settings.ATTACHMENT_MAX_BYTES = 50_000
    client.force_login(cast.csw_a)
    big = pdf_bytes() + b"%" + b"0" * 200_000  # a PDF, padded past the limit
    response = _post_new(client, case_a, upload("大きい.pdf", big, "application/pdf"))
    assert response.status_code == 400
    errors = _file_errors(response)
    assert errors and "ファイルが大きすぎます" in errors[0] and "48.8" in errors[0], errors
    # Stopped by the upload handler, not read to the end into a temporary file.
    assert response.wsgi_request.upload_too_large < len(big)
    assert not Attachment.objects.exists()


def test_a_file_just_under_the_limit_is_accepted(client, cast, case_a, settings):
    content = pdf_bytes()
    settings.ATTACHMENT_MAX_BYTES = len(content)
    client.force_login(cast.csw_a)
    assert _post_new(client, case_a, upload("ok.pdf", content)).status_code == 302


def test_an_encrypted_pdf_is_refused(client, cast, case_a):
    import io

    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=100, height=100)
    writer.encrypt("kagi")
    out = io.BytesIO()
    writer.write(out)
    client.force_login(cast.csw_a)
    response = _post_new(client, case_a, upload("鍵付き.pdf", out.getvalue()))
    assert "パスワードのかかったPDFは添付できません" in _file_errors(response)[0]


def test_a_replacement_is_a_new_version_and_the_old_one_stays(client, cast, case_a):
    client.force_login(cast.csw_a)
    first = pdf_bytes(pages=1)
    _post_new(client, case_a, upload("v1.pdf", first))
    attachment = Attachment.objects.get()
    replace = reverse("casework:attachment_replace", kwargs={"pk": attachment.pk})
    # A reason is asked for; without one nothing changes.
    refused = client.post(replace, {"file": upload("v2.pdf", pdf_bytes(pages=2)), "reason": ""})
    assert refused.status_code == 400 and "reason" in refused.context["form"].errors
    assert attachment.versions.count() == 1
    second = pdf_bytes(pages=3)
    response = client.post(replace, {"file": upload("v2.pdf", second), "reason": "再スキャン"})
    assert response.status_code == 302
    versions = list(attachment.versions.order_by("number"))
    assert [(v.number, v.reason) for v in versions] == [(1, ""), (2, "再スキャン")]
    for version, content in zip(versions, (first, second), strict=True):
        got = client.get(version.get_download_url())
        assert b"".join(got.streaming_content) == content
    page = client.get(attachment.get_absolute_url()).content.decode()
    assert 'data-version="1"' in page and 'data-version="2"' in page and "再スキャン" in page
    # The database keeps a version as it was.
    from django.db import DatabaseError, transaction

    with pytest.raises(DatabaseError), transaction.atomic():
        AttachmentVersion.objects.filter(pk=versions[0].pk).update(reason="書き換え")


def test_a_plan_version_gets_its_signed_copy(client, cast, case_a, workflow):
    workflow.screen(case_a, cast.csw_a)
    workflow.assess(case_a, cast.csw_a)
    plan = workflow.approved_plan(case_a, cast.csw_a)
    client.force_login(cast.csw_a)
    response = _post_new(client, case_a, signed_form(), filed_with=str(plan.pk), kind="signed_form")
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert attachment.plan == plan and attachment.case == case_a
    assert (
        f"支援プラン 第{plan.version}版" in client.get(case_a.get_absolute_url()).content.decode()
    )


def test_another_cases_plan_cannot_be_chosen(client, cast, case_a, open_case, workflow):
    other = open_case(cast.csw_a, family_name="別人", family_name_kana="べつじん")
    workflow.screen(other, cast.csw_a)
    workflow.assess(other, cast.csw_a)
    plan = workflow.approved_plan(other, cast.csw_a)
    client.force_login(cast.csw_a)
    response = _post_new(client, case_a, signed_form(), filed_with=str(plan.pk))
    assert response.status_code == 400
    assert "filed_with" in response.context["form"].errors
    assert not Attachment.objects.exists()


def _case_letter(cast, case_a):
    return services.attachment_add(
        actor=cast.csw_a,
        person=case_a.person,
        case=case_a,
        kind="letter",
        title="通知",
        file=signed_form(),
    )


def _person_attachment(cast, case_a):
    return services.attachment_add(
        actor=cast.csw_a,
        person=case_a.person,
        consent=case_a.person.consents.get(),
        kind="consent_document",
        title="同意書の原本",
        file=signed_form("同意書.pdf"),
    )


@pytest.mark.parametrize("member", CAST_MEMBERS)
def test_an_attachment_filed_with_the_person_is_the_agencys_own(client, cast, case_a, member):
    attachment = _person_attachment(cast, case_a)
    version = attachment.versions.get()
    client.force_login(getattr(cast, member))
    # consultation_b reads case_a through the share, but the consent record is agency A's.
    allowed = member in ("csw_a", "supervisor_a")
    before = AccessLog.objects.count()
    detail = client.get(attachment.get_absolute_url())
    download = client.get(version.get_download_url())
    assert (detail.status_code, download.status_code) == ((200, 200) if allowed else (404, 404))
    assert AccessLog.objects.count() - before == (2 if allowed else 0)
    person_page = client.get(case_a.person.get_absolute_url())
    if person_page.status_code == 200:
        assert ("同意書の原本" in person_page.content.decode()) is allowed


def test_the_person_page_files_an_attachment_with_a_consent(client, cast, case_a):
    client.force_login(cast.supervisor_a)
    consent = case_a.person.consents.get()
    url = reverse("casework:person_attachment_new", kwargs={"pk": case_a.person.pk})
    page = client.get(url)
    assert page.status_code == 200 and 'enctype="multipart/form-data"' in page.content.decode()
    # Never autosaved: a draft would carry the file.
    assert '<form method="post" novalidate enctype' in page.content.decode()
    assert "novalidate data-autosave" not in page.content.decode()
    response = client.post(
        url,
        {
            "title": "同意書",
            "kind": "consent_document",
            "filed_with": str(consent.pk),
            "file": upload("同意書.jpg", image_bytes("JPEG")),
        },
    )
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert (attachment.consent, attachment.case, attachment.agency) == (
        consent,
        None,
        cast.agency_a,
    )


def test_a_reader_of_the_case_may_not_attach_or_replace(client, cast, case_a):
    attachment = _case_letter(cast, case_a)
    client.force_login(cast.consultation_b)
    assert _post_new(client, case_a, signed_form()).status_code == 403
    replace = reverse("casework:attachment_replace", kwargs={"pk": attachment.pk})
    assert client.post(replace, {"file": signed_form(), "reason": "x"}).status_code == 403
    assert AttachmentVersion.objects.count() == 1


def test_a_refused_save_leaves_no_file_behind(cast, case_a, monkeypatch):
    stored: list[str] = []
    real_store = attachment_files.store

    def remember(file):
        result = real_store(file)
        stored.append(result.key)
        return result

    monkeypatch.setattr(attachment_files, "store", remember)
    # A version row that cannot be saved (its number clashes): the bytes are deleted again.
    attachment = _case_letter(cast, case_a)
    from django.core.exceptions import ValidationError

    from casework.services import attachments as attachment_services

    with pytest.raises(ValidationError):
        attachment_services._stored_version(
            actor=cast.csw_a, attachment=attachment, number=1, file=signed_form(), reason="x"
        )
    assert len(stored) == 2
    assert attachment_files.storage().exists(stored[0])
    assert not attachment_files.storage().exists(stored[1])


def test_the_case_page_query_count_does_not_grow_with_attachments(
    client, cast, case_a, django_assert_max_num_queries
):
    client.force_login(cast.csw_a)
    url = case_a.get_absolute_url()

    def attach(n):
        for i in range(n):
            services.attachment_add(
                actor=cast.csw_a,
                person=case_a.person,
                case=case_a,
                kind="letter",
                title=f"通知{i}",
                file=signed_form(),
            )

    attach(1)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        client.get(url)
    attach(5)
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert client.get(url).status_code == 200


def test_the_checks_themselves_refuse_an_empty_file_and_a_pdf_with_too_many_pages(settings):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as empty:
        attachment_files.check_upload(upload("空.pdf", b""))
    assert empty.value.code == "empty"
    many = _pdf_with(lambda writer: [writer.add_blank_page(10, 10) for _ in range(600)])
    with pytest.raises(ValidationError) as pages:
        attachment_files.check_upload(upload("厚い.pdf", many))
    assert pages.value.code == "too_many_pages"


def test_a_multi_picture_jpeg_from_a_phone_is_a_jpeg():
    import io

    from PIL import Image

    first, second = Image.new("RGB", (20, 20), "red"), Image.new("RGB", (20, 20), "blue")
    out = io.BytesIO()
    first.save(out, format="MPO", save_all=True, append_images=[second])
    assert attachment_files.check_upload(upload("写真.jpg", out.getvalue())).key == "jpeg"


def test_one_request_carries_at_most_two_files(client, cast, case_a):
    client.force_login(cast.csw_a)
    url = reverse("casework:attachment_new", kwargs={"pk": case_a.pk})
    files = [upload(f"{i}.pdf", pdf_bytes()) for i in range(5)]
    response = client.post(url, {"title": "x", "kind": "letter", "file": files})
    assert response.status_code == 400
    assert not Attachment.objects.exists()


def test_a_closed_case_takes_no_new_attachment_or_version(client, cast, case_a):
    from casework.models import CaseStatus

    attachment = _case_letter(cast, case_a)
    case_a.status, case_a.closed_on = CaseStatus.CLOSED, case_a.opened_on
    case_a.save(update_fields=["status", "closed_on"])
    client.force_login(cast.supervisor_a)
    response = _post_new(client, case_a, signed_form())
    assert response.status_code in (400, 403)
    replace = reverse("casework:attachment_replace", kwargs={"pk": attachment.pk})
    response = client.post(replace, {"file": signed_form(), "reason": "再スキャン"})
    assert response.status_code in (400, 403)
    assert AttachmentVersion.objects.count() == 1
    page = client.get(attachment.get_absolute_url()).content.decode()
    assert "新しい版に差し替える" not in page
    # Still read and downloaded.
    assert client.get(attachment.versions.get().get_download_url()).status_code == 200


def test_the_replace_page_of_a_person_attachment_is_logged_as_a_read_of_the_person(
    client, cast, case_a
):
    attachment = _person_attachment(cast, case_a)
    client.force_login(cast.csw_a)
    before = AccessLog.objects.count()
    url = reverse("casework:attachment_replace", kwargs={"pk": attachment.pk})
    assert client.get(url).status_code == 200
    rows = list(AccessLog.objects.order_by("pk")[before:])
    assert [(r.action, r.person_id, r.case_id) for r in rows] == [
        (AccessLog.Action.VIEW_FORM, case_a.person.pk, None)
    ]


def test_a_file_the_store_cannot_give_back_is_said_and_not_logged_as_read(client, cast, case_a):
    attachment = _case_letter(cast, case_a)
    version = attachment.versions.get()
    attachment_files.storage().delete(version.storage_key)  # restored from another day
    client.force_login(cast.csw_a)
    before = AccessLog.objects.filter(action=AccessLog.Action.EXPORT).count()
    response = client.get(version.get_download_url(), follow=True)
    assert response.status_code == 200
    assert "この版のファイルを読み出せませんでした" in response.content.decode()
    assert AccessLog.objects.filter(action=AccessLog.Action.EXPORT).count() == before
