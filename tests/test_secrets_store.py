"""Secret tokens: long, random, stored as hashes, compared safely."""

from __future__ import annotations

from calsvc.admin.secrets import hash_token, new_token, token_matches


def test_tokens_are_long_random_and_verified_by_hash_only() -> None:
    tokens = {new_token() for _ in range(200)}
    assert len(tokens) == 200
    token = tokens.pop()
    assert len(token) >= 43  # 32 random bytes in URL-safe base64 = 256 bits
    stored = hash_token(token)
    assert token not in stored and len(stored) == 64
    assert token_matches(token, stored)
    assert not token_matches(token[:-1] + ("A" if token[-1] != "A" else "B"), stored)
    assert not token_matches(None, stored) and not token_matches(token, None) and not token_matches("", stored)
