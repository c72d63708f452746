"""Check the notebooks' explorers in a real browser: JupyterLab in headless Chromium.

Usage: python tools/browser_check.py [--shots DIR] notebooks/01_definition.ipynb [...]

For each notebook: open it in JupyterLab, run all cells, move the first
slider of the first explorer, and check that the explorer's printed output
changes. Screenshots go to ``--shots`` (default ``browser-shots/``). The
notebooks are copied to a scratch folder first, so JupyterLab's autosave
never touches the committed files.

Needs Debian's Chromium (``apt-get install chromium``) and the Python
``playwright`` package (``pip install -e ".[browser]"``); Playwright's own
browser download is not used. ``make browser-check`` runs it on every notebook.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
PANEL = ".jp-NotebookPanel:not(.lm-mod-hidden)"    # the notebook on screen
OUTPUT_TEXT = f"{PANEL} .jupyter-widgets .jp-OutputArea-output pre"
SLIDER = f"{PANEL} .widget-slider"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(condition, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            value = condition()
        except OSError:   # the server answered 500 or not at all: ask again
            value = None
        if value:
            return value
        time.sleep(0.5)
    raise TimeoutError(f"timed out after {timeout:.0f} s waiting for {what}")


def api(base: str, token: str, path: str):
    with urllib.request.urlopen(f"{base}/api/{path}?token={token}") as response:
        return json.load(response)


def check_notebook(page, base: str, token: str, name: str, shot: Path) -> str | None:
    """Run one notebook and move its first slider; return a problem, or None."""
    page.goto(f"{base}/lab/tree/{name}?reset&token={token}")   # reset: no tabs restored
    wait_for(lambda: any(k["execution_state"] == "idle" and k["connections"] >= 1
                         for k in api(base, token, "kernels")), 120, "an idle, connected kernel")
    page.click("text=Run", timeout=10_000)
    page.click("text=Run All Cells", timeout=10_000)
    wait_for(lambda: page.locator(SLIDER).count() > 0, 180, "an explorer's slider")
    wait_for(lambda: all(k["execution_state"] == "idle" for k in api(base, token, "kernels")),
             300, "the kernel to finish running all cells")
    time.sleep(1)
    before = page.locator(OUTPUT_TEXT).all_inner_texts()
    handle = page.locator(SLIDER).first.locator(".noUi-handle")
    handle.scroll_into_view_if_needed()
    handle.focus()
    for _ in range(10):
        handle.press("ArrowLeft")
    time.sleep(1)
    wait_for(lambda: all(k["execution_state"] == "idle" for k in api(base, token, "kernels")),
             120, "the kernel to finish redrawing")
    try:
        wait_for(lambda: page.locator(OUTPUT_TEXT).all_inner_texts() != before, 60,
                 "the explorer to redraw")
    except TimeoutError as exc:
        page.screenshot(path=str(shot))
        return f"{exc}; printed output stayed {before[:1]!r}"
    page.screenshot(path=str(shot))
    return None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="+", type=Path)
    parser.add_argument("--shots", type=Path, default=Path("browser-shots"))
    args = parser.parse_args()
    if not Path(CHROMIUM).exists():
        print(f"{CHROMIUM} not found: install Debian's chromium (apt-get install chromium).")
        return 2
    args.shots.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix="klteach-browser-"))
    for nb in args.notebooks:
        shutil.copy(nb, scratch / nb.name)
    port, token = free_port(), secrets.token_hex(16)
    env = dict(os.environ, JUPYTER_CONFIG_DIR=str(scratch / ".jupyter-config"))
    jupyter = Path(sys.executable).with_name("jupyter")
    server = subprocess.Popen(
        [str(jupyter), "lab", "--no-browser", "--allow-root", "--ServerApp.ip=127.0.0.1",
         f"--ServerApp.token={token}", f"--port={port}", "--LabApp.news_url=None"],
        cwd=scratch, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    problems = {}
    try:
        wait_for(lambda: api(base, token, "status"), 60, "JupyterLab to start")
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            for nb in args.notebooks:
                page = browser.new_page(viewport={"width": 1400, "height": 1000})
                shot = args.shots / f"{nb.stem}.png"
                try:
                    problem = check_notebook(page, base, token, nb.name, shot)
                except Exception as exc:   # report every notebook, not just the first failure
                    problem = f"{type(exc).__name__}: {exc}"
                print(f"{nb.name}: {'ok' if problem is None else 'FAILED: ' + problem} ({shot})")
                if problem:
                    problems[nb.name] = problem
                page.close()
                for kernel in api(base, token, "kernels"):
                    req = urllib.request.Request(f"{base}/api/kernels/{kernel['id']}?token={token}",
                                                 method="DELETE")
                    urllib.request.urlopen(req).close()
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(scratch, ignore_errors=True)
    print(f"{len(args.notebooks) - len(problems)} passed, {len(problems)} failed")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
