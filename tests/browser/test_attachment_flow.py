"""A worker files a scanned, signed form with a case in a real browser, is told next to the
field when the file is not what its name says, downloads it back and replaces it by a new
version, whose history keeps the first."""

import pytest

from tests.attachment_files import image_bytes, pdf_bytes
from tests.browser.conftest import login

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def files(tmp_path):
    signed = tmp_path / "署名済み同意書.pdf"
    signed.write_bytes(pdf_bytes(pages=2))
    rescanned = tmp_path / "再スキャン.pdf"
    rescanned.write_bytes(pdf_bytes(pages=3))
    disguised = tmp_path / "写真.pdf"  # a PNG under a PDF's name
    disguised.write_bytes(image_bytes("PNG"))
    return {"signed": signed, "rescanned": rescanned, "disguised": disguised}


def test_a_worker_attaches_downloads_and_replaces_a_signed_form(
    live_server, case_a, files, browser_page
):
    page = browser_page
    base = live_server.url
    login(page, base, "csw_a")
    page.goto(f"{base}/cases/{case_a.pk}/")
    page.click("[data-attachments] >> text=書類を添付")
    page.wait_for_url(f"**/cases/{case_a.pk}/attachments/new/")

    # A picture named .pdf: refused next to the file field, nothing filed.
    page.fill("input[name=title]", "署名済み同意書")
    page.select_option("select[name=kind]", "consent_document")
    page.set_input_files("input[name=file]", str(files["disguised"]))
    page.click("main button[type=submit]")
    error = page.locator(".field.has-error .error")
    assert "ファイルの中身はPNGですが、名前の拡張子が「.pdf」です" in error.inner_text()

    page.set_input_files("input[name=file]", str(files["signed"]))
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base}/cases/{case_a.pk}/")
    panel = page.locator("[data-attachments]")
    assert "署名済み同意書" in panel.inner_text()
    assert "第1版" in panel.inner_text()

    # The download is the file as it was scanned.
    with page.expect_download() as download:
        panel.locator("text=ダウンロード").first.click()
    got = download.value
    assert got.suggested_filename.endswith("_第1版.pdf")
    assert got.path().read_bytes() == files["signed"].read_bytes()

    # A new version, with its reason; the first stays in the history.
    panel.locator("a", has_text="署名済み同意書").click()
    page.click("text=新しい版に差し替える")
    page.set_input_files("input[name=file]", str(files["rescanned"]))
    page.fill("input[name=reason]", "署名欄が不鮮明だったため再スキャン")
    page.click("main button[type=submit]")
    page.wait_for_selector("[data-version='2']")
    assert page.locator("[data-version]").count() == 2
    assert "再スキャン" in page.locator("[data-version='2']").inner_text()
    with page.expect_download() as first:
        page.locator("[data-version='1'] >> text=ダウンロード").click()
    assert first.value.path().read_bytes() == files["signed"].read_bytes()
