"""The runbook's point-in-time recovery, on a throwaway PostgreSQL cluster (docs/OPERATIONS.md).

WAL archiving with the runbook's settings, a base backup, more writes, a bad DELETE; then
the runbook's recovery steps to a time before the DELETE bring every row back. Needs the
PostgreSQL server binaries (initdb, pg_ctl, pg_basebackup); as root, runs them as the
``postgres`` user. Runs in the suite's PostgreSQL pass only.
"""
from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tarfile
import tempfile
import time
from pathlib import Path

import pytest

BIN = next(iter(sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)), None)


def _postgres_user():
    if os.geteuid() != 0:
        return None
    try:
        return pwd.getpwnam("postgres")
    except KeyError:
        return None


pytestmark = [
    pytest.mark.skipif(not os.environ.get("TEST_DATABASE_URL", "").startswith("postgresql"),
                       reason="PostgreSQL tooling: runs in the suite's PostgreSQL pass"),
    pytest.mark.skipif(BIN is None or (os.geteuid() == 0 and _postgres_user() is None),
                       reason="needs PostgreSQL's server binaries (and, as root, a postgres user)"),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Cluster:
    def __init__(self, folder: Path):
        self.folder, self.port = folder, _free_port()
        self.data, self.archive = folder / "data", folder / "archive"
        self.user = _postgres_user()

    def run(self, *args: str, **kw) -> str:
        def demote():
            os.setgid(self.user.pw_gid)
            os.setuid(self.user.pw_uid)
        done = subprocess.run(list(args), capture_output=True, text=True, timeout=120,
                              preexec_fn=demote if self.user else None, **kw)
        assert done.returncode == 0, (args, done.stdout, done.stderr)
        return done.stdout.strip()

    def sql(self, statement: str) -> str:
        return self.run(f"{BIN}/psql", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "-d", "postgres",
                        "-qtAc", statement)

    def start(self, log: str) -> None:
        self.run(f"{BIN}/pg_ctl", "-D", str(self.data), "-l", str(self.folder / log), "-w", "-t", "120", "start")

    def stop(self) -> None:
        self.run(f"{BIN}/pg_ctl", "-D", str(self.data), "-w", "-m", "fast", "stop")

    def configure(self, **settings: str) -> None:
        with open(self.data / "postgresql.conf", "a") as conf:
            for name, value in settings.items():
                conf.write(f"{name} = '{value}'\n")


@pytest.fixture
def folder():
    # not under pytest's tmp_path: as root, that is closed to the postgres user
    path = Path(tempfile.mkdtemp(prefix="tercul-pitr-"))
    yield path
    shutil.rmtree(path, ignore_errors=True)


def test_point_in_time_recovery_brings_back_rows_deleted_after_the_target(folder):
    cluster = Cluster(folder)
    cluster.archive.mkdir()
    if cluster.user:
        for path in (folder, cluster.archive):
            os.chown(path, cluster.user.pw_uid, cluster.user.pw_gid)
    cluster.run(f"{BIN}/initdb", "-D", str(cluster.data), "-A", "trust", "-U", "postgres")
    # the runbook's settings (docs/OPERATIONS.md, "Point-in-time recovery")
    cluster.configure(port=str(cluster.port), listen_addresses="127.0.0.1", unix_socket_directories=str(folder),
                      wal_level="replica", archive_mode="on", archive_timeout="60",
                      archive_command=f"test ! -f {cluster.archive}/%f && cp %p {cluster.archive}/%f")
    cluster.start("log")
    try:
        cluster.sql("CREATE TABLE contributions (id int PRIMARY KEY)")
        cluster.sql("INSERT INTO contributions SELECT generate_series(1, 100)")
        cluster.run(f"{BIN}/pg_basebackup", "-h", "127.0.0.1", "-p", str(cluster.port), "-U", "postgres",
                    "-D", str(folder / "base"), "-Ft", "-z", "-X", "stream", "-c", "fast")
        cluster.sql("INSERT INTO contributions SELECT generate_series(101, 200)")
        time.sleep(1)
        target = cluster.sql("SELECT now()")
        time.sleep(1)
        cluster.sql("DELETE FROM contributions WHERE id > 50")  # the mistake
        cluster.sql("SELECT pg_switch_wal()")
        deadline = time.monotonic() + 30
        while cluster.sql("SELECT failed_count FROM pg_stat_archiver") == "0" and time.monotonic() < deadline:
            if int(cluster.sql("SELECT archived_count FROM pg_stat_archiver")) >= 3:
                break
            time.sleep(0.5)
        assert cluster.sql("SELECT failed_count FROM pg_stat_archiver") == "0"
        assert cluster.sql("SELECT count(*) FROM contributions") == "50"
    finally:
        cluster.stop()

    # recovery, as the runbook says: the base backup into an empty data directory, then replay to the target
    shutil.move(cluster.data, folder / "data.broken")
    cluster.data.mkdir(mode=0o700)
    with tarfile.open(folder / "base" / "base.tar.gz") as tar:
        tar.extractall(cluster.data, filter="tar")
    with tarfile.open(folder / "base" / "pg_wal.tar.gz") as tar:
        tar.extractall(cluster.data / "pg_wal", filter="tar")
    if cluster.user:
        for path in [cluster.data, *cluster.data.rglob("*")]:
            os.chown(path, cluster.user.pw_uid, cluster.user.pw_gid)
    cluster.configure(restore_command=f"cp {cluster.archive}/%f %p", recovery_target_time=target,
                      recovery_target_action="promote")
    (cluster.data / "recovery.signal").touch()
    if cluster.user:
        os.chown(cluster.data / "recovery.signal", cluster.user.pw_uid, cluster.user.pw_gid)
    cluster.start("log-recovery")
    try:
        deadline = time.monotonic() + 60
        while cluster.sql("SELECT pg_is_in_recovery()") == "t" and time.monotonic() < deadline:
            time.sleep(0.5)
        assert cluster.sql("SELECT pg_is_in_recovery()") == "f"  # promoted
        assert cluster.sql("SELECT count(*) FROM contributions") == "200"  # the deleted rows are back
    finally:
        cluster.stop()
