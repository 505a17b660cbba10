"""Accounts: create-user / create-token commands, scrypt hashes, tokens stored only as hashes."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from calsvc.db import session_scope
from calsvc.editing.accounts import authenticate, can_write, create_user, user_for_token
from calsvc.errors import ValidationError
from calsvc.models import ApiToken, User

from .editing_support import PASSWORD, make_token, make_user


def test_create_user_prompts_twice_hidden_and_stores_only_a_hash(app: Flask, run_cli: Any) -> None:
    result = run_cli("create-user", "erika", "--role", "editor", input=f"{PASSWORD}\n{PASSWORD}\n")
    assert result.exit_code == 0, result.output
    assert "Passwort wiederholen" in result.output and PASSWORD not in result.output
    with app.app_context(), session_scope(app) as s:
        user = s.scalar(select(User).where(User.name == "erika"))
        assert user is not None and user.role == "editor"
        assert user.password_hash.startswith("scrypt:") and PASSWORD not in user.password_hash
        assert authenticate(s, "erika", PASSWORD) is user
        assert authenticate(s, "erika", "falsch") is None and authenticate(s, "niemand", PASSWORD) is None


def test_create_user_refuses_short_passwords_duplicates_and_bad_roles(app: Flask, run_cli: Any) -> None:
    assert run_cli("create-user", "kurz", "--password-stdin", input="kurz\n").exit_code == 1
    make_user(run_cli)
    again = run_cli("create-user", "erika", "--password-stdin", input=PASSWORD + "\n")
    assert again.exit_code == 1 and "gibt es schon" in again.output
    assert run_cli("create-user", "x", "--role", "chef", "--password-stdin", input=PASSWORD + "\n").exit_code == 2
    with app.app_context(), session_scope(app) as s, pytest.raises(ValidationError) as err:
        create_user(s, "", "editor", PASSWORD)
    assert err.value.field == "name"


def test_create_token_prints_it_once_and_stores_its_hash(app: Flask, run_cli: Any) -> None:
    make_user(run_cli, "vera", "viewer")
    token = make_token(run_cli, "vera")
    assert len(token) >= 43
    with app.app_context(), session_scope(app) as s:
        row = s.scalars(select(ApiToken)).one()
        assert row.token_hash != token and len(row.token_hash) == 64 and row.label == "test"
        user = user_for_token(s, token)
        assert user is not None and user.name == "vera" and not can_write(user)
        assert user_for_token(s, token + "x") is None
        assert row.last_used_at is not None
    assert run_cli("create-token", "niemand").exit_code == 1
