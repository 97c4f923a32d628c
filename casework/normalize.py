"""Name normalization for search: 佐藤 / さとう / サトウ / ｻﾄｳ must find the same person."""

import unicodedata

_KATAKANA_START = ord("ァ")
_KATAKANA_END = ord("ヶ")
_KATA_TO_HIRA = ord("ぁ") - ord("ァ")


def fold_kana(text: str) -> str:
    """Katakana to hiragana (ヴ and the small ヵヶ included)."""
    return "".join(
        chr(ord(ch) + _KATA_TO_HIRA) if _KATAKANA_START <= ord(ch) <= _KATAKANA_END else ch
        for ch in text
    )


def normalize_name(text: str) -> str:
    """NFKC (half-width kana and full-width letters), kana folded, case folded, no spaces."""
    text = unicodedata.normalize("NFKC", text or "")
    text = fold_kana(text).casefold()
    return "".join(text.split())


def person_search_key(family: str, given: str, family_kana: str, given_kana: str) -> str:
    """One string that contains every way the name may be typed, in normalized form.

    Kanji and kana readings are kept as separate parts joined by a separator that
    normalization never produces, so a search for a fragment never spans the two.
    """
    return "|".join([normalize_name(family + given), normalize_name(family_kana + given_kana)])
