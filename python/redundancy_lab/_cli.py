"""Finding and running the project's command line (`redundancy-lab`, Node >= 20) from Python.

Where the CLI is, first found wins:
  1. $REDUNDANCY_LAB_CLI: a path to bin/redundancy-lab.mjs (run with Node), or a command on PATH;
  2. the checkout the package was installed from (`pip install ./python` records it) or lives in (a source tree);
  3. `redundancy-lab` on PATH (npm link / npm install -g).
Node is $REDUNDANCY_LAB_NODE or `node` on PATH, version 20 or newer.

The numbers are the CLI's: arrays go to it as .npy files (their own dtype, no conversion here) and results come
back as its JSON. Progress: the CLI's stderr lines, through tqdm when it is installed, else printed as they come.
Ctrl-C ends the child process before the KeyboardInterrupt goes on.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import threading
from pathlib import Path
from typing import Callable, List, Optional, Sequence

MIN_NODE = 20
_PREFIX = "redundancy-lab: "


class RedundancyLabError(Exception):
    """Bad input or a failed run: the message is the CLI's (what is wrong, which file, what to do)."""


def _source_checkouts() -> List[Path]:
    found = []
    try:
        from . import _checkout  # written at install by setup.py

        found.append(Path(_checkout.CHECKOUT))
    except ImportError:
        pass
    found.append(Path(__file__).resolve().parents[2])  # python/redundancy_lab/_cli.py in a checkout
    return found


def node_command() -> str:
    node = os.environ.get("REDUNDANCY_LAB_NODE") or shutil.which("node")
    if not node or not (shutil.which(node) or Path(node).is_file()):
        raise RedundancyLabError(
            f"Node.js was not found{' at ' + node if node else ' on PATH'}: redundancy_lab runs the project's CLI with Node >= {MIN_NODE}. "
            "Install Node (https://nodejs.org or your package manager) or set REDUNDANCY_LAB_NODE to its path."
        )
    try:
        version = subprocess.run([node, "--version"], capture_output=True, text=True, timeout=30).stdout.strip()
    except OSError as e:
        raise RedundancyLabError(f"Node.js at {node} could not be started ({e}); set REDUNDANCY_LAB_NODE to a working node") from e
    match = re.match(r"v(\d+)", version)
    if not match or int(match.group(1)) < MIN_NODE:
        raise RedundancyLabError(f"Node.js {version or '(unknown version)'} at {node} is too old: redundancy_lab needs Node >= {MIN_NODE}")
    return node


def cli_command() -> List[str]:
    """The argv prefix that runs the CLI."""
    explicit = os.environ.get("REDUNDANCY_LAB_CLI")
    if explicit:
        if explicit.endswith((".mjs", ".js")):
            if not Path(explicit).is_file():
                raise RedundancyLabError(f"REDUNDANCY_LAB_CLI={explicit}: no such file")
            return [node_command(), explicit]
        return [explicit]
    for root in _source_checkouts():
        entry = root / "bin" / "redundancy-lab.mjs"
        if entry.is_file() and (root / "node_modules").is_dir():
            return [node_command(), str(entry)]
    on_path = shutil.which("redundancy-lab")
    if on_path:
        node_command()  # a clear error when Node itself is missing
        return [on_path]
    checkouts = ", ".join(str(r) for r in _source_checkouts())
    raise RedundancyLabError(
        "the redundancy-lab CLI was not found: run `npm ci` in the checkout this package came from "
        f"(looked in {checkouts}), or set REDUNDANCY_LAB_CLI to its bin/redundancy-lab.mjs"
    )


def _progress_sink(enabled: bool) -> Callable[[Optional[str]], None]:
    """Receives each progress line (None at the end): tqdm when installed, else the line on stderr."""
    if not enabled:
        return lambda line: None
    try:
        from tqdm.auto import tqdm
    except ImportError:
        return lambda line: print(line, file=sys.stderr, flush=True) if line else None
    bar = tqdm(total=100, unit="%", bar_format="{l_bar}{bar}| {elapsed} {postfix}")

    def sink(line: Optional[str]) -> None:
        if line is None:
            bar.close()
            return
        percent = re.search(r"(\d+(?:\.\d+)?)\s*%", line)
        if percent:
            bar.n = min(100.0, float(percent.group(1)))
        bar.set_postfix_str(line[-80:], refresh=True)

    return sink


def run(args: Sequence[str], progress: bool = True) -> str:
    """Runs the CLI with these arguments; returns its stdout. A failure raises RedundancyLabError with its message."""
    command = cli_command() + [str(a) for a in args]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8")
    errors: List[str] = []  # the CLI's own error lines ("redundancy-lab: …")
    lines: List[str] = []  # everything else it printed on stderr (progress, notes)
    sink = _progress_sink(progress)

    def read_stderr() -> None:
        assert process.stderr is not None
        for raw in process.stderr:
            line = raw.rstrip("\n")
            if line.startswith(_PREFIX):
                errors.append(line[len(_PREFIX):])
            elif line and not line.startswith("report written"):
                lines.append(line)
                sink(line)

    reader = threading.Thread(target=read_stderr, daemon=True)
    reader.start()
    try:
        assert process.stdout is not None
        out = process.stdout.read()  # stderr is the reader thread's (communicate() would race it for the pipe)
        process.wait()
    except BaseException:
        # Ctrl-C (or any error here): the child must not go on computing in the background
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        raise
    finally:
        reader.join(timeout=5)
        sink(None)
    if process.returncode != 0:
        message = "\n".join(errors) or (lines[-1] if lines else f"the CLI exited with status {process.returncode}")
        raise RedundancyLabError(message)
    return out
