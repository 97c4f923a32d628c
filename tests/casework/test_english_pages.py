"""English mode shows no Japanese the app wrote.

One member of each role (and a system admin) opens every page of the project in English:
the page walk of the content test (tests/casework/page_walk.py) over the same world
(tests/casework/leak_world.py). From each page that answered 200 the text the records hold
is taken out: what the test data typed (names, kana, addresses, notes, agency and group
names: the Japanese string literals of the modules that build the world, the people of
the world) and what the database holds as typed text. Whatever Japanese is left was
written by the app, and English mode must not show it.
"""

from __future__ import annotations

import ast
import html
import logging
import re
from pathlib import Path

from django.apps import apps
from django.conf import settings as django_settings
from django.db import models
from django.urls import reverse

from casework.models import AccessLog, District, Notification
from security.models import SecurityEvent
from tests.casework.leak_world import PEOPLE, build_world
from tests.casework.page_walk import targets

TESTS = Path(__file__).resolve().parent.parent

# The modules whose Japanese literals are the world's records: what the test data typed.
WORLD_SOURCES = (
    TESTS / "builders.py",
    TESTS / "factories.py",
    TESTS / "referrals" / "conftest.py",
    TESTS / "casework" / "leak_world.py",
)

# One member of each role opens every page: the pages and their words depend on the role and
# on the member's relationship to each record, not on which of two equal agencies they are in.
# csw_b is the visit's staff and the worker a referral names; consultation_a sent every
# referral (the sender's pages and buttons); supervisor_a sees every case of agency A (plans
# and closures waiting for approval); supervisor_b is asked to answer the referrals (accept,
# decline); admin_a is an agency admin (the Django admin). The indicator officer sees the
# indicators; the outsider, and the system admin, see what is left.
MEMBERS = (
    "csw_b",
    "consultation_a",
    "supervisor_a",
    "supervisor_b",
    "admin_a",
    "indicator_officer",
    "outsider",
    "system_admin",
)
# A page shows the same words for every object of its kind, so each member reads the first
# few of each URL pattern that answer 200; the words of a referral's page depend on its state,
# so every referral (one in each state) is read. A member opens at most a few URLs of a
# pattern: who may see which object is the content test's business, not this one's.
PAGES_PER_PATTERN = 2
URLS_PER_PATTERN = 6
EVERY_OBJECT = {"referrals:detail"}

# Japanese that English mode shows on purpose. Keep it tiny, with the reason.
ALLOWED = (
    # The language switcher names each language in itself: 日本語 is how a Japanese reader
    # finds the way back.
    "日本語",
)

# The print views: the sheet (the national form) is the ward's Japanese document whatever
# the screen language (docs/printing.md); the page around it is the reader's.
WARD_DOCUMENTS = {
    "casework:print_intake",
    "casework:print_contacts",
    "casework:print_assessment",
    "casework:print_plan",
    "casework:print_evaluation",
    # The disclosure package is the ward's document to the person, as the national forms.
    "rights:package_print",
}
SHEET = re.compile(r'<article class="sheet" lang="ja".*?</article>', re.S)

JAPANESE = re.compile(
    "[\u3000-\u303f"  # CJK punctuation (、。「」〜)
    "\u3040-\u309f"  # hiragana
    "\u30a0-\u30ff"  # katakana
    "\u31f0-\u31ff"  # katakana extensions
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"  # CJK ideographs
    "\uff00-\uffef]+"  # full-width forms (（）、：, half-width kana)
)
TAGS = re.compile(r"<(script|style)\b.*?</\1>|<!--.*?-->|<[^>]*>", re.S)


def _japanese_literals(path: Path) -> set[str]:
    """Every Japanese string literal of a module, and the literal parts of its f-strings."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            found.update(p.strip() for p in node.value.split("\n") if JAPANESE.search(p))
    return {text for text in found if text}


def _typed_in_database() -> set[str]:
    """The text fields' values of every row: what people typed into the records (and the
    notifications, written in the ward's language when they were sent, whoever reads
    them: tests/reminders/test_delivery.py)."""
    found: set[str] = set()
    for model in apps.get_models():
        if model._meta.app_label not in ("casework", "referrals", "outreach", "auth"):
            continue
        if model._meta.db_table.startswith(("casework_district",)):
            continue  # master data the app names itself: it has English
        fields = [
            f.attname
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField) and not f.choices
        ]
        for row in model._default_manager.values_list(*fields) if fields else ():
            for value in row:
                if value and JAPANESE.search(value):
                    found.update(p.strip() for p in value.splitlines() if p.strip())
    found.update(Notification.objects.values_list("message", flat=True))
    return found


def record_texts() -> list[str]:
    texts = set()
    for path in WORLD_SOURCES:
        texts |= _japanese_literals(path)
    for someone in PEOPLE.values():
        texts |= set(someone.strings().values())
    texts |= _typed_in_database()
    return longest_first(texts)


def longest_first(texts) -> list[str]:
    """The longest first, so that a name is not cut out of the middle of its address."""
    return sorted(set(texts), key=len, reverse=True)


def visible_text(content: str) -> str:
    """The page's text as a reader meets it: text between tags, and the attributes read out
    (title, placeholder, aria-label, alt, value of buttons)."""
    attributes = re.findall(r'\b(?:title|placeholder|aria-label|alt)="([^"]*)"', content)
    # A button's value is its label; other inputs' values are what was typed or chosen.
    attributes += re.findall(r'<input[^>]*type="(?:submit|button)"[^>]*value="([^"]*)"', content)
    return html.unescape(TAGS.sub(" ", content) + " " + " ".join(attributes))


def japanese_left(text: str, records: list[str]) -> list[tuple[str, str]]:
    """(the Japanese, the text around it) for each run of Japanese left on the page."""
    for record in records:
        text = text.replace(record, " ")
    for allowed in ALLOWED:
        text = text.replace(allowed, " ")
    found = []
    for match in JAPANESE.finditer(text):
        start, end = max(0, match.start() - 30), match.end() + 30
        found.append((match.group(), " ".join(text[start:end].split())))
    return found


def _access_log_details() -> list[str]:
    """The access log keeps what was read in the ward's language, whoever reads it
    (casework/access_log.py): a record, written when the page was opened."""
    return list(AccessLog.objects.exclude(detail="").values_list("detail", flat=True))


def _security_log_details() -> list[str]:
    """The security log keeps its details as written, in the ward's language (the page
    translates those that are one catalog text), like the access log."""
    return list(SecurityEvent.objects.exclude(detail="").values_list("detail", flat=True))


def _by_pattern(world) -> dict[str, list[str]]:
    """Every URL of every pattern, the query strings that change a page with them."""
    found, _unfilled = targets(world)
    urls: dict[str, list[str]] = {}
    for target in found:
        urls.setdefault(target.name, []).extend([target.url, *target.follow_ups, *target.once])
    return urls


def _walk(client, world, records) -> tuple[dict[str, list[str]], int, int]:
    problems: dict[str, list[str]] = {}
    opened = answered = 0
    access_log = reverse("casework:access_log")
    security_log = reverse("security:log")
    admin_site = reverse("admin:index")
    district_names = list(District.objects.values_list("name", flat=True))
    error_pages: set[tuple[str, int]] = set()
    by_pattern = _by_pattern(world)
    for member in MEMBERS:
        client.force_login(world.members[member])
        client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
        for name, urls in by_pattern.items():
            shown = 0
            for tried, url in enumerate(urls):
                if name not in EVERY_OBJECT and (
                    shown >= PAGES_PER_PATTERN or tried >= URLS_PER_PATTERN
                ):
                    break
                response = client.get(url)
                opened += 1
                status = response.status_code
                if status != 200:
                    # The error pages are the same for every URL: read each once a member.
                    if status not in (403, 404) or (member, status) in error_pages:
                        continue
                    error_pages.add((member, status))
                else:
                    shown += 1
                if response.streaming or "html" not in response.get("Content-Type", ""):
                    continue
                answered += 1
                known = records
                if url.startswith(access_log):
                    known = longest_first([*_access_log_details(), *records])
                elif url.startswith(security_log):
                    known = longest_first([*_security_log_details(), *records])
                elif url.startswith(admin_site):
                    # Where the districts' names are kept: the admin shows and edits the
                    # name as typed (its English comes from the catalog everywhere else).
                    known = longest_first([*district_names, *records])
                content = response.content.decode()
                if name in WARD_DOCUMENTS:
                    # The national form itself prints in Japanese; its page is English.
                    assert SHEET.search(content), f"{url} shows no sheet"
                    content = SHEET.sub(" ", content)
                text = visible_text(content)
                for japanese, around in japanese_left(text, known):
                    problems.setdefault(japanese, []).append(f"{member} {status} {url}: {around}")
    return problems, opened, answered


def test_english_pages_show_no_japanese_the_app_wrote(client, settings, cast, workflow, open_case):
    world = build_world(cast, workflow, open_case)
    records = record_texts()
    # Renewing the session on every request is for the idle timeout, not what is read here.
    settings.SESSION_SAVE_EVERY_REQUEST = False
    request_log = logging.getLogger("django.request")
    level = request_log.level
    request_log.setLevel(logging.ERROR)  # hundreds of expected 403s and 404s
    try:
        problems, opened, answered = _walk(client, world, records)
    finally:
        request_log.setLevel(level)
    print(f"{opened} requests, {answered} pages read in English")
    assert answered > 300, f"only {answered} of {opened} pages answered: is the walk broken?"
    # The same reading of a Japanese page finds the app's Japanese: the records taken out
    # are not everything.
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "ja"
    japanese_home = client.get(reverse("casework:home")).content.decode()
    assert "ログアウト" in {j for j, _ in japanese_left(visible_text(japanese_home), records)}
    report = [
        f"{japanese!r} on {len(where)} pages, e.g. {where[0]!r}"
        for japanese, where in sorted(problems.items())
    ]
    assert not report, f"{len(report)} Japanese texts in English mode:\n" + "\n".join(report)
