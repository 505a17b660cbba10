"""Login and logout (German pages), the session user, CSRF protection and the write guards."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from datetime import timedelta
from functools import wraps
from typing import Any, TypeVar, cast
from urllib.parse import urlsplit

from flask import Blueprint, Flask, abort, current_app, flash, g, redirect, render_template, request, session, url_for
from flask_wtf import FlaskForm
from flask_wtf.csrf import CSRFProtect
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired

from calsvc.db import get_session
from calsvc.editing.accounts import authenticate, can_write, end_sessions, user_for_token
from calsvc.models import User

from .ratelimit import limit_login, login_succeeded

__all__ = ["bearer_user", "bp", "csrf", "current_user", "editor_required", "login_required", "register"]

bp = Blueprint("auth", __name__)
csrf = CSRFProtect()
F = TypeVar("F", bound=Callable[..., Any])


class LoginForm(FlaskForm):
    """Name and password; Flask-WTF adds and checks the CSRF token."""

    name = StringField("Benutzername", validators=[DataRequired("Bitte den Benutzernamen eingeben.")])
    password = PasswordField("Passwort", validators=[DataRequired("Bitte das Passwort eingeben.")])


def bearer_user() -> User | None:
    """The active user behind a valid ``Authorization: Bearer <token>``, else ``None`` (never raises).

    Looked up once per request (the lookup also marks the token as used): the work budget, the
    API's readers and writers all ask.
    """
    if "bearer_user" not in g:
        scheme, _, token = request.headers.get("Authorization", "").partition(" ")
        found = scheme.lower() == "bearer" and token.strip()
        g.bearer_user = user_for_token(get_session(), token.strip()) if found else None
    return cast(User | None, g.bearer_user)


def current_user() -> User | None:
    """The logged-in user of this request, or None (an expired or ended session is forgotten)."""
    if "user" not in g:
        user_id = session.get("user_id")
        user = get_session().get(User, user_id) if user_id else None
        if user_id and not _session_valid(user):
            session.clear()
            user = None
        g.user = user
    return g.user


def _session_valid(user: User | None) -> bool:
    """Active user, same session epoch as at login, and logged in less than CALSVC_SESSION_HOURS ago.

    Checked here on the server: the cookie's own expiry is only a hint to the browser, and a
    copied cookie would otherwise work until it expires.
    """
    if user is None or not user.active or session.get("epoch") != user.session_epoch:
        return False
    login_at = session.get("login_at")
    if not isinstance(login_at, int | float):
        return False
    age = time.time() - login_at
    return 0 <= age < float(current_app.config["CALSVC_SESSION_HOURS"]) * 3600


def login_required(view: F) -> F:
    """Pages for any logged-in user (e.g. "Mein Kalender"): anonymous visitors go to the login page."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if current_user() is None:
            flash("Bitte zuerst anmelden.", "error")
            return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
        return view(*args, **kwargs)

    return cast(F, wrapped)


def editor_required(view: F) -> F:
    """Pages that write: anonymous visitors go to the login page, viewers get 403."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        user = current_user()
        if user is None:
            flash("Bitte zuerst anmelden.", "error")
            return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
        if not can_write(user):
            abort(403, description="Ihre Rolle erlaubt nur das Lesen, keine Änderungen.")
        return view(*args, **kwargs)

    return cast(F, wrapped)


def _safe_next(target: str | None) -> str:
    """Only same-site paths as redirect targets (no open redirect)."""
    if not target:
        return url_for("edit_overview.overview")
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return url_for("edit_overview.overview")
    return target


@bp.route("/anmelden", methods=["GET", "POST"])
def login() -> Any:
    """The German login page; a new session id on success (session fixation)."""
    form = LoginForm()
    error = None
    if form.validate_on_submit():
        limit_login(form.name.data or "")  # 429 after CALSVC_LOGIN_ATTEMPTS tries of this (IP, name)
        user = authenticate(get_session(), form.name.data or "", form.password.data or "")
        if user is not None:
            login_succeeded(form.name.data or "")
            target = _safe_next(request.args.get("next"))
            session.clear()
            session["user_id"] = user.id
            session["epoch"] = user.session_epoch
            session["login_at"] = int(time.time())
            session.permanent = True
            flash(f"Angemeldet als {user.name}.", "info")
            return redirect(target)
        error = "Benutzername oder Passwort ist falsch."
    status = 401 if error else 200
    return render_template("edit/login.html", form=form, error=error), status


@bp.route("/abmelden", methods=["GET", "POST"])
def logout() -> Any:
    """GET asks, POST (with CSRF token) ends the session."""
    if request.method == "POST":
        user = current_user()
        if user is not None:  # a copy of this cookie (or any other session of the user) ends too
            end_sessions(get_session(), user.id)
            get_session().commit()
        session.clear()
        flash("Sie sind abgemeldet.", "info")
        return redirect(url_for("pages.index"))
    return render_template("edit/logout.html", user=current_user())


def _secure_default(app: Flask) -> bool:
    """Secure cookies where the public address is https; browsers drop them on plain http.

    ``make run`` serves http://127.0.0.1:8000, where a Secure session cookie would never come
    back and nobody could log in; a deployment names its https address in
    CALSVC_PUBLIC_BASE_URL (feeds need it anyway) and so gets Secure cookies.
    """
    raw = app.config.get("CALSVC_SECURE_COOKIES", os.environ.get("CALSVC_SECURE_COOKIES"))
    if raw is None or raw == "":
        return str(app.config.get("CALSVC_PUBLIC_BASE_URL") or "").startswith("https://")
    return str(raw).lower() not in ("0", "false", "no", "off")


def register(app: Flask) -> None:
    """CSRF on every form (the token-authenticated API is exempt), cookie settings, nav user."""
    from calsvc import api

    secure = _secure_default(app)
    # Flask has its own default (31 days) already, so setdefault would never apply.
    app.config["PERMANENT_SESSION_LIFETIME"] = timedelta(hours=float(app.config["CALSVC_SESSION_HOURS"]))
    app.config.update(SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax", SESSION_COOKIE_SECURE=secure)
    app.config.setdefault("WTF_CSRF_TIME_LIMIT", 10 * 3600)
    csrf.init_app(app)
    csrf.exempt(api.bp)
    app.register_blueprint(bp)

    @app.context_processor
    def _user() -> dict[str, Any]:
        return {"current_user": current_user(), "can_write": can_write(current_user())}
