"""The disclosure package on paper and in a workbook: PDF and Excel of each copy."""

import io
import re
import shutil
import subprocess

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from casework.models import Person
from rights import package, render
from rights import services as rights_services
from tests.rights.package_world import (
    A_SUMMARY,
    B_SUMMARY,
    MEMBER,
    REPORTER,
    REPORTER_PHONE,
    WHY_B,
)

needs_pdftotext = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed"
)


def test_the_print_page_names_the_person_as_the_package_does(cast, record, client):
    request, person = record["request"], record["person"]
    request.package = package.assemble(request)
    request.save(update_fields=["package"])
    name = str(person)
    Person.objects.filter(pk=person.pk).update(family_name="改名後")
    client.force_login(cast.supervisor_a)
    url = reverse("rights:package_print", kwargs={"pk": request.pk})
    for _kept_name in (True, False):
        page = client.get(url).content.decode()
        assert "改名後" not in page
        assert f"{request}({name})" in page
        assert f"<dd>{name}</dd>" in page
        # A package stored before it kept the name: the name of its person section.
        request.package.pop("person_name", None)
        request.save(update_fields=["package"])


def _pdf_text(content: bytes) -> str:
    assert content.startswith(b"%PDF")
    done = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"], input=content, capture_output=True, check=True
    )
    # A wrapped line is not a change of text.
    return done.stdout.decode().replace("\n", "")


@needs_pdftotext
def test_released_pdf_blacks_out_what_is_withheld(record):
    request = record["request"]
    pkg = package.assemble(request)
    text = _pdf_text(render.package_pdf(request, pkg, released=True))
    assert "保有個人情報開示資料(開示用)" in text
    assert str(record["person"]) in text
    assert A_SUMMARY in text
    assert "■■■■(不開示:" in text
    for withheld in (B_SUMMARY, REPORTER, REPORTER_PHONE, MEMBER):
        assert withheld not in text
    assert re.search(r"1 ?/ ?\d", text)


@needs_pdftotext
def test_review_pdf_shows_it_with_the_mark(record):
    request = record["request"]
    pkg = package.assemble(request)
    text = _pdf_text(render.package_pdf(request, pkg, released=False))
    assert "保有個人情報開示資料(確認用)" in text
    for withheld in (REPORTER, MEMBER):
        assert withheld in text
    assert B_SUMMARY not in text
    assert f"【要確認:{WHY_B}】" in text
    assert "■■■■" not in text


@needs_pdftotext
def test_a_long_note_runs_over_pages(record):
    """A cell never splits across pages: a 経過記録 longer than a page is cut into rows."""
    request = record["request"]
    pkg = package.assemble(request)
    before = _pdf_text(render.package_pdf(request, pkg, released=True)).count("長")
    pkg["sections"][0]["items"][0]["fields"].append(
        {"label": "内容", "value": "長い記録の本文。" * 2500, "withheld": False, "why": ""}
    )
    text = _pdf_text(render.package_pdf(request, pkg, released=True))
    assert text.count("長") - before == 2500
    assert "(続き)" in text


def _many_short_lines(pkg):
    pkg["sections"][0]["items"][0]["fields"].append(
        {"label": "経過記録", "value": "・項目\n\n" * 300, "withheld": False, "why": ""}
    )


@needs_pdftotext
def test_a_value_of_many_short_lines_renders(record):
    """300 short lines with blank lines between: a row taller than a page would be a
    LayoutError."""
    request = record["request"]
    pkg = package.assemble(request)
    _many_short_lines(pkg)
    for released in (True, False):
        text = _pdf_text(render.package_pdf(request, pkg, released=released))
        assert str(record["person"]) in text
        assert text.count("・項目") == 300


@needs_pdftotext
def test_a_layout_tables_cannot_make_falls_back_to_paragraphs(record, monkeypatch):
    from reportlab.platypus.doctemplate import LayoutError

    def no_table(*args, **kwargs):
        raise LayoutError("too large")

    monkeypatch.setattr(render, "_table", no_table)
    request = record["request"]
    pkg = package.assemble(request)
    _many_short_lines(pkg)
    text = _pdf_text(render.package_pdf(request, pkg, released=True))
    assert str(record["person"]) in text
    assert text.count("・項目") == 300
    assert A_SUMMARY in text
    assert B_SUMMARY not in text
    assert "■■■■(不開示:" in text


@needs_pdftotext
def test_characters_beyond_jis_x_0208_are_kept(record):
    request = record["request"]
    pkg = package.assemble(request)
    pkg["sections"][0]["items"][0]["fields"].append(
        {"label": "氏名(旧)", "value": "𠮷野 﨑子", "withheld": False, "why": ""}
    )
    assert "𠮷野 﨑子" in _pdf_text(render.package_pdf(request, pkg, released=True))


def _sheet_values(content: bytes) -> list[str]:
    workbook = load_workbook(io.BytesIO(content))
    return [
        str(cell)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows(values_only=True)
        for cell in row
        if cell is not None
    ]


def test_released_xlsx_leaves_out_what_is_withheld(record):
    request = record["request"]
    pkg = package.assemble(request)
    released = _sheet_values(render.package_xlsx(request, pkg, released=True))
    assert A_SUMMARY in released
    assert B_SUMMARY not in released
    assert REPORTER not in released
    assert any(v.startswith("■■■■(不開示:") for v in released)
    review = _sheet_values(render.package_xlsx(request, pkg, released=False))
    assert B_SUMMARY not in review
    assert f"要確認:{WHY_B}" in review
    assert REPORTER in review
    assert any(v.startswith("要確認:") for v in review)
    workbook = load_workbook(io.BytesIO(render.package_xlsx(request, pkg, released=False)))
    assert [c.value for c in workbook["支援経過記録"][4]] == ["項目", "機関", "欄", "内容", "確認"]


def test_xlsx_quotes_text_a_spreadsheet_would_run(record):
    request = record["request"]
    pkg = package.assemble(request)
    pkg["sections"][0]["items"][0]["fields"].append(
        {"label": "内容", "value": "=HYPERLINK(1)", "withheld": False, "why": ""}
    )
    values = _sheet_values(render.package_xlsx(request, pkg, released=True))
    assert "'=HYPERLINK(1)" in values
    assert "=HYPERLINK(1)" not in values


def test_package_rows_give_each_copy_its_text(record):
    pkg = package.assemble(record["request"])
    released = package.package_rows(pkg, released=True)
    review = package.package_rows(pkg, released=False)
    shown = [f for s in released for i in s["items"] for f in i["fields"] if f["withheld"]]
    assert shown and all(f["text"].startswith("■■■■(不開示:") and not f["mark"] for f in shown)
    marked = [f for s in review for i in s["items"] for f in i["fields"] if f["withheld"]]
    assert {f["text"] for f in marked} >= {"", REPORTER, MEMBER}
    assert B_SUMMARY not in {f["text"] for f in marked}
    assert all(f["mark"].startswith("【要確認:") for f in marked)


def test_the_print_page_shows_the_copy(cast, record, client):
    request = record["request"]
    request.package = package.assemble(request)
    request.save(update_fields=["package"])
    # The released copy is the person's once disclosure is decided.
    rights_services.request_decide(
        actor=cast.supervisor_a,
        request=request,
        decision="partial",
        reason="第三者の情報を除く",
        decided_on=timezone.localdate(),
    )
    client.force_login(cast.supervisor_a)
    url = reverse("rights:package_print", kwargs={"pk": request.pk})
    released = client.get(url).content.decode()
    assert "保有個人情報開示資料(開示用)" in released
    assert A_SUMMARY in released
    assert B_SUMMARY not in released
    assert REPORTER not in released
    assert 'class="withheld"' in released
    review = client.get(url, {"copy": "review"}).content.decode()
    assert B_SUMMARY not in review
    assert REPORTER in review
    assert "【要確認:" in review


def test_released_value_redacts():
    field = {"label": "内容", "value": "秘密", "withheld": True, "why": "他機関(包括B)の記録"}
    assert package.released_value(field) == "■■■■(不開示:他機関(包括B)の記録)"
    assert package.released_value({**field, "withheld": False, "why": ""}) == "秘密"
