"""Keeping the data safe: portable backups (``calsvc backup``/``restore``) and secret tokens.

``backup`` writes and restores every table as JSON (SQLite and PostgreSQL alike); ``secrets``
makes the random tokens of feed links and API access and keeps only their hashes.
"""

from .backup import dump, restore
from .secrets import hash_token, new_token, token_matches

__all__ = ["dump", "hash_token", "new_token", "restore", "token_matches"]
