"""Collect the app's translatable strings and check them against the English catalog.

No GNU gettext is needed: Python sources are read with `ast`, templates are turned into
gettext calls by Django's own `templatize` (what `makemessages` feeds to xgettext) and
those calls are read with `tokenize`.

Run by hand to list what the English catalog lacks:

    DJANGO_DEBUG=true python -m tests.catalog_strings
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import polib
from django.utils.translation.template import templatize

ROOT = Path(__file__).resolve().parent.parent
APP_PACKAGES = (
    "casework",
    "referrals",
    "outreach",
    "reminders",
    "rights",
    "indicators",
    "returns",
    "security",
    "directory",
    "config",
)
CATALOG = ROOT / "locale" / "en" / "LC_MESSAGES" / "django.po"

# The functions of django.utils.translation, each with the positions of its
# (context, singular, plural) arguments; None where it has no such argument.
GETTEXT_FUNCTIONS: dict[str, tuple[int | None, int, int | None]] = {
    "gettext": (None, 0, None),
    "gettext_lazy": (None, 0, None),
    "gettext_noop": (None, 0, None),
    "ngettext": (None, 0, 1),
    "ngettext_lazy": (None, 0, 1),
    "pgettext": (0, 1, None),
    "pgettext_lazy": (0, 1, None),
    "npgettext": (0, 1, 2),
    "npgettext_lazy": (0, 1, 2),
}
TRANSLATION_MODULES = {"django.utils.translation"}

# What templatize writes: gettext / ngettext / pgettext / npgettext calls, plus `_()`
# for the `_("...")` constants of template variables and tag arguments.
TEMPLATE_FUNCTIONS = {
    "gettext": GETTEXT_FUNCTIONS["gettext"],
    "_": GETTEXT_FUNCTIONS["gettext"],
    "ngettext": GETTEXT_FUNCTIONS["ngettext"],
    "pgettext": GETTEXT_FUNCTIONS["pgettext"],
    "npgettext": GETTEXT_FUNCTIONS["npgettext"],
}


@dataclass(frozen=True)
class Use:
    """One translatable string as the code uses it."""

    msgctxt: str | None
    msgid: str
    msgid_plural: str | None
    path: str
    line: int


@dataclass
class Message:
    """One catalog entry the code needs, with every place that uses it."""

    msgctxt: str | None
    msgid: str
    plurals: set[str] = field(default_factory=set)
    uses: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        text = repr(self.msgid)
        if self.plurals:
            text += " / plural " + " | ".join(repr(p) for p in sorted(self.plurals))
        if self.msgctxt is not None:
            text = f"[context {self.msgctxt!r}] " + text
        return text


# --- Python -------------------------------------------------------------------------


def python_files(root: Path = ROOT) -> Iterator[Path]:
    for package in APP_PACKAGES:
        for path in sorted((root / package).rglob("*.py")):
            parts = path.relative_to(root).parts
            if "migrations" in parts or "tests" in parts:
                continue
            yield path


def _literal(node: ast.AST) -> str | None:
    """The value of a string literal (adjacent literals and `+` of literals too)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _literal(node.left), _literal(node.right)
        if left is not None and right is not None:
            return left + right
    return None


def _translation_names(tree: ast.Module) -> tuple[dict[str, str], set[str]]:
    """The local names of the gettext functions, and of django.utils.translation."""
    functions: dict[str, str] = {}
    modules: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module in TRANSLATION_MODULES:
            for alias in node.names:
                if alias.name in GETTEXT_FUNCTIONS:
                    functions[alias.asname or alias.name] = alias.name
        elif isinstance(node, ast.ImportFrom) and node.module == "django.utils":
            for alias in node.names:
                if alias.name == "translation":
                    modules.add(alias.asname or alias.name)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name in TRANSLATION_MODULES and alias.asname:
                    modules.add(alias.asname)
    # `name = gettext_lazy` style aliases made in the module itself.
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Assign)
            and isinstance(node.value, ast.Name)
            and node.value.id in functions
        ):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    functions[target.id] = functions[node.value.id]
    return functions, modules


def python_uses(path: Path, root: Path = ROOT) -> Iterator[Use]:
    source = path.read_text(encoding="utf-8")
    tree = ast.parse(source, filename=str(path))
    functions, modules = _translation_names(tree)
    relative = path.relative_to(root).as_posix()
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Name) and func.id in functions:
            canonical = functions[func.id]
        elif (
            isinstance(func, ast.Attribute)
            and isinstance(func.value, ast.Name)
            and func.value.id in modules
            and func.attr in GETTEXT_FUNCTIONS
        ):
            canonical = func.attr
        else:
            continue
        # Like xgettext, give the line of the string (a call may span lines).
        line = node.args[0].lineno if node.args else node.lineno
        use = _use_from_args(GETTEXT_FUNCTIONS[canonical], node.args, relative, line)
        if use is not None:
            yield use


def _built(node: ast.AST) -> bool:
    """Whether a gettext argument is a string built at run time from a literal (an
    f-string, `"..." % x`, `"...".format(x)`): the catalog can never translate it."""
    if isinstance(node, ast.JoinedStr):
        return True
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod | ast.Add):
        return _literal(node) is None and (_built(node.left) or _literal(node.left) is not None)
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "format"
        and _literal(node.func.value) is not None
    )


def built_strings(root: Path = ROOT) -> list[str]:
    """The gettext calls whose text is built at run time, as "path:line: call"."""
    found = []
    for path in python_files(root):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        functions, _modules = _translation_names(tree)
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in functions
                and any(_built(arg) for arg in node.args)
            ):
                relative = path.relative_to(root).as_posix()
                found.append(f"{relative}:{node.lineno}: {ast.unparse(node)}")
    return found


def calls_in_f_strings(root: Path = ROOT) -> list[str]:
    """The gettext calls written inside an f-string's braces, as "path:line: call":
    xgettext does not read into f-strings, so makemessages never extracts them."""
    found = []
    for path in python_files(root):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        functions, _modules = _translation_names(tree)
        for node in ast.walk(tree):
            if not isinstance(node, ast.JoinedStr):
                continue
            for inner in ast.walk(node):
                if (
                    isinstance(inner, ast.Call)
                    and isinstance(inner.func, ast.Name)
                    and inner.func.id in functions
                ):
                    relative = path.relative_to(root).as_posix()
                    found.append(f"{relative}:{inner.lineno}: {ast.unparse(inner)}")
    return found


def _use_from_args(
    positions: tuple[int | None, int, int | None], args: list, path: str, line: int
) -> Use | None:
    context_at, singular_at, plural_at = positions
    needed = max(p for p in positions if p is not None)
    if len(args) <= needed:
        return None
    values = [_literal(arg) if isinstance(arg, ast.AST) else arg for arg in args]
    msgctxt = values[context_at] if context_at is not None else None
    msgid = values[singular_at]
    msgid_plural = values[plural_at] if plural_at is not None else None
    if msgid is None or (context_at is not None and msgctxt is None):
        return None  # not a literal: a run-time lookup of a string marked elsewhere
    if plural_at is not None and msgid_plural is None:
        return None
    return Use(msgctxt, msgid, msgid_plural, path, line)


# --- Templates ----------------------------------------------------------------------


def template_files(root: Path = ROOT) -> Iterator[Path]:
    yield from sorted((root / "templates").rglob("*.html"))
    for directory in sorted(root.glob("*/templates")):
        yield from sorted(directory.rglob("*.html"))


def template_uses(path: Path, root: Path = ROOT) -> Iterator[Use]:
    relative = path.relative_to(root).as_posix()
    source = templatize(path.read_text(encoding="utf-8"), origin=relative)
    # The output keeps the template's lines; drop the indentation so that tokenize
    # does not complain about it (the blanked-out text is only names and spaces).
    source = "\n".join(line.lstrip() for line in source.split("\n"))
    tokens = [
        t
        for t in tokenize.generate_tokens(io.StringIO(source).readline)
        if t.type not in (tokenize.NL, tokenize.NEWLINE, tokenize.COMMENT)
    ]
    for i, token in enumerate(tokens[:-1]):
        if token.type != tokenize.NAME or token.string not in TEMPLATE_FUNCTIONS:
            continue
        if tokens[i + 1].string != "(":
            continue
        args = _call_arguments(tokens, i + 2)
        use = _use_from_args(TEMPLATE_FUNCTIONS[token.string], args, relative, token.start[0])
        if use is not None:
            yield use


def _call_arguments(tokens: list[tokenize.TokenInfo], start: int) -> list[str | None]:
    """The arguments of a call whose `(` ends just before `start`: a string for each
    argument made only of string literals, None for any other argument."""
    args: list[str | None] = []
    current: list[str] = []
    literal = True
    depth = 0
    for token in tokens[start:]:
        if depth == 0 and token.string in (",", ")"):
            args.append("".join(current) if literal and current else None)
            current, literal = [], True
            if token.string == ")":
                return args
            continue
        if token.string in ("(", "[", "{"):
            depth += 1
        elif token.string in (")", "]", "}"):
            depth -= 1
        if token.type == tokenize.STRING and depth == 0:
            current.append(ast.literal_eval(token.string))
        else:
            literal = False
    return args


# --- Collecting and checking --------------------------------------------------------


def django_msgids() -> set[tuple[str | None, str]]:
    """The msgids of the catalogs of Django and of the installed third-party apps:
    those strings are translated by their own catalogs, not by the app's."""
    import django
    from django.apps import apps

    directories = [Path(django.__file__).parent / "conf" / "locale"]
    for config in apps.get_app_configs():
        if config.name.split(".")[0] not in APP_PACKAGES:
            directories.append(Path(config.path) / "locale")
    msgids: set[tuple[str | None, str]] = set()
    for directory in directories:
        catalogs = sorted(directory.glob("*/LC_MESSAGES/django.po"))
        english = [c for c in catalogs if c.parts[-3] == "en"]
        for catalog in (english or catalogs)[:1]:
            msgids.update((e.msgctxt, e.msgid) for e in polib.pofile(str(catalog)))
    return msgids


def collect(root: Path = ROOT, exclude: Iterable[tuple[str | None, str]] = ()) -> list[Message]:
    """Every translatable string of the app's code, ordered by file and line of first use."""
    excluded = set(exclude)
    messages: dict[tuple[str | None, str], Message] = {}
    uses: list[Use] = []
    for path in python_files(root):
        uses.extend(python_uses(path, root))
    for path in template_files(root):
        uses.extend(template_uses(path, root))
    for use in sorted(uses, key=lambda u: (u.path, u.line)):
        key = (use.msgctxt, use.msgid)
        if key in excluded:
            continue
        message = messages.setdefault(key, Message(use.msgctxt, use.msgid))
        if use.msgid_plural is not None:
            message.plurals.add(use.msgid_plural)
        message.uses.append(f"{use.path}:{use.line}")
    return list(messages.values())


def _nplurals(catalog: polib.POFile) -> int:
    found = re.search(r"nplurals\s*=\s*(\d+)", catalog.metadata.get("Plural-Forms", ""))
    return int(found[1]) if found else 2


def problems(messages: Iterable[Message], catalog_path: Path = CATALOG) -> list[str]:
    """What the catalog lacks for the given messages, one line each (with the uses)."""
    catalog = polib.pofile(str(catalog_path))
    entries = {(e.msgctxt, e.msgid): e for e in catalog if not e.obsolete}
    nplurals = _nplurals(catalog)
    found: list[str] = []
    for message in messages:
        entry = entries.get((message.msgctxt, message.msgid))
        if entry is None:
            reason = "no entry"
        elif "fuzzy" in entry.flags:
            reason = "entry is fuzzy"
        elif len(message.plurals) > 1:
            reason = "used with different plurals"
        elif message.plurals:
            (plural,) = message.plurals
            filled = [entry.msgstr_plural.get(n, "").strip() for n in range(nplurals)]
            if entry.msgid_plural != plural:
                reason = f"entry has msgid_plural {entry.msgid_plural!r}"
            elif not all(filled):
                reason = "a plural msgstr[n] is empty"
            else:
                continue
        elif entry.msgid_plural:
            reason = "entry is plural but the code uses it as a singular"
        elif not entry.msgstr.strip():
            reason = "msgstr is empty"
        else:
            continue
        found.append(f"{message.label} ({reason}) used at {', '.join(message.uses)}")
    return found


PLACEHOLDER = re.compile(r"%\(\w+\)[#0\- +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]")


def placeholder_problems(messages: Iterable[Message], catalog_path: Path = CATALOG) -> list[str]:
    """Translations whose %(name)s placeholders differ from their msgid's: a singular
    translation must use exactly the msgid's; each plural form only the msgids' (the
    form for one may leave out the number)."""
    catalog = polib.pofile(str(catalog_path))
    entries = {(e.msgctxt, e.msgid): e for e in catalog if not e.obsolete}
    found = []
    for message in messages:
        entry = entries.get((message.msgctxt, message.msgid))
        if entry is None:
            continue
        source = set(PLACEHOLDER.findall(entry.msgid))
        if entry.msgid_plural:
            source |= set(PLACEHOLDER.findall(entry.msgid_plural))
            for text in entry.msgstr_plural.values():
                if set(PLACEHOLDER.findall(text)) - source:
                    found.append(f"{message.label}: {text!r} has a placeholder of its own")
        elif entry.msgstr and set(PLACEHOLDER.findall(entry.msgstr)) != source:
            found.append(f"{message.label}: {entry.msgstr!r} should use exactly {sorted(source)}")
    return found


if __name__ == "__main__":  # pragma: no cover - a tool for translators
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    for line in problems(collect(exclude=django_msgids())):
        print(line)
