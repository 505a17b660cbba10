"""Report PDFs and DOCX files are rendered once per data version and quarter, not per download."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from flask import Flask

from calsvc.db import session_scope
from calsvc.models import Person
from calsvc.report import FORMATS, Format
from calsvc.web.bericht import RENDERED, RenderCache


@pytest.fixture
def renders(demo_app: Flask, monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """Counts calls of the real renderers."""
    RENDERED.clear()
    counted: Counter[str] = Counter()
    for fmt in ("pdf", "docx", "csv"):
        spec = FORMATS[fmt]

        def render(report: Any, spec: Format = spec, fmt: str = fmt) -> bytes:
            counted[fmt] += 1
            return spec.render(report)

        monkeypatch.setitem(FORMATS, fmt, Format(spec.suffix, spec.mimetype, render))
    return counted


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_repeated_downloads_render_once(demo_app: Flask, renders: Counter[str], fmt: str) -> None:
    client = demo_app.test_client()
    first = client.get(f"/bericht/2024/Q2.{fmt}")
    second = client.get(f"/bericht/2024/Q2.{fmt}")
    assert first.status_code == second.status_code == 200
    assert first.data == second.data
    assert second.headers["Content-Disposition"] == first.headers["Content-Disposition"]
    assert renders[fmt] == 1
    client.get(f"/bericht/2024/Q3.{fmt}")  # another quarter is another document
    assert renders[fmt] == 2


def test_a_change_of_data_renders_again(demo_app: Flask, renders: Counter[str]) -> None:
    client = demo_app.test_client()
    client.get("/bericht/2024/Q2.pdf")
    with demo_app.app_context(), session_scope(demo_app) as s:
        s.add(Person(code="Neu1", title="Neue Kraft"))
    client.get("/bericht/2024/Q2.pdf")
    assert renders["pdf"] == 2


def test_csv_is_cheap_and_not_cached(demo_app: Flask, renders: Counter[str]) -> None:
    client = demo_app.test_client()
    client.get("/bericht/2024/Q2.csv")
    client.get("/bericht/2024/Q2.csv")
    assert renders["csv"] == 2


def test_the_cache_is_bounded_and_keeps_the_recently_used() -> None:
    cache = RenderCache(size=2)
    cache.put(("a",), (b"1", "a"))
    cache.put(("b",), (b"2", "b"))
    assert cache.get(("a",)) == (b"1", "a")  # now b is the oldest
    cache.put(("c",), (b"3", "c"))
    assert cache.get(("b",)) is None and cache.get(("a",)) is not None and cache.get(("c",)) is not None
    assert RENDERED.size == 16


def test_parallel_downloads_of_one_document_render_it_once(demo_app: Flask, renders: Counter[str]) -> None:
    """Six requests at once for an uncached PDF stalled the service; now one renders, five wait."""
    from concurrent.futures import ThreadPoolExecutor

    def download(_: int) -> bytes:
        answer = demo_app.test_client().get("/bericht/2024/Q2.docx")
        assert answer.status_code == 200
        return bytes(answer.data)

    with ThreadPoolExecutor(6) as pool:
        bodies = set(pool.map(download, range(6)))
    assert len(bodies) == 1 and renders["docx"] == 1
