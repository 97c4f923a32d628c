"""What the load script reads from the pages it gets (forms' hidden fields, the links it
follows) and where it may send them (the loopback only). Plain regular expressions over the
project's own templates, no Django: the locust process (bench/load.py) loads no settings."""

from __future__ import annotations

import html
import ipaddress
import re
import unicodedata
from urllib.parse import urlparse

_FORM = re.compile(r"<form\b([^>]*)>(.*?)</form>", re.S | re.I)
_INPUT = re.compile(r"<input\b([^>]*)>", re.I)
_ATTR = re.compile(r'([a-zA-Z_:-]+)\s*=\s*"([^"]*)"')


def _attrs(tag: str) -> dict[str, str]:
    return {k.lower(): html.unescape(v) for k, v in _ATTR.findall(tag)}


def hidden_fields(page: str) -> dict[str, str]:
    """The hidden inputs of the page's first POST form (CSRF token, one-time token, next)."""
    for form_attrs, body in _FORM.findall(page):
        if _attrs(form_attrs).get("method", "get").lower() != "post":
            continue
        fields = {}
        for tag in _INPUT.findall(body):
            attrs = _attrs(tag)
            if attrs.get("type", "").lower() == "hidden" and "name" in attrs:
                fields[attrs["name"]] = attrs.get("value", "")
        return fields
    return {}


def linked_ids(page: str, prefix: str) -> list[int]:
    """Ids of the links `prefix<id>/` (e.g. "/cases/"), each once, in page order."""
    found: list[int] = []
    for match in re.finditer(r'href="' + re.escape(prefix) + r"(\d+)/", page):
        pk = int(match.group(1))
        if pk not in found:
            found.append(pk)
    return found


def is_loopback(url: str) -> bool:
    """Is the URL's host on this machine's loopback (127.0.0.0/8, ::1, localhost)?"""
    name = urlparse(url).hostname or ""
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def pad(text: str, width: int) -> str:
    """`text` padded to `width` columns of a terminal, where kanji and kana take two."""
    used = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
    return text + " " * max(0, width - used)
