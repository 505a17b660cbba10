"""No query string (person-feed tokens live in ``?token=``) reaches gunicorn's logs, not even
when a worker times out in the middle of such a request."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import textwrap
import time
import urllib.request
from pathlib import Path

from gunicorn.config import Config

from calsvc.serve import ScrubbingLogger, gunicorn_options, scrub

ROOT = Path(__file__).resolve().parents[1]
SECRET = "geheimes-feed-token-4711"


def test_the_access_log_writes_the_path_without_the_query() -> None:
    options = gunicorn_options(host="127.0.0.1", port=8000, workers=2)
    assert "%(U)s" in options["access_log_format"]
    assert "%(r)s" not in options["access_log_format"] and "%(q)s" not in options["access_log_format"]
    assert options["logger_class"] is ScrubbingLogger


def test_the_error_log_loses_query_strings(tmp_path: Path) -> None:
    cfg = Config()
    cfg.set("errorlog", str(tmp_path / "error.log"))
    logger = ScrubbingLogger(cfg)
    try:
        raise RuntimeError("boom")
    except RuntimeError:
        logger.exception("Error handling request %s %s", "GET", f"/feeds/person/IntB.ics?token={SECRET}")
    logger.warning(f"Invalid request from ip=1.2.3.4: Invalid HTTP Version 'GET /x?token={SECRET} HTTP/9'")
    logger.critical("WORKER TIMEOUT (pid:%s)", 123)
    text = (tmp_path / "error.log").read_text()
    assert SECRET not in text
    assert "Error handling request GET /feeds/person/IntB.ics?…" in text and "WORKER TIMEOUT (pid:123)" in text
    assert "RuntimeError: boom" in text  # the traceback is kept
    assert scrub("50%?a=1 done") == "50%?… done"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


SLOW_SERVER = textwrap.dedent(
    """
    import sys, time
    from calsvc import create_app
    from calsvc.serve import run_gunicorn

    def factory():
        app = create_app({"DATABASE_URL": "sqlite://", "SECRET_KEY": "x"})
        app.add_url_rule("/test-slow", "test_slow", lambda: time.sleep(30) or "spät")
        return app

    # sync workers are killed on a timeout (deployments may choose them with -k sync)
    run_gunicorn(factory, host="127.0.0.1", port=int(sys.argv[1]), workers=1, timeout=2, worker_class="sync")
    """
)


def test_a_worker_timeout_logs_no_token(tmp_path: Path) -> None:
    """gunicorn answers the killed request with "Error handling request GET <uri>" — uri with query."""
    port = _free_port()
    log = tmp_path / "serve.log"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONUNBUFFERED": "1"}
    with log.open("w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-c", SLOW_SERVER, str(port)], cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT
        )
    try:
        deadline = time.monotonic() + 30
        while "Booting worker" not in log.read_text():
            assert proc.poll() is None and time.monotonic() < deadline, log.read_text()
            time.sleep(0.1)
        time.sleep(0.5)
        with contextlib.suppress(OSError):  # the worker was killed: 500 or a closed connection
            urllib.request.urlopen(f"http://127.0.0.1:{port}/test-slow?token={SECRET}", timeout=20).read()
        deadline = time.monotonic() + 20
        while "Error handling request" not in log.read_text() and time.monotonic() < deadline:
            time.sleep(0.2)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    output = log.read_text()
    assert "WORKER TIMEOUT" in output, output
    assert "Error handling request" in output, output  # the line that used to carry the query
    assert SECRET not in output, output
