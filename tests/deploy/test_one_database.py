"""One database wherever a command runs: the bot started in one folder, staff commands from another.

The README's first command comes down to `wegweiser run` in the clone; staff later type commands in their
home folder. Both must use the data folder's database, and a staff command must never create an empty one.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from tests.telegram.test_run_command import free_port

ROOT = Path(__file__).resolve().parents[2]


def _environment(data_home: Path, **extra: str) -> dict[str, str]:
    """A user with no settings at all: no WEGWEISER_* variables, her own XDG data folder."""
    env = {name: value for name, value in os.environ.items() if not name.startswith("WEGWEISER_")}
    env |= {"XDG_DATA_HOME": str(data_home), "PYTHONPATH": str(ROOT), "COLUMNS": "200", **extra}
    return env


def _wegweiser(folder: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args], cwd=folder, env=env, capture_output=True, text=True, timeout=120
    )


def _run_bot_once(folder: Path, env: dict[str, str]) -> None:
    """`wegweiser run` until /health answers and one conversation happened, then stopped."""
    port = free_port()
    log = folder / "bot.log"
    with log.open("w") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "bot", "run"],
            cwd=folder,
            env={**env, "WEGWEISER_PORT": str(port)},
            stdout=output,
            stderr=output,
        )
        try:
            for _ in range(300):
                assert process.poll() is None, log.read_text()
                try:
                    if httpx.get(f"http://127.0.0.1:{port}/health").status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                time.sleep(0.1)
            reply = httpx.post(f"http://127.0.0.1:{port}/api/chat", json={"session": "s" * 16, "start": True})
            assert reply.status_code == 200
        finally:
            process.terminate()
            process.wait(20)


def test_staff_commands_from_another_folder_use_the_bots_database(tmp_path: Path) -> None:
    clone, home, data_home = tmp_path / "clone", tmp_path / "home", tmp_path / "xdg"
    clone.mkdir()
    home.mkdir()
    env = _environment(data_home)
    database = data_home / "wegweiser" / "wegweiser.db"

    before = _wegweiser(home, env, "broadcast", "list")
    assert before.returncode == 2
    assert "No database at" in before.stderr and "wegweiser run" in before.stderr
    assert not database.exists(), "a staff command created a database"

    _run_bot_once(clone, env)
    assert database.exists()
    assert not list(clone.glob("*.db")), "the bot must not keep its database in the working folder"

    listed = _wegweiser(home, env, "broadcast", "list")
    assert listed.returncode == 0, listed.stderr
    assert f"database: SQLite {database}" in " ".join(listed.stderr.split())
    stats = _wegweiser(home, env, "reports", "stats", "--since", "2026-01", "--until", "2026-12")
    assert stats.returncode == 0, stats.stderr
    assert not list(home.glob("*.db"))


def test_the_data_folder_setting_moves_the_database(tmp_path: Path) -> None:
    folder = tmp_path / "elsewhere"
    env = _environment(tmp_path / "xdg", WEGWEISER_DATA_DIR=str(folder))
    upgraded = _wegweiser(tmp_path, env, "db", "upgrade")
    assert upgraded.returncode == 0, upgraded.stderr
    assert (folder / "wegweiser.db").exists()
    assert _wegweiser(tmp_path, env, "jobs").returncode == 0


def test_a_database_left_in_the_working_folder_is_named_not_replaced(tmp_path: Path) -> None:
    """Before the data folder, `wegweiser.db` was opened in the working folder: starting must not hide it."""
    (tmp_path / "wegweiser.db").write_bytes(b"SQLite format 3\x00")
    env = _environment(tmp_path / "xdg")
    started = _wegweiser(tmp_path, env, "db", "upgrade")
    assert started.returncode == 2
    message = " ".join(started.stderr.split())
    assert str(tmp_path / "wegweiser.db") in message and "WEGWEISER_DATA_DIR" in message
    assert not (tmp_path / "xdg" / "wegweiser" / "wegweiser.db").exists()


def test_tables_are_whole_when_the_output_is_not_a_terminal(tmp_path: Path) -> None:
    """Piped into a file, rich assumed 80 columns and cut the job list; now the rows stay whole."""
    env = _environment(tmp_path / "xdg")
    del env["COLUMNS"]
    assert _wegweiser(tmp_path, env, "db", "upgrade").returncode == 0
    text = "Der Fachtag ist am 12. März im Kreishaus, mit Kinderbetreuung"
    created = _wegweiser(
        tmp_path, env, "broadcast", "create", "--text", text, "--at", "2099-12-24 18:00", "--yes"
    )
    assert created.returncode == 0, created.stderr
    listed = _wegweiser(tmp_path, env, "jobs")
    assert listed.returncode == 0, listed.stderr
    row = next(line for line in listed.stdout.splitlines() if "broadcast #1" in line)
    assert "“Der Fachtag ist am 12. März im”" in row and "2099-12-24 18:00:00" in row


def test_a_taken_port_is_one_clear_message(tmp_path: Path) -> None:
    """Not the URL of a web chat that never comes, then a bind error: one line, before anything starts."""
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        env = _environment(tmp_path / "xdg", WEGWEISER_PORT=str(port))
        result = _wegweiser(tmp_path, env, "run")
    assert result.returncode == 2
    output = " ".join((result.stdout + result.stderr).split())
    assert f"Cannot listen on 127.0.0.1:{port}: Address already in use." in output
    assert "WEGWEISER_PORT" in output and "http://" not in output and "Traceback" not in output
    assert not (tmp_path / "xdg" / "wegweiser" / "wegweiser.db").exists()


def test_the_web_socket_sends_answers_at_once() -> None:
    """Connections accepted on the web chat's socket have Nagle off: asyncio does not set TCP_NODELAY on
    a socket made without proto=IPPROTO_TCP, and every answer then waited 40 ms for a delayed ACK."""
    from bot.cli.serve import listen

    listener = listen("127.0.0.1", 0)
    with listener, socket.create_connection(listener.getsockname()[:2]):
        accepted, _ = listener.accept()
        with accepted:
            assert accepted.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) != 0
