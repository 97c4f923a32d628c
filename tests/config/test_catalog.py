"""Every screen text of the app has an English translation in locale/en/LC_MESSAGES/django.po.

The strings are collected without GNU gettext (see tests/catalog_strings.py): the gettext
calls of the app's Python code, under whatever names a module imports them as, and the
translate / blocktranslate tags of the templates, as Django's `makemessages` would see
them. Strings that Django's own catalogs translate (the admin's "Home", "English") are not
the app's and are left out.

To list what is missing without running the tests:
    DJANGO_DEBUG=true python -m tests.catalog_strings
"""

import os
import shutil
import subprocess
import sys
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


# --- what makemessages extracts -----------------------------------------------------------

# The names xgettext extracts from Python, with Django's makemessages' keywords: a gettext
# function imported under any other name is invisible to it (its strings never reach a
# translator), unless casework's makemessages command adds the name.
XGETTEXT_NAMES = {
    "gettext",
    "ngettext",
    "gettext_noop",
    "gettext_lazy",
    "ngettext_lazy",
    "pgettext",
    "npgettext",
    "pgettext_lazy",
    "npgettext_lazy",
}
SINGULAR = {"gettext", "gettext_lazy", "gettext_noop"}  # what xgettext's `_` takes


def _unextracted_names(root=catalog_strings.ROOT):
    from casework.management.commands.makemessages import ALIASES

    found = []
    for path in catalog_strings.python_files(root):
        tree = catalog_strings.ast.parse(path.read_text(encoding="utf-8"))
        functions, _modules = catalog_strings._translation_names(tree)
        for name, function in sorted(functions.items()):
            if name == function and name in XGETTEXT_NAMES:
                continue
            if (name == "_" and function in SINGULAR) or ALIASES.get(name) == function:
                continue
            found.append(f"{path.relative_to(root).as_posix()}: {function} as {name}")
    return found


def test_makemessages_extracts_every_name_the_app_calls_gettext_by():
    """`gettext_lazy as _lazy` is read by the check above but not by xgettext: the
    makemessages command must be told each such name (casework/management/commands/
    makemessages.py), or the module must use a name xgettext knows."""
    unknown = _unextracted_names()
    assert not unknown, _report("gettext imported under a name makemessages skips", unknown)


def test_the_name_check_finds_an_alias_makemessages_skips(tmp_path):
    (tmp_path / "casework").mkdir()
    (tmp_path / "casework" / "views.py").write_text(
        "from django.utils.translation import gettext_lazy as _lazy, gettext_lazy as L_\n"
        "from django.utils.translation import ngettext as _, pgettext\n",
        encoding="utf-8",
    )
    assert _unextracted_names(tmp_path) == [
        "casework/views.py: gettext_lazy as L_",
        "casework/views.py: ngettext as _",
    ]


def _makemessages_copy(tmp_path):
    """Run makemessages on a copy of the sources and the catalog: the catalog it would write."""
    root = catalog_strings.ROOT
    ignore = shutil.ignore_patterns("__pycache__", "*.mo")
    for name in (*catalog_strings.APP_PACKAGES, "bench", "templates", "static", "locale"):
        shutil.copytree(root / name, tmp_path / name, ignore=ignore)
    shutil.copy(root / "manage.py", tmp_path / "manage.py")
    env = {**os.environ, "DJANGO_DEBUG": "true", "TSUNAGU_VAR_DIR": str(tmp_path / "var")}
    command = [sys.executable, "manage.py", "makemessages", "-l", "en", "--no-obsolete"]
    done = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return polib.pofile(str(tmp_path / CATALOG.relative_to(root)))


@pytest.mark.skipif(
    not shutil.which("xgettext"), reason="needs GNU gettext (apt-get install gettext)"
)
def test_makemessages_extracts_what_the_check_reads_and_the_catalog_translates_it(
    messages, tmp_path
):
    """What a translator's `makemessages -l en` run would give: every string the check reads
    is extracted, nothing more, and each has an English msgstr once merged."""
    written = _makemessages_copy(tmp_path)
    extracted = {(e.msgctxt, e.msgid) for e in written} - django_msgids()
    read = {(m.msgctxt, m.msgid) for m in messages}
    assert sorted(read - extracted, key=str) == [], "makemessages leaves these out"
    assert sorted(extracted - read, key=str) == [], "the check leaves these out"
    untranslated = [
        e.msgid
        for e in written
        if (e.msgctxt, e.msgid) in read and (not e.translated() or "fuzzy" in e.flags)
    ]
    assert untranslated == []


def test_no_gettext_call_inside_an_f_string():
    """f'{_("途中")}' is translated at run time but never extracted: xgettext does not read
    into f-strings. Translate first, then format: label = _("途中"); f"{label}"."""
    found = catalog_strings.calls_in_f_strings()
    assert not found, _report("gettext calls inside an f-string", found)


def test_the_f_string_check_finds_a_call_inside_braces(tmp_path):
    (tmp_path / "casework").mkdir()
    (tmp_path / "casework" / "views.py").write_text(
        "from django.utils.translation import gettext as _\n"
        "label = _('外')\n"
        "A = f'<b>{label}</b>'\n"
        "B = f'<b>{_(\"中\")}</b>'\n",
        encoding="utf-8",
    )
    assert catalog_strings.calls_in_f_strings(tmp_path) == ["casework/views.py:4: _('中')"]
