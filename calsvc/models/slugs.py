"""URL slugs for Gremien: German transliteration, lower case, hyphens."""

from __future__ import annotations

import re
import unicodedata

__all__ = ["slugify"]

_GERMAN = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "Ä": "ae", "Ö": "oe", "Ü": "ue"})


def slugify(text: str, max_length: int = 80) -> str:
    """``Jour fixe der LAF-Unterkünfte`` → ``jour-fixe-der-laf-unterkuenfte`` (stable across imports)."""
    ascii_text = unicodedata.normalize("NFKD", text.translate(_GERMAN)).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if len(slug) > max_length:
        slug = slug[:max_length].rsplit("-", 1)[0]
    return slug or "gremium"
