"""A run killed at any moment: the last complete pair (processed + reports) stays intact, no process
of the run survives, and the next run succeeds (finishing an interrupted publish first).

The run's process group is killed (SIGKILL) during a stage and during the conversion of a report;
the publish, a handful of renames too quick to hit from outside, is killed after each of its
renames in turn (a process doing exactly what the run does, then SIGKILL).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from conftest import FIXTURE
from helpers import paths
from helpers.publish import Staging

LIMIT = 300  # seconds for any one wait


def _files(tmp: Path) -> dict[str, bytes]:
    return {p.relative_to(tmp).as_posix(): p.read_bytes() for name in ("processed", "reports")
            for p in sorted((tmp / name).rglob("*")) if p.is_file()}


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for d in Path("/proc").iterdir():
        if not d.name.isdigit():
            continue
        try:
            ppid = int((d / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (ValueError, OSError, IndexError):
            continue
        tree.setdefault(ppid, []).append(int(d.name))
    return tree


def _descendants(pid: int) -> set[int]:
    tree, found, todo = _children(), set(), [pid]
    while todo:
        for child in tree.get(todo.pop(), []):
            found.add(child)
            todo.append(child)
    return found


def _alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def _start(tmp: Path, *extra: str) -> subprocess.Popen:
    cmd = [sys.executable, "-m", "helpers", "run", "--params", FIXTURE, "--set", f"paths.processed_dir={tmp / 'processed'}",
           "--set", f"paths.reports_dir={tmp / 'reports'}", *extra]
    return subprocess.Popen(cmd, cwd=paths.ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            start_new_session=True)


def _kill_when(tmp: Path, appears: str, *extra: str) -> set[int]:
    """Start a run, kill its process group once ``appears`` exists in the staging area; returns
    the run's processes at that moment (the kernels have sessions of their own)."""
    proc = _start(tmp, *extra)
    target, deadline = tmp / "reports.new" / appears, time.monotonic() + LIMIT
    try:
        while not target.exists():
            assert proc.poll() is None, f"the run ended before {appears} appeared: {proc.stdout.read()[-2000:]}"
            assert time.monotonic() < deadline, f"{appears} did not appear within {LIMIT} s"
            time.sleep(0.05)
        return _descendants(proc.pid) | {proc.pid}
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
        proc.stdout.close()


def _assert_all_gone(processes: set[int]) -> None:
    deadline = time.monotonic() + 30
    while (alive := {p for p in processes if _alive(p)}) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not alive, f"processes of the killed run still alive 30 s later: {sorted(alive)}"


@pytest.fixture(scope="module")
def pair(fixture_run, tmp_path_factory) -> Path:
    """A copy of a complete run's processed/ and reports/ (the pair a killed run must not touch)."""
    tmp = tmp_path_factory.mktemp("kill")
    for name in ("processed", "reports"):
        shutil.copytree(fixture_run[0] / name, tmp / name)
    return tmp


@pytest.mark.parametrize("moment, appears, extra", [
    ("during a stage", "reports/review/10_clean_surveys.ipynb", ("--force",)),
    ("during the conversion of a report", "reports/analytic_report.ru.html", ()),
])
def test__killed_run__leaves_the_pair_and_no_process(pair, moment, appears, extra):
    before = _files(pair)
    processes = _kill_when(pair, appears, *extra)
    _assert_all_gone(processes)
    assert _files(pair) == before, f"killed {moment}: the published pair changed"


PUBLISH_KILLED_AT = """
import os, signal, sys
from pathlib import Path
from helpers.publish import Staging
calls = [0]
def dying(real):
    def call(*args):
        if calls[0] == int(sys.argv[1]):
            os.kill(os.getpid(), signal.SIGKILL)
        calls[0] += 1
        return real(*args)
    return call
os.rename, os.replace = dying(os.rename), dying(os.replace)
tmp = Path(sys.argv[2])
Staging(tmp / "processed", tmp / "reports").publish()
"""


def _stage_new_pair(tmp: Path) -> None:
    """A staging area holding a complete pair that differs from the published one in one file each."""
    area = Staging(tmp / "processed", tmp / "reports")
    area.create()
    for name in ("processed", "reports"):
        shutil.rmtree(area.root / name)
        shutil.copytree(tmp / name, area.root / name)
        (area.root / name / "NEW").write_text("staged")


@pytest.mark.parametrize("kill_at", range(5))  # the journal's rename, then two renames per folder
def test__publish_killed_after_each_rename__is_completed_or_rolled_back(tmp_path, kill_at):
    for name in ("processed", "reports"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "README.md").write_text(name)
        (tmp_path / name / "data").write_text("old")
    _stage_new_pair(tmp_path)
    proc = subprocess.run([sys.executable, "-c", textwrap.dedent(PUBLISH_KILLED_AT), str(kill_at), str(tmp_path)],
                          cwd=paths.ROOT, timeout=120)
    assert proc.returncode == -signal.SIGKILL
    note = Staging(tmp_path / "processed", tmp_path / "reports").recover()
    new = [(tmp_path / name / "NEW").exists() for name in ("processed", "reports")]
    assert new in ([True, True], [False, False]), f"a mixed pair after recovery: {new}"
    assert ("completed" if new[0] else "discarded") in note
    for name in ("processed", "reports"):
        assert (tmp_path / name / "data").read_text() == "old" and (tmp_path / name / "README.md").read_text() == name
    assert sorted(p.name for p in tmp_path.iterdir()) == ["processed", "reports"]


def test__next_run_after_kills__completes_an_interrupted_publish_and_succeeds(pair):
    _stage_new_pair(pair)
    subprocess.run([sys.executable, "-c", textwrap.dedent(PUBLISH_KILLED_AT), "2", str(pair)], cwd=paths.ROOT,
                   timeout=120)
    assert (pair / "reports.new" / "PUBLISHING.json").exists()
    proc = _start(pair)
    out, _ = proc.communicate(timeout=900)
    assert proc.returncode == 0, out[-3000:]
    assert "its publish was completed" in out
    assert not (pair / "processed" / "NEW").exists() and (pair / "reports" / "analytic_report.ru.pdf").is_file()
    assert sorted(p.name for p in pair.iterdir() if not p.name.startswith(".")) == [
        "processed", "processed.cache", "reports"]
