"""Paper URLs and paper-id normalisation: the one place that builds links."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from papershelf.core.errors import InvalidInput
from papershelf.core.text import clean_line

HF_BASE = "https://huggingface.co"
ARXIV_BASE = "https://arxiv.org"

# New style (since April 2007): YYMM.NNNN, with five digits from January 2015 (1501) on.
_ID = re.compile(r"((\d{2})(\d{2})\.(\d{4,5}))(?:v\d+)?")
# Old style (before April 2007): archive(.subclass)/YYMMNNN, e.g. `hep-th/9901001`,
# `math.AG/0601001`, `cond-mat.str-el/0101001`: words joined by single hyphens, no dots or
# slashes beyond the one of each, so nothing path-like (`cs/../0101001`) passes.
_OLD_ID = re.compile(
    r"([a-z]+(?:-[a-z]+)*(?:\.[A-Za-z]+(?:-[A-Za-z]+)*)?/(\d{2})(\d{2})\d{3})(?:v\d+)?"
)
_ID_MAX = 64
"""No arXiv id (with a version and a URL prefix) comes near this length."""
_FIVE_DIGIT_FROM = (15, 1)
URL_MAX = 2048
"""Longer URLs are refused (browsers and servers cap them near here)."""
# A host name of DNS labels (letters, digits, inner hyphens; IDNs in punycode), e.g.
# `github.com`, `localhost`; an IPv4 address matches too.
_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
_HOST = re.compile(rf"(?:{_LABEL}\.)*{_LABEL}")
_URL_PREFIX = re.compile(
    r"^(?:https?://)?(?:www\.)?(?:arxiv\.org/(?:abs|pdf|html)/|(?:huggingface\.co|hf\.co)/papers/)",
    re.IGNORECASE,
)


def hf_url(paper_id: str) -> str:
    """The paper's page on Hugging Face."""
    return f"{HF_BASE}/papers/{paper_id}"


def arxiv_url(paper_id: str) -> str:
    """The arXiv abstract page."""
    return f"{ARXIV_BASE}/abs/{paper_id}"


def pdf_url(paper_id: str) -> str:
    """The arXiv PDF."""
    return f"{ARXIV_BASE}/pdf/{paper_id}"


def normalize_paper_id(text: str) -> str | None:
    """`arXiv:2407.21783v2`, an arXiv or HF URL, or a bare id -> `2407.21783`; else None.

    Old-style ids (`cs/0101001`, `math.AG/0601001`) are accepted too. A new-style id needs a
    real month, four digits after the dot before 2015 and five from 2015 on.
    """
    value = text.strip()
    if len(value) > _ID_MAX + len("https://www.huggingface.co/papers/"):
        return None
    value = re.sub(r"^arxiv:\s*", "", value, flags=re.IGNORECASE)
    value = _URL_PREFIX.sub("", value)
    value = value.split("?", 1)[0].split("#", 1)[0].rstrip("/")
    if value.lower().endswith(".pdf"):
        value = value[:-4]
    match = _ID.fullmatch(value)
    if match:
        year, month, number = int(match[2]), int(match[3]), match[4]
        five_digit_era = (year, month) >= _FIVE_DIGIT_FROM
        if not 1 <= month <= 12 or len(number) != (5 if five_digit_era else 4):
            return None
        return match.group(1)
    old = _OLD_ID.fullmatch(value)
    if old and 1 <= int(old[3]) <= 12:
        return old.group(1)
    return None


def is_paper_id(text: str) -> bool:
    """True when `text` is exactly an id in the form the API uses (`2407.21783`, `cs/0101001`)."""
    return normalize_paper_id(text) == text


def is_openable(url: str | None) -> bool:
    """Only well-formed http(s) URLs are ever shown as links, copied, cited or opened.

    The raw string is checked, since `urlsplit` silently drops leading controls and a NUL
    crashes the browser launcher: no whitespace, no control, format or surrogate character;
    scheme http or https; a host of DNS labels or an IPv4 address, no user name or password,
    a valid port.
    """
    if not url or len(url) > URL_MAX or not url.isprintable() or " " in url:
        return False
    try:
        parts = urlsplit(url)
        port_ok = parts.port is None or parts.port > 0
    except ValueError:
        return False
    if parts.scheme not in ("http", "https") or "@" in parts.netloc or not port_ok:
        return False
    return bool(_HOST.fullmatch(parts.hostname or ""))


def safe_url(value: object) -> str | None:
    """An untrusted URL field (API, backup, library) when it is openable, else None.

    Surrounding spaces are trimmed; anything else invalid drops the whole URL rather than
    repairing it, since a repaired URL may point somewhere else.
    """
    if not isinstance(value, str):
        return None
    url = value.strip(" \t\n")
    return url if is_openable(url) else None


def same_site(home: str, there: str) -> bool:
    """True when URL `there` is on `home`'s host: same scheme and port, or http made https.

    Redirects are followed only this far, so a token or a cache key never goes elsewhere.
    """
    home_parts, there_parts = urlsplit(home), urlsplit(there)
    defaults = {"http": 80, "https": 443}
    try:
        there_port = there_parts.port or defaults.get(there_parts.scheme)
        home_port = home_parts.port or defaults.get(home_parts.scheme)
    except ValueError:
        return False
    home_host = (home_parts.hostname or "").lower()
    if not home_host or (there_parts.hostname or "").lower() != home_host:
        return False
    same_origin = there_parts.scheme == home_parts.scheme and there_port == home_port
    upgraded = (home_parts.scheme, there_parts.scheme) == ("http", "https") and there_port == 443
    return same_origin or upgraded


def validate_endpoint(value: str) -> str:
    """The endpoint without a trailing slash; InvalidInput for anything but http(s)://host[:port]."""
    text = value.strip()
    shown = clean_line(text)[:100] or "(empty)"
    if any(char.isspace() or ord(char) < 32 or ord(char) == 127 for char in text):
        raise InvalidInput(f"The Hugging Face address {shown!r} contains spaces or controls.")
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https"):
        raise InvalidInput(
            f"The Hugging Face address {shown!r} must start with http:// or https:// "
            "(check HF_ENDPOINT or hf_endpoint in the config file)."
        )
    try:
        port = parts.port
    except ValueError:
        raise InvalidInput(
            f"The Hugging Face address {shown!r} has an invalid port (1 to 65535)."
        ) from None
    if not parts.hostname or port == 0 or "@" in parts.netloc:
        raise InvalidInput(f"The Hugging Face address {shown!r} has no usable host name.")
    if parts.query or parts.fragment:
        raise InvalidInput(f"The Hugging Face address {shown!r} must not have ?query or #part.")
    return text.rstrip("/")


def arxiv_doi(paper_id: str) -> str:
    """arXiv's DataCite DOI of the paper (a DOI, not a URL)."""
    return f"10.48550/arXiv.{paper_id}"


def doi_url(paper_id: str) -> str:
    """The resolver URL of the paper's arXiv DOI."""
    return f"https://doi.org/{arxiv_doi(paper_id)}"


def bibtex_url(paper_id: str, base: str = ARXIV_BASE) -> str:
    """arXiv's authoritative BibTeX entry (plain text); `base` lets tests use a local server."""
    return f"{base.rstrip('/')}/bibtex/{paper_id}"
