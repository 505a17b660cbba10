"""The editor's start page links every object, and every edit page renders for the demo data."""

from __future__ import annotations

import re
from typing import Any

from flask import Flask

from .editing_support import login, make_user

LISTS = {"/bearbeiten/postausgang", "/bearbeiten/verlauf/"}  # lists of messages and changes, no object of their own


def test_every_edit_page_of_the_demo_renders(demo_app: Flask, run_cli: Any) -> None:
    make_user(run_cli)
    client = demo_app.test_client()
    login(client)
    page = client.get("/bearbeiten/")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "Kalender bearbeiten" in text
    links = sorted(set(re.findall(r'href="(/bearbeiten/[^"]+)"', text)))
    kinds = {link.split("/")[2] for link in links}
    assert {"serien", "personen", "gremien", "aktivitaeten"} <= kinds
    for link in links:
        answer = client.get(link)
        assert answer.status_code == 200, link
        if link.endswith("/neu") or link in LISTS:
            continue
        assert "Änderungsverlauf" in answer.get_data(as_text=True), link


def test_viewers_may_not_open_the_editor(app: Flask, run_cli: Any) -> None:
    make_user(run_cli, "vera", "viewer")
    client = app.test_client()
    login(client, "vera")
    assert client.get("/bearbeiten/").status_code == 403
    assert "Bearbeiten</a>" not in client.get("/").get_data(as_text=True)
