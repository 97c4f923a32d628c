"""Every screen text of the app has an English translation in locale/en/LC_MESSAGES/django.po.

The strings are collected without GNU gettext (see tests/catalog_strings.py): the gettext
calls of the app's Python code, under whatever names a module imports them as, and the
translate / blocktranslate tags of the templates, as Django's `makemessages` would see
them. Strings that Django's own catalogs translate (the admin's "Home", "English") are not
the app's and are left out.

To list what is missing without running the tests:
    DJANGO_DEBUG=true python -m tests.catalog_strings
"""

import shutil
import textwrap

import polib
import pytest

from tests import catalog_strings
from tests.catalog_strings import (
    CATALOG,
    built_strings,
    collect,
    django_msgids,
    placeholder_problems,
    problems,
)


@pytest.fixture(scope="module")
def messages():
    return collect(exclude=django_msgids())


def _report(title, lines):
    return f"{title} ({len(lines)}):\n" + "\n".join(f"  {line}" for line in lines)


def test_every_app_string_has_an_english_translation(messages):
    assert len(messages) > 500, "the collection found too few strings: is it broken?"
    missing = problems(messages)
    assert not missing, _report(
        f"Strings without an English translation in {CATALOG.relative_to(catalog_strings.ROOT)}"
        " (add an entry with a non-empty msgstr, not fuzzy)",
        missing,
    )


def test_translations_keep_the_placeholders(messages):
    wrong = placeholder_problems(messages)
    assert not wrong, _report("Translations whose %(name)s placeholders differ", wrong)


def test_no_gettext_of_a_string_built_at_run_time():
    """_(f"...") or _("..." % x) looks up the finished text, which no catalog has: format
    after translating, _("... %(n)s") % {"n": n}."""
    built = built_strings()
    assert not built, _report("gettext calls on a string built at run time", built)


def test_the_check_fails_on_a_damaged_copy_of_the_catalog(messages, tmp_path):
    """Take entries out of a copy of the catalog, blank and fuzz others: each is reported,
    with the places that use the string."""
    catalog = polib.pofile(str(CATALOG))
    singular = [
        e for e in catalog if not e.msgid_plural and any(e.msgid == m.msgid for m in messages)
    ]
    plural = next(
        e for e in catalog if e.msgid_plural and any(e.msgid == m.msgid for m in messages)
    )
    removed, blanked, fuzzy = singular[:3]
    catalog.remove(removed)
    blanked.msgstr = ""
    fuzzy.flags.append("fuzzy")
    plural.msgstr_plural[1] = ""
    damaged = tmp_path / "django.po"
    catalog.save(str(damaged))

    before = set(problems(messages))
    found = [line for line in problems(messages, damaged) if line not in before]
    by_msgid = {m.msgid: m for m in messages}
    expected = {
        removed.msgid: "(no entry)",
        blanked.msgid: "(msgstr is empty)",
        fuzzy.msgid: "(entry is fuzzy)",
        plural.msgid: "(a plural msgstr[n] is empty)",
    }
    assert len(found) == len(expected), found
    for msgid, reason in expected.items():
        (line,) = [line for line in found if line.startswith(by_msgid[msgid].label + " ")]
        assert reason in line
        assert by_msgid[msgid].uses[0] in line  # file:line of a use


def test_the_collection_reads_every_form_of_the_tags(tmp_path):
    """The forms of the translation tags and of the gettext calls give the msgids that
    makemessages gives (checked against it by hand)."""
    (tmp_path / "casework" / "templates").mkdir(parents=True)
    (tmp_path / "casework" / "migrations").mkdir()
    (tmp_path / "casework" / "forms.py").write_text(
        textwrap.dedent(
            """\
            from django.utils import translation
            from django.utils.translation import gettext as _, gettext_noop as N_
            from django.utils.translation import gettext_lazy as _lazy, ngettext, pgettext

            A = _("一")
            B = _lazy(
                "二"
                "の続き"
            )
            C = N_("三") + _("四" + "五")
            D = ngettext("%(n)s件", "%(n)s件(複数)", 2)
            E = pgettext("画面", "六")
            F = translation.gettext_lazy("七")
            G = _(A)  # a run-time lookup: not a literal
            H = str("八")
            I = _(f"九{A}")
            """
        ),
        encoding="utf-8",
    )
    (tmp_path / "casework" / "migrations" / "0001_initial.py").write_text(
        'from django.utils.translation import gettext_lazy as _\nX = _("移行")\n',
        encoding="utf-8",
    )
    (tmp_path / "casework" / "templates" / "page.html").write_text(
        textwrap.dedent(
            """\
            {% load i18n %}
            <h1>{% translate "見出し" %}</h1>{% trans '別の書き方' as title %}
            {% translate "文脈つき" context "ボタン" %}{% translate "記号だけ" noop %}
            {% translate "100%" %}
            {% blocktranslate with name=person.name %}{{ name }}さんの記録{% endblocktranslate %}
            {% blocktranslate trimmed count n=rows|length %}
              {{ n }}件の
              記録
            {% plural %}
              {{ n }}件の記録
            {% endblocktranslate %}
            {% blocktrans context "表" %}{{ total }}の合計{% endblocktrans %}
            {{ value|default:_("なし") }}
            """
        ),
        encoding="utf-8",
    )
    found = {(m.msgctxt, m.msgid): (m.plurals, m.uses) for m in collect(root=tmp_path)}
    assert catalog_strings.built_strings(tmp_path) == ["casework/forms.py:16: _(f'九{A}')"]
    py, html = "casework/forms.py", "casework/templates/page.html"
    assert found == {
        (None, "一"): (set(), [f"{py}:5"]),
        (None, "二の続き"): (set(), [f"{py}:7"]),
        (None, "三"): (set(), [f"{py}:10"]),
        (None, "四五"): (set(), [f"{py}:10"]),
        (None, "%(n)s件"): ({"%(n)s件(複数)"}, [f"{py}:11"]),
        ("画面", "六"): (set(), [f"{py}:12"]),
        (None, "七"): (set(), [f"{py}:13"]),
        (None, "見出し"): (set(), [f"{html}:2"]),
        (None, "別の書き方"): (set(), [f"{html}:2"]),
        ("ボタン", "文脈つき"): (set(), [f"{html}:3"]),
        (None, "記号だけ"): (set(), [f"{html}:3"]),
        (None, "100%%"): (set(), [f"{html}:4"]),
        (None, "%(name)sさんの記録"): (set(), [f"{html}:5"]),
        (None, "%(n)s件の 記録"): ({"%(n)s件の記録"}, [f"{html}:6"]),
        ("表", "%(total)sの合計"): (set(), [f"{html}:12"]),
        (None, "なし"): (set(), [f"{html}:13"]),
    }


def test_django_strings_are_not_the_apps():
    msgids = django_msgids()
    assert (None, "This field is required.") in msgids
    assert (None, "Home") in msgids  # the admin's


def test_the_catalog_compiles(tmp_path):
    """polib reads the catalog and writes a .mo from it (what compile_locale does)."""
    copy = tmp_path / "django.po"
    shutil.copy(CATALOG, copy)
    polib.pofile(str(copy)).save_as_mofile(str(tmp_path / "django.mo"))
    assert (tmp_path / "django.mo").stat().st_size > 0
