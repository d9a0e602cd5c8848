"""The work folder of a `nox -s generate` run, and stopping the run cleanly on SIGTERM or Ctrl-C.

The work folder lives in `.generate-tmp/` at the repository root: on the filesystem of `generated/` and
`openapi/` (so finished files move in by rename) but outside every folder the sdist ships. Each run has
its own folder named after its process id; folders of processes that no longer run (a run killed with
SIGKILL) are removed when the next run starts.

While ``interruptible()`` is active, SIGTERM and SIGINT raise ``Interrupted``, a ``BaseException`` so that
no ``except Exception`` swallows it and every ``finally`` clean-up runs. ``held_signals()`` postpones them
while files are being swapped in. ``run_process`` starts a child in a process group of its own and kills
the whole group (the generator and its post-hooks) if the run stops while the child is still working.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from types import FrameType

WORK_ROOT = ".generate-tmp"
SIGNALS = (signal.SIGTERM, signal.SIGINT)


class Interrupted(BaseException):
    """SIGTERM or SIGINT stopped the run; ``changed`` when it came after the new files were swapped in."""

    def __init__(self, signum: int, *, changed: bool = False) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum
        self.changed = changed

    @property
    def exit_code(self) -> int:
        return 128 + self.signum


class _Held:
    """Signals that arrived while held (None: not holding)."""

    signals: list[int] | None = None


@contextlib.contextmanager
def work_folder(root: Path) -> Iterator[Path]:
    """A fresh folder in ``root/.generate-tmp/`` for this run; removed (with the parent, if empty) after."""
    base = root / WORK_ROOT
    base.mkdir(parents=True, exist_ok=True)
    remove_stale(base)
    folder = Path(tempfile.mkdtemp(prefix=f"{os.getpid()}-", dir=base))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        with contextlib.suppress(OSError):
            base.rmdir()


def remove_stale(base: Path) -> None:
    """Remove the work folders of runs that are no longer running."""
    for entry in base.iterdir():
        owner = entry.name.split("-", 1)[0]
        if not (owner.isdigit() and _running(int(owner))):
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry, ignore_errors=True)
            else:
                entry.unlink(missing_ok=True)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True  # someone else's process, or a platform that cannot tell: keep its folder
    return True


@contextlib.contextmanager
def interruptible() -> Iterator[None]:
    """Within the block SIGTERM and SIGINT raise ``Interrupted``; the previous handlers come back after."""
    if threading.current_thread() is not threading.main_thread():
        yield  # signal handlers can only be set from the main thread
        return
    previous = {signum: signal.signal(signum, _on_signal) for signum in SIGNALS}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


@contextlib.contextmanager
def held_signals() -> Iterator[None]:
    """Hold SIGTERM and SIGINT until the block is done, then raise the first (``changed=True``)."""
    _Held.signals = []
    try:
        yield
    finally:
        pending, _Held.signals = _Held.signals, None
    if pending:
        raise Interrupted(pending[0], changed=True)


def _on_signal(signum: int, _frame: FrameType | None) -> None:
    if _Held.signals is not None:
        _Held.signals.append(signum)
        return
    raise Interrupted(signum)


def run_process(
    command: Sequence[str], *, cwd: Path, env: dict[str, str], timeout: float
) -> subprocess.CompletedProcess[str]:
    """Run ``command`` in a new process group, capturing text output; the group dies if this call fails."""
    with subprocess.Popen(
        command,
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    ) as process:
        try:
            stdout, stderr = process.communicate(timeout=timeout)
        except BaseException:  # a timeout, Interrupted, anything: stop the generator and its post-hooks
            _kill_group(process)
            raise
    return subprocess.CompletedProcess(list(command), process.returncode, stdout, stderr)


def _kill_group(process: subprocess.Popen[str]) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        if hasattr(os, "killpg"):
            os.killpg(process.pid, signal.SIGKILL)
        else:  # pragma: no cover - Windows has no process groups of this kind
            process.kill()
    process.wait()
