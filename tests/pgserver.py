"""A throwaway PostgreSQL server for the test run: initdb in a temp dir, pg_ctl start/stop.

No Docker, no system service: the suite starts its own server on a free loopback port and
removes it afterwards. As root (CI), the server runs as the ``postgres`` system user, since
PostgreSQL refuses to run as root.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import stat
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

__all__ = ["TempPostgres", "find_pg_bin"]


def find_pg_bin() -> Path | None:
    """The directory with ``initdb`` and ``pg_ctl`` (Debian keeps them out of PATH)."""
    initdb = shutil.which("initdb")
    if initdb:
        return Path(os.path.realpath(initdb)).parent
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), reverse=True)
    return Path(candidates[0]).parent if candidates else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class TempPostgres:
    """One server; ``url`` is a SQLAlchemy URL for its ``postgres`` superuser database."""

    bin_dir: Path
    root: Path = Path()
    port: int = 0

    def start(self) -> str:
        """initdb + start; returns the server URL."""
        self.root = Path(tempfile.mkdtemp(prefix="calsvc-pg-", dir=_server_parent()))
        self.port = _free_port()
        data = self.root / "data"
        self._as_owner_prepare()
        self._run(
            str(self.bin_dir / "initdb"),
            "-D",
            str(data),
            "-U",
            "calsvc",
            "--auth=trust",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
        )
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.root} -c fsync=off -c max_connections=200"
        self._run(
            str(self.bin_dir / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(self.root / "log"), "-w", "start"
        )
        return f"postgresql+psycopg://calsvc@127.0.0.1:{self.port}/postgres"

    def stop(self) -> None:
        """Stop the server and remove its files."""
        if self.root and (self.root / "data").exists():
            self._run(str(self.bin_dir / "pg_ctl"), "-D", str(self.root / "data"), "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.root, ignore_errors=True)

    def _as_owner_prepare(self) -> None:
        if os.geteuid() == 0:
            shutil.chown(self.root, user="postgres", group="postgres")

    def _run(self, *argv: str) -> None:
        if os.geteuid() == 0:
            argv = ("runuser", "-u", "postgres", "--", *argv)
        subprocess.run(argv, check=True, capture_output=True, cwd="/")


def _server_parent() -> str | None:
    """The test temp folder, if the ``postgres`` user (as root we run the server as it) can reach it.

    Every folder above the data directory must be searchable by others; where the checkout
    is not, the system's temp folder is used instead (None).
    """
    here = Path(tempfile.gettempdir()).resolve()
    if os.geteuid() != 0:
        return str(here)
    searchable = all(p.stat().st_mode & stat.S_IXOTH for p in (here, *here.parents))
    return str(here) if searchable else None
