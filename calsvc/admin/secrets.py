"""Secret tokens (feed URLs, API tokens): random, shown once, stored only as a hash.

Tokens carry 256 bits of randomness, so a plain SHA-256 is a safe verifier (no slow hash
needed: there is nothing to guess); comparisons run in constant time.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

__all__ = ["hash_token", "new_token", "token_matches"]


def new_token() -> str:
    """A fresh URL-safe token with 256 bits of randomness."""
    return secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    """The stored verifier of ``token`` (hex SHA-256)."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def token_matches(token: str | None, stored_hash: str | None) -> bool:
    """Constant-time check of ``token`` against a stored hash; False when either is missing."""
    if not token or not stored_hash:
        return False
    return hmac.compare_digest(hash_token(token), stored_hash)
