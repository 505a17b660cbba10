"""Users, roles, password hashes and API tokens (only hashes are stored)."""

from __future__ import annotations

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from calsvc.admin.secrets import hash_token, new_token, token_matches
from calsvc.errors import NotFound, ValidationError
from calsvc.models import ApiToken, Person, User, utcnow

from .audit import record

__all__ = [
    "ROLES",
    "authenticate",
    "can_write",
    "create_token",
    "create_user",
    "deactivate_user",
    "end_sessions",
    "link_person",
    "may_manage",
    "set_password",
    "user_for_token",
]

ROLES = ("viewer", "editor", "admin")
MIN_PASSWORD = 8
# A fixed hash to check against when the user does not exist: equal work, no user enumeration.
_DUMMY_HASH = generate_password_hash("calsvc-no-such-user", method="scrypt")


def can_write(user: User | None) -> bool:
    """Editors and admins may change the calendar; viewers only read."""
    return user is not None and user.active and user.role in ("editor", "admin")


def may_manage(user: User | None, person: Person) -> bool:
    """A person manages their own absences and outside calendars; editors and admins everybody's."""
    if user is None or not user.active:
        return False
    return user.person_id == person.id or user.role in ("editor", "admin")


def create_user(session: Session, name: str, role: str, password: str, person: str | None = None) -> User:
    """Add a user with a scrypt-hashed password; names are unique; ``person`` is the code they are."""
    name = name.strip()
    if not name or len(name) > 100:
        raise ValidationError("Der Benutzername darf nicht leer und höchstens 100 Zeichen lang sein.", field="name")
    if role not in ROLES:
        raise ValidationError(f"Rolle muss eine von {', '.join(ROLES)} sein.", field="role")
    _check_password(password)
    if session.scalar(select(User).where(User.name == name)) is not None:
        raise ValidationError(f"Benutzer „{name}“ gibt es schon.", field="name")
    user = User(name=name, role=role, password_hash=generate_password_hash(password, method="scrypt"))
    if person:
        user.person = _person_coded(session, person)
    session.add(user)
    session.flush()
    return user


def _person_coded(session: Session, code: str) -> Person:
    row = session.scalar(select(Person).where(func.lower(Person.code) == code.strip().lower()))
    if row is None:
        raise NotFound(f"Eine Person mit dem Kürzel „{code}“ gibt es nicht.", field="person")
    return row


def link_person(session: Session, name: str, person: str | None, actor: str) -> User:
    """Make user ``name`` the account of ``person`` (a code; None unlinks), audited."""
    user = _user_named(session, name)
    before = user.person.code if user.person else None
    user.person = _person_coded(session, person) if person else None
    after = user.person.code if user.person else None
    session.flush()
    if before != after:
        record(session, actor, "user", user.id, "update", f"Konto {user.name} gehört zu {after or 'niemandem'}",
               {"person": [before, after]})  # fmt: skip
    return user


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise ValidationError(f"Das Passwort muss mindestens {MIN_PASSWORD} Zeichen haben.", field="password")


def end_sessions(session: Session, user_id: int) -> None:
    """Make every session of this user invalid (logout, new password, deactivation).

    A plain UPDATE, not an ORM change: ending a session is not a data change, so feed caches
    keyed on the data version stay valid.
    """
    session.execute(update(User).where(User.id == user_id).values(session_epoch=User.session_epoch + 1))


def _user_named(session: Session, name: str) -> User:
    user = session.scalar(select(User).where(User.name == name.strip()))
    if user is None:
        raise NotFound(f"Benutzer „{name}“ gibt es nicht.", field="name")
    return user


def set_password(session: Session, name: str, password: str) -> User:
    """Give user ``name`` a new password; everyone logged in as them must log in again."""
    _check_password(password)
    user = _user_named(session, name)
    user.password_hash = generate_password_hash(password, method="scrypt")
    session.flush()
    end_sessions(session, user.id)
    return user


def deactivate_user(session: Session, name: str) -> User:
    """Lock user ``name`` out: no login, no token, and their open sessions end at once."""
    user = _user_named(session, name)
    user.active = False
    session.flush()
    end_sessions(session, user.id)
    return user


def authenticate(session: Session, name: str, password: str) -> User | None:
    """The active user with this name and password, else None (same cost either way)."""
    user = session.scalar(select(User).where(User.name == name.strip()))
    if user is None or not user.active:
        check_password_hash(_DUMMY_HASH, password)
        return None
    return user if check_password_hash(user.password_hash, password) else None


def create_token(session: Session, name: str, label: str = "") -> str:
    """Issue a new API token for user ``name``; the token itself is returned once, never stored."""
    user = session.scalar(select(User).where(User.name == name))
    if user is None:
        raise NotFound(f"Benutzer „{name}“ gibt es nicht.", field="name")
    token = new_token()
    session.add(ApiToken(user=user, token_hash=hash_token(token), label=label))
    session.flush()
    return token


def user_for_token(session: Session, token: str) -> User | None:
    """The active user owning an unrevoked token, else None; marks the token as used."""
    digest = hash_token(token)
    row = session.scalar(select(ApiToken).where(ApiToken.token_hash == digest))
    if row is None or row.revoked_at is not None or not token_matches(token, row.token_hash):
        return None
    if not row.user.active:
        return None
    row.last_used_at = utcnow()
    return row.user
