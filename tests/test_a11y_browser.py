"""BITV 2.0 / WCAG 2.1 AA in a real browser: axe-core on every page and form, reflow at 320 px.

Screenshots of every page at 320 px and 1366 px go to ``tests/artifacts/`` for a human to look at.
"""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask

from calsvc.web.filter_choices import SELECT_MAX

from .a11y_support import (
    axe_violations,
    duplicate_ids,
    editor_paths,
    log_in,
    many_choices_paths,
    public_paths,
    shot,
    sideways_overflow,
)
from .browser_support import chromium, live_server
from .editing_support import make_user
from .scale_support import add_persons_and_gremien

pytestmark = pytest.mark.browser

AXE_WIDTHS = (1366, 390)
REFLOW_WIDTH = 320


def _name(path: str, width: int) -> str:
    slug = path.strip("/").split("?")[0].replace("/", "-").replace(":", "") or "start"
    return f"a11y-{slug}-{width}"


def _audit(page: Any, label: str, width: int, problems: list[str]) -> None:
    """Record axe violations (at the axe widths), twice-used ids and sideways scrolling of the loaded page."""
    if width in AXE_WIDTHS:
        if dups := duplicate_ids(page):
            problems.append(f"{label}: ids used twice: {dups}")
        for v in axe_violations(page):
            problems.append(f"{label} @{width}px: {v['id']} – {v['help']}: {v['nodes'][:3]}")
    if width != 390:
        shot(page, _name(label, width))
    extra = sideways_overflow(page)
    if extra > 0:
        problems.append(f"{label} @{width}px scrolls sideways by {extra}px")


def _check(page: Any, path: str, problems: list[str]) -> None:
    """axe at the two widths of the issue, then sideways scrolling at 320 px; screenshots at 320 and 1366."""
    for width in (*AXE_WIDTHS, REFLOW_WIDTH):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(path)
        _audit(page, path, width, problems)


def test_public_pages_have_no_wcag_violations_and_reflow(demo_app: Flask) -> None:
    with live_server(demo_app) as base, chromium() as browser:
        page = browser.new_page(base_url=base, locale="de-DE", bypass_csp=True)
        problems: list[str] = []
        for path in public_paths():
            _check(page, path, problems)
        assert not problems, "\n".join(problems)


def test_filter_text_fields_of_a_large_database_have_no_wcag_violations_and_reflow(demo_app: Flask) -> None:
    add_persons_and_gremien(demo_app, persons=SELECT_MAX + 1, gremien=SELECT_MAX + 1)
    with live_server(demo_app) as base, chromium() as browser:
        page = browser.new_page(base_url=base, locale="de-DE", bypass_csp=True)
        problems: list[str] = []
        for path in many_choices_paths():
            for width in (*AXE_WIDTHS, REFLOW_WIDTH):
                page.set_viewport_size({"width": width, "height": 900})
                page.goto(path)
                _audit(page, f"gross-{path}", width, problems)  # own screenshots beside the office's
        page.goto(many_choices_paths()[0])
        assert page.locator("input#f-person[type=text]").count() == 1, "a text field, not a <select>, was checked"
        assert not problems, "\n".join(problems)


def test_edit_pages_and_the_409_page_have_no_wcag_violations_and_reflow(demo_app: Flask, run_cli: Any) -> None:
    make_user(run_cli)
    paths = editor_paths(demo_app)
    with live_server(demo_app) as base, chromium() as browser:
        context = browser.new_context(base_url=base, locale="de-DE", bypass_csp=True)
        page = context.new_page()
        log_in(page, base)
        problems: list[str] = []
        for path in paths:
            _check(page, path, problems)
        _check_current(stale_page(context, paths[2]), "409", problems)
        assert not problems, "\n".join(problems)


def stale_page(context: Any, series_path: str) -> Any:
    """Two tabs edit the same series; the second save answers 409 with what the user typed."""
    mine, theirs = context.new_page(), context.new_page()
    mine.goto(series_path)
    theirs.goto(series_path)
    theirs.fill("#f-location", "Rathaus Hellersdorf, Raum 2")
    with theirs.expect_navigation():  # saved before the other tab sends
        theirs.click("form.edit-form button[type=submit] >> nth=0")
    theirs.close()
    mine.fill("#f-title", "Meine neue Überschrift")
    with mine.expect_navigation():
        mine.click("form.edit-form button[type=submit] >> nth=0")
    return mine


def _check_current(page: Any, label: str, problems: list[str]) -> None:
    """The 409 answer cannot be reloaded (it is a POST answer): check it as it is, at each width."""
    assert "Konflikt mit einer anderen Änderung" in page.content()
    assert page.locator("input[name=title]").input_value() == "Meine neue Überschrift"  # nothing typed is lost
    assert "Rathaus Hellersdorf, Raum 2" in page.locator("#inzwischen ~ ul").inner_text()  # beside what changed
    for width in (*AXE_WIDTHS, REFLOW_WIDTH):
        page.set_viewport_size({"width": width, "height": 900})
        _audit(page, label, width, problems)
