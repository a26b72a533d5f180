"""Links to the school's site, and the documents a school sends as files."""

from __future__ import annotations

import math
import re
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import urlsplit

from bot.indicators.answers.messages import (
    BARE_CYRILLIC_ZONES,
    DOCUMENT_EMPTY,
    DOCUMENT_NO_TYPE,
    DOCUMENT_TOO_BIG,
    DOCUMENT_TYPE,
    DOCUMENT_TYPE_LIST,
    DOCUMENT_TYPES,
    EMPTY,
    LINK_NO_HOST,
    LINK_NOT_URL,
    LINK_SCHEME,
    LINK_SPACES,
    LINK_TOO_LONG,
    MAX_DOCUMENT_BYTES,
    MAX_DOCUMENT_MB,
    MAX_URL,
    QUOTES,
    refuse,
)
from bot.indicators.answers.text import prepare, quote_typed

# ----------------------------------------------------------------- links

_SCHEME = re.compile(r"^(?P<scheme>[a-zA-Z][a-zA-Z0-9+.\-]*):")
_LABEL = re.compile(r"^[^\W_](?:[\w-]*[^\W_])?$")
_LOOKS_LIKE_URL = re.compile(r"://|^www\.|\.[a-zа-я]{2,}(?:[/:?#]|$)", re.I)


def parse_link(text: str) -> dict[str, str]:
    """A web address: http or https; "school.ru/page" gets https:// in front.

    Refused: spaces inside, no site name, other schemes (ftp:, javascript:,
    mailto:, file:), a user name before the site (a phishing trick), text that
    is not an address, more than 2000 characters.
    """
    typed = prepare(text)
    link = _without_label(typed.strip()).strip("<>" + QUOTES).strip().rstrip(".,;!")
    quoted = quote_typed(typed)
    if not link:
        refuse(EMPTY)
    if re.search(r"\s", link):
        if any(_LOOKS_LIKE_URL.search(piece) for piece in link.split()):
            refuse(LINK_SPACES, text=quoted)
        refuse(LINK_NOT_URL, text=quoted)
    scheme_match = _SCHEME.match(link)
    bare = False
    if scheme_match and not re.match(r"^[^:/]*:[0-9]", link):
        scheme = scheme_match["scheme"].lower()
        if scheme not in ("http", "https"):
            refuse(LINK_SCHEME, text=quoted)
        if not link[scheme_match.end() :].startswith("//"):
            refuse(LINK_NOT_URL, text=quoted)
        link = scheme + link[len(scheme) :]
    else:
        if link.startswith("//"):
            link = link[2:]
        link = "https://" + link
        bare = True
    if len(link) > MAX_URL:
        refuse(LINK_TOO_LONG, length=len(link), limit=MAX_URL)
    try:
        parts = urlsplit(link)
        host = parts.hostname
        _ = parts.port
    except ValueError:
        refuse(LINK_NOT_URL, text=quoted)
    if not parts.netloc or not host:
        refuse(LINK_NO_HOST if not bare else LINK_NOT_URL, text=quoted)
    if "@" in parts.netloc or not _valid_host(host, bare):
        refuse(LINK_NOT_URL, text=quoted)
    return {"url": link}


_LABEL_BEFORE = re.compile(r"^[^\W\d_][^:—–\n]{0,40}?\s*(?::(?!//)|\s[—–-])\s*(?=\S)")


_ENGLISH_LABELS = {"link", "url", "site", "website", "web", "address", "page"}


def _without_label(text: str) -> str:
    """ "Ссылка: https://…", "сайт — school.ru/…": the label before the address goes."""
    match = _LABEL_BEFORE.match(text)
    if match is None:
        return text
    label = match.group().rstrip(" :—–-").strip().casefold()
    if _SCHEME.match(label + ":") and label not in _ENGLISH_LABELS:
        return text  # "mailto:", "http:" are schemes, not labels
    rest = text[match.end() :]
    if _SCHEME.match(rest) or _LOOKS_LIKE_URL.search(rest.split()[0] if rest.split() else ""):
        return rest
    return text


def _valid_host(host: str, bare: bool) -> bool:
    if re.fullmatch(r"[0-9]{1,3}(?:\.[0-9]{1,3}){3}", host):
        return all(int(part) <= 255 for part in host.split(".")) and not bare
    labels = host.removesuffix(".").split(".")
    if len(labels) < 2 or any(len(label) > 63 or not _LABEL.match(label) for label in labels):
        return False
    zone = labels[-1]
    if zone.startswith("xn--"):
        return True
    if not zone.isalpha() or len(zone) < 2:
        return False
    if bare and not zone.isascii():
        return zone in BARE_CYRILLIC_ZONES
    return True


# ----------------------------------------------------------------- documents


def check_document(file_name: str, size: int | None, mime_type: str | None) -> dict[str, Any]:
    """A file sent as the answer: PDF, DOC, DOCX, XLS or XLSX, up to 20 MB.

    The type is the file name's extension (any case); the MIME type is only a
    hint, used when the name has no extension. A missing MIME type is filled in
    from the extension. A size Telegram did not report (None) is not checked.
    The caller adds Telegram's file ids.
    """
    name = (file_name or "").strip()
    shown = name or "—"
    suffix = PurePosixPath(name.replace("\\", "/")).suffix.lower().lstrip(".")
    hint = (mime_type or "").split(";")[0].strip().lower()
    if suffix:
        if suffix not in DOCUMENT_TYPES:
            refuse(
                DOCUMENT_TYPE, file_name=shown, extension=suffix.upper(), types=DOCUMENT_TYPE_LIST
            )
        extension = suffix
    else:
        by_mime = {mime: ext for ext, mime in DOCUMENT_TYPES.items()}
        if hint not in by_mime:
            refuse(DOCUMENT_NO_TYPE, file_name=shown, types=DOCUMENT_TYPE_LIST)
        extension = by_mime[hint]
    if size is not None and size <= 0:
        refuse(DOCUMENT_EMPTY, file_name=shown)
    if size is not None and size > MAX_DOCUMENT_BYTES:
        megabytes = math.ceil(size / (1024 * 1024) * 10) / 10
        refuse(DOCUMENT_TOO_BIG, file_name=shown, size=megabytes, limit=MAX_DOCUMENT_MB)
    return {
        "file_name": file_name,
        "size": size,
        "mime_type": mime_type or DOCUMENT_TYPES[extension],
    }
