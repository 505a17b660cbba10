"""Helpers for the editing tests: users via the CLI, logging in through the form, CSRF tokens."""

from __future__ import annotations

import re
from typing import Any

__all__ = ["PASSWORD", "csrf_from", "login", "make_token", "make_user"]

PASSWORD = "geheim-genug-123"
_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def csrf_from(page: Any) -> str:
    """The CSRF token of the first form on a page (response or text)."""
    text = page if isinstance(page, str) else page.get_data(as_text=True)
    match = _CSRF.search(text)
    assert match, "no CSRF token on the page"
    return match.group(1)


def make_user(run_cli: Any, name: str = "erika", role: str = "editor") -> None:
    """``calsvc create-user NAME --role ROLE --password-stdin``."""
    result = run_cli("create-user", name, "--role", role, "--password-stdin", input=PASSWORD + "\n")
    assert result.exit_code == 0, result.output


def make_token(run_cli: Any, name: str = "erika") -> str:
    """``calsvc create-token NAME``: the token is the last line of the output."""
    result = run_cli("create-token", name, "--label", "test")
    assert result.exit_code == 0, result.output
    return result.output.strip().splitlines()[-1]


def login(client: Any, name: str = "erika", password: str = PASSWORD) -> Any:
    """Log in through the German form, with the CSRF token taken from the page."""
    page = client.get("/anmelden")
    return client.post("/anmelden", data={"csrf_token": csrf_from(page), "name": name, "password": password})
