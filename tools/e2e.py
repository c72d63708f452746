"""End-to-end check of the course in a real browser: JupyterLab in headless Chromium.

Usage: python tools/e2e.py [--shots build/e2e] [--site build/site [--site-only]] notebooks/*.ipynb

For each notebook, in JupyterLab: open it with its outputs cleared, run all
cells, save it, and check that every code cell ran and that no cell shows an
error (cells tagged ``raises-exception`` may). A notebook whose committed
outputs hold a widget view must also render every widget view it shows, and
moving each of its explorer's sliders with the keyboard alone (the handle takes
the focus, arrow keys move it) must change the explorer's printed text; a notebook
without widgets is checked for running cleanly only.
With ``--site``, the Jupyter Book site (``make site``) is opened too, from its
files: the index's sidebar must link every notebook page and each must open,
a notebook page must show math typeset by the local MathJax, every page must
carry assistive MathML for screen readers beside every formula, typing a term on the search
page must list results, and no page may request anything over the network.
``--site-only`` checks the site alone (no JupyterLab).

Accessibility is measured with axe-core (WCAG 2.0 and 2.1, levels A and AA;
the copy inside the ``axe-playwright-python`` wheel): on every page of the
site, and in JupyterLab on each notebook's cell outputs (figures, text,
widgets; not JupyterLab's own interface). A serious or critical violation
fails, naming the rule, the page and the element (CSS selector and HTML);
the counts per page and impact are printed. Findings in markup that
JupyterLab or ipywidgets write (``UPSTREAM``) are counted apart.

Screenshots go to ``--shots``, one per notebook (and the site's index, a
notebook page and the search results). The
notebooks are copied to a scratch folder first, so JupyterLab never touches the
committed files; the server runs on 127.0.0.1 with a random token on a free
port, with a scratch configuration, and is stopped at the end whatever happened.
Exit status 1 and a summary if anything failed.

Needs Debian's Chromium at /usr/bin/chromium and the Python ``playwright``
package (the ``browser`` extra); Playwright's own browser download is not used.
``make e2e`` installs both and runs this on every notebook.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from extras import require

require("browser", "playwright", "axe_playwright_python", target="e2e")

import nbformat  # noqa: E402  (after the check above)
from axe_playwright_python.sync_playwright import Axe  # noqa: E402  (ships axe-core's axe.min.js)
from playwright.sync_api import sync_playwright  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
PANEL = ".jp-NotebookPanel:not(.lm-mod-hidden)"    # the notebook on screen
PROMPTS = f"{PANEL} .jp-CodeCell .jp-InputArea-prompt"
# A widget view displayed by a cell (not one nested in an explorer's Output widget).
VIEWS = f"{PANEL} .jp-Cell-outputArea > .jp-OutputArea-child > .jp-OutputArea-output:has(> .jupyter-widgets)"
SLIDER_HANDLE = ".widget-slider .noUi-handle"   # a slider the keyboard can move
# Formulas typeset on a site page, and those with assistive MathML beside them.
MATHML_COUNT = """() => [document.querySelectorAll('.MathJax').length,
    document.querySelectorAll('.MathJax + .MJX_Assistive_MathML math, '
                              + '.MathJax > .MJX_Assistive_MathML math').length]"""
STALL_SECONDS = 10   # prompts unchanged and the kernel idle this long: execution has stopped
LAB_SETTINGS = {
    # every cell in the DOM: JupyterLab's default windowing leaves far cells unrendered
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
    # no news toast over the screenshots, and no request to the outside
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {
        "fetchNews": "false", "checkForUpdates": False, "doNotDisturbMode": True},
}


# Accessibility: axe-core's WCAG 2.0 and 2.1 level A and AA rules; a serious or critical
# violation fails the check, moderate and minor ones are counted and printed.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = ("serious", "critical")
AXE = Axe()   # the axe.min.js inside the axe-playwright-python wheel: nothing is downloaded
AXE_SECONDS = [0.0]   # time spent in axe, reported at the end
# Violations in markup that JupyterLab and ipywidgets write, not the course: (rule, a CSS
# selector the element is or lies inside, why). They are counted and printed on every run,
# never hidden, but do not fail it; each notes what the course does instead.
UPSTREAM = [
    ("image-alt", ".jp-RenderedImage",
     "JupyterLab 4 draws image outputs as <img> without alt and reads no alt from the output; "
     "the course describes every figure in the '*Figure: ...*' cell right after it"),
    ("aria-input-field-name", ".noUi-handle",
     "ipywidgets 8 leaves its slider handle without an accessible name (the description label "
     "is not tied to it); screen readers announce the value, and the explorer prints it as text"),
]


class Failure(Exception):
    """A check failed; the message says what was seen."""


def axe_check(page, where: str, include: str | None = None) -> tuple[list[str], dict[str, int]]:
    """Run axe-core's WCAG 2.1 A/AA rules on ``page`` (only inside ``include``, a CSS selector, if given).

    Returns one line per element with a serious or critical violation (rule, page,
    the element's CSS selector and HTML snippet) and the number of violating
    elements per impact level, all levels included; those in ``UPSTREAM`` are
    counted apart (as ``"upstream <rule>"``) and not returned as problems.
    """
    started = time.monotonic()
    options = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
    context = {"include": [include]} if include else None
    response = AXE.run(page, context=context, options=options).response
    problems, counts = [], {}
    for violation in response["violations"]:
        impact = violation.get("impact") or "minor"
        for node in violation["nodes"]:
            target = " ".join(map(str, node["target"]))
            if any(violation["id"] == rule and page.evaluate(
                    "([element, inside]) => !!document.querySelector(element)?.closest(inside)",
                    [str(node["target"][-1]), inside]) for rule, inside, _ in UPSTREAM):
                key = f"upstream {violation['id']}"
                counts[key] = counts.get(key, 0) + 1
                continue
            counts[impact] = counts.get(impact, 0) + 1
            if impact in BLOCKING:
                snippet = " ".join(node["html"].split())
                problems.append(f"{where}: axe {violation['id']} ({impact}: {violation['help']}) at "
                                f"{target} {snippet[:160]}")
    AXE_SECONDS[0] += time.monotonic() - started
    return problems, counts


def count_text(counts: dict[str, int]) -> str:
    levels = ["critical", "serious", "moderate", "minor"]
    levels += sorted(k for k in counts if k not in levels)
    return ", ".join(f"{counts[k]} {k}" for k in levels if counts.get(k)) or "no violation"


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
    raise Failure(f"timed out after {timeout:.0f} s waiting for {what}")


class Lab:
    """The JupyterLab server's REST API, as far as these checks need it."""

    def __init__(self, base: str, token: str):
        self.base, self.token = base, token

    def get(self, path: str):
        with urllib.request.urlopen(f"{self.base}/api/{path}?token={self.token}") as response:
            return json.load(response)

    def delete(self, path: str) -> None:
        request = urllib.request.Request(f"{self.base}/api/{path}?token={self.token}",
                                         method="DELETE")
        urllib.request.urlopen(request).close()

    def kernels_idle(self, connected: bool = False) -> bool:
        kernels = self.get("kernels")
        return bool(kernels) and all(
            k["execution_state"] == "idle" and (k["connections"] >= 1 or not connected)
            for k in kernels)

    def shut_down_kernels(self) -> None:
        for kernel in self.get("kernels"):
            self.delete(f"kernels/{kernel['id']}")


def widget_views(nb) -> int:
    """How many widget views a notebook's outputs display."""
    return sum(WIDGET_VIEW in output.get("data", {})
               for cell in nb.cells if cell.cell_type == "code" for output in cell.outputs)


def cleared_copy(source: Path, target: Path) -> None:
    """Copy a notebook without outputs, so everything checked comes from this run."""
    nb = nbformat.read(source, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    nb.metadata.pop("widgets", None)
    nbformat.write(nb, target)


def run_all(page, lab: Lab) -> None:
    """Run every cell from the Run menu and wait until the kernel has finished."""
    # Clicking "Run All" before the kernel is connected runs nothing: wait for it,
    # and click again if the cells still did not start.
    wait_for(lambda: lab.kernels_idle(connected=True), 120, "an idle, connected kernel")
    for attempt in (1, 2):
        page.get_by_role("menuitem", name="Run", exact=True).click(timeout=10_000)
        page.get_by_role("menuitem", name="Run All Cells", exact=True).click(timeout=10_000)
        try:
            wait_for(lambda: any(re.search(r"\[(\*|\d+)\]", p)
                                 for p in page.locator(PROMPTS).all_inner_texts()),
                     20, "the cells to start running")
            break
        except Failure:
            if attempt == 2:
                raise

    # JupyterLab may send the cells one by one, so an idle kernel with no [*] on
    # screen can be a pause between two cells. Done: every prompt numbered, or
    # (execution stopped at an error) nothing changed for a while.
    last = {"prompts": None, "since": time.monotonic()}

    def finished() -> bool:
        prompts = page.locator(PROMPTS).all_inner_texts()
        if prompts != last["prompts"]:
            last.update(prompts=prompts, since=time.monotonic())
        if any("*" in p for p in prompts) or not lab.kernels_idle():
            return False
        return (all(re.search(r"\[\d+\]", p) for p in prompts)
                or time.monotonic() - last["since"] > STALL_SECONDS)
    wait_for(finished, 300, "all cells to run")


def save_and_read(page, lab: Lab, name: str):
    """Save the notebook from the browser and read back what it holds."""
    before = lab.get(f"contents/{name}")["last_modified"]
    page.locator(f"{PANEL} .jp-Notebook").first.click(position={"x": 5, "y": 5})
    page.keyboard.press("Escape")
    page.keyboard.press("Control+s")
    wait_for(lambda: lab.get(f"contents/{name}")["last_modified"] != before, 30,
             "the notebook to be saved")
    return nbformat.from_dict(lab.get(f"contents/{name}")["content"])


def cell_problems(nb) -> list[str]:
    """Cells that did not run, or show an error without being tagged to raise one."""
    problems = []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code" or not cell.source.strip():
            continue
        if cell.execution_count is None:
            problems.append(f"cell {index} did not run")
            continue
        if "raises-exception" in cell.metadata.get("tags", []):
            continue
        for output in cell.outputs:
            if output.output_type == "error":
                problems.append(f"cell {index} shows {output.ename}: {output.evalue}")
    return problems


def check_widgets(page, lab: Lab, expected: int) -> str:
    """All ``expected`` widget views render; moving each slider by keyboard redraws its explorer."""
    if expected == 0:
        raise Failure("the committed notebook shows widgets, but this run displayed none")
    views = page.locator(VIEWS)
    count = views.count()
    if count != expected:
        raise Failure(f"the cells displayed {expected} widget view(s), but {count} rendered")
    for i in range(count):
        box = views.nth(i).bounding_box()
        if box is None or box["height"] < 10:
            raise Failure(f"widget view {i + 1} of {count} rendered with no size: {box}")
    explorers = page.locator(VIEWS, has=page.locator(SLIDER_HANDLE))
    if explorers.count() == 0:
        raise Failure("the notebook shows widgets, but none of them has a slider to move")
    explorer = explorers.first
    sliders = explorer.locator(".widget-slider", has=page.locator(".noUi-handle"))

    def shown():   # what a learner sees change: printed text and figures
        return (explorer.locator(".jp-OutputArea-output pre").all_inner_texts(),
                [img.get_attribute("src") for img in explorer.locator("img").all()])

    moves = []
    for i in range(sliders.count()):   # every slider of the explorer, by keyboard alone
        slider = sliders.nth(i)
        handle, readout = slider.locator(".noUi-handle"), slider.locator(".widget-readout")
        name = slider.locator(".widget-label").inner_text().strip() or f"slider {i + 1}"
        before, value = shown(), readout.inner_text()
        at_max = float(handle.get_attribute("aria-valuenow")) >= float(handle.get_attribute("aria-valuemax"))
        key = "ArrowLeft" if at_max else "ArrowRight"
        # The handle is in the tab order, takes focus, and arrow keys move it.
        if int(handle.get_attribute("tabindex") or -1) < 0:
            raise Failure(f"the explorer's slider {name!r} cannot be reached with the Tab key (no tabindex)")
        handle.scroll_into_view_if_needed()
        handle.focus()
        if not handle.evaluate("element => element === document.activeElement"):
            raise Failure(f"the explorer's slider {name!r} does not take the keyboard focus")
        for _ in range(5):
            page.keyboard.press(key)
        wait_for(lambda: readout.inner_text() != value, 10, f"the slider {name!r} to move")
        try:
            wait_for(lambda: lab.kernels_idle() and shown() != before and any(shown()), 30,
                     "the explorer to redraw")
        except Failure as exc:
            raise Failure(f"{exc}: moving {name!r} from {value} to "
                          f"{readout.inner_text()} left its output unchanged") from None
        explorer.scroll_into_view_if_needed()
        time.sleep(0.5)   # let the new figure paint before the screenshot
        after = shown()
        changed = [what for what, old, new in zip(("text", "figure"), before, after) if old != new]
        if "text" not in changed:   # a reader who cannot see the figure reads the new values
            raise Failure(f"moving {name!r} with {key} from {value} to {readout.inner_text()} "
                          "changed the figure but not the explorer's printed text")
        moves.append(f"{name} {value} -> {readout.inner_text()}")
    return (f"{count} widget view(s) rendered; each slider moved by the keyboard changed the "
            f"explorer's printed text ({'; '.join(moves)})")


def check_notebook(page, lab: Lab, committed, name: str, shot: Path) -> str:
    """Open, run, save and inspect one notebook; return what was checked."""
    page.goto(f"{lab.base}/lab/tree/{name}?reset&token={lab.token}")   # reset: no tabs restored
    wait_for(lambda: page.locator(PROMPTS).count() > 0, 60, "the notebook to open")
    try:
        run_all(page, lab)
        ran = save_and_read(page, lab, name)
        problems = cell_problems(ran)
        if problems:
            raise Failure("; ".join(problems[:5]) + (" ..." if len(problems) > 5 else ""))
        done = f"{sum(c.cell_type == 'code' for c in ran.cells)} code cells ran without errors"
        # What the course controls: the cells' outputs (figures, text, widgets), not JupyterLab's own chrome.
        found, counts = axe_check(page, name, include=f"{PANEL} .jp-OutputArea")
        done += f"; axe on the outputs: {count_text(counts)}"
        # the house style's 10 pt text is 10 pt on screen only if figures are not shrunk
        scales = page.locator(f"{PANEL} .jp-OutputArea img").evaluate_all(
            "images => images.filter(i => i.naturalWidth).map(i => i.clientWidth / i.naturalWidth)")
        if scales:
            done += f"; figures shown at {100 * min(scales):.0f}% or more of their size"
        if widget_views(committed):
            done += "; " + check_widgets(page, lab, widget_views(ran))
        if found:
            raise Failure("; ".join(found[:5]) + (f" ... ({len(found)} in all)" if len(found) > 5 else ""))
        return done
    finally:
        page.screenshot(path=str(shot))


SIDEBAR = "nav.bd-docs-nav a.reference.internal"   # sphinx-book-theme's course path
SEARCH_TERM = "Pinsker"


def check_site(browser, site: Path, notebooks: list[Path], shots: Path) -> list[str]:
    """The Jupyter Book site, offline: sidebar, every page, typeset math, search.

    The index (the landing page) must list every notebook page in its sidebar,
    and each must open; a page with math must show it typeset by MathJax; the
    search page must find a term that the course uses. Every http(s) request
    is aborted and reported: reading the site must need no network.
    """
    problems, external = [], []
    context = browser.new_context(viewport={"width": 1200, "height": 1000})

    def local_only(route):
        if route.request.url.startswith(("file:", "data:", "about:")):
            route.continue_()
        else:
            external.append(route.request.url)
            route.abort()
    context.route("**/*", local_only)
    page = context.new_page()
    index = (site / "index.html").resolve().as_uri()
    page.goto(index)
    sidebar = page.locator(SIDEBAR).evaluate_all("links => links.map(a => a.getAttribute('href'))")
    pages = {f"{nb.stem}.html" for nb in notebooks}
    # the landing page links itself as '#' (the current page) or by name
    missing = [nb.stem for nb in notebooks[1:] if f"{nb.stem}.html" not in sidebar]
    if missing:
        problems.append(f"site sidebar links no page for {', '.join(missing)}")
    def audit(name: str) -> None:   # WCAG 2.1 A/AA, once MathJax has typeset the page
        page.wait_for_function("() => window.MathJax && MathJax.Hub && MathJax.isReady",
                               timeout=60_000)
        page.evaluate("() => new Promise(done => MathJax.Hub.Queue(() => done(true)))")
        # Math for screen readers: hidden MathML beside every formula of the page.
        formulas, spoken = page.evaluate(MATHML_COUNT)
        if spoken < formulas:
            problems.append(f"{name}: {formulas - spoken} of {formulas} formulas have no "
                            "assistive MathML for screen readers")
        found, counts = axe_check(page, name)
        problems.extend(found)
        # the house style's 10 pt text stays 10 pt only if figures are not shrunk to fit the column
        scales = page.locator(".cell_output img").evaluate_all(
            "images => images.filter(i => i.naturalWidth).map(i => i.clientWidth / i.naturalWidth)")
        if scales and min(scales) < 0.95:
            problems.append(f"{name}: a figure is shown at {100 * min(scales):.0f}% of its size "
                            "(its text below 10 pt)")
        print(f"axe     site {name}: {count_text(counts)}")

    try:
        wait_for(lambda: page.locator(".MathJax, .MathJax_Display").count() > 0, 60,
                 "MathJax to typeset the index")
    except Failure as exc:
        problems.append(f"index.html: {exc}")
    page.screenshot(path=str(shots / "site_index.png"))
    audit("index.html")

    for href in sidebar:   # every page of the sidebar opens, with its heading, accessible
        if href in pages:
            page.goto(index.rsplit("/", 1)[0] + "/" + href)
            if page.locator("main h1").count() == 0:
                problems.append(f"{href}: the page shows no heading")
            audit(href)

    with_math = [nb for nb in notebooks
                 if any(c.cell_type == "markdown" and "$" in c.source
                        for c in nbformat.read(nb, as_version=4).cells)]
    try:
        if not with_math:
            raise Failure("no notebook has math to check the site's MathJax with")
        # a page reached from the sidebar, unless the landing page is the only one given
        target = with_math[-1 if len(with_math) == 1 else 1].stem
        page.goto(index)
        link = page.locator(f"{SIDEBAR}[href='{target}.html']")
        if link.count():
            link.click()
            page.wait_for_url(f"**/{target}.html")
        else:
            page.goto(index.rsplit("/", 1)[0] + f"/{target}.html")
        wait_for(lambda: page.locator(".MathJax, .MathJax_Display").count() > 0, 60,
                 "MathJax to typeset the page's math")
        if page.locator(".MathJax_Error, .merror").count():
            problems.append(f"{target}.html: MathJax reported errors")
        # The local accessibility extension (its explorer speaks a formula) loaded.
        page.evaluate("() => new Promise(done => MathJax.Hub.Queue(() => done(true)))")
        if page.evaluate("() => document.querySelectorAll('.MathJax').length") == 0:
            problems.append(f"{target}.html: no formula typeset")
        if not page.evaluate("() => 'accessibility-menu' in MathJax.Extension"):
            problems.append(f"{target}.html: MathJax's accessibility extension did not load")
        page.screenshot(path=str(shots / f"site_{target}.png"))
    except Failure as exc:
        problems.append(f"{page.url.rsplit('/', 1)[-1]}: {exc}")

    try:   # search as a reader does: type on the search page, press Enter
        page.goto(index.rsplit("/", 1)[0] + "/search.html")
        box = page.locator("#search-results").locator("xpath=..").locator("input[name='q']")
        box.fill(SEARCH_TERM)
        box.press("Enter")
        results = page.locator("#search-results li")
        wait_for(lambda: results.count() > 0, 30, f"search results for {SEARCH_TERM!r}")
        found = results.locator("a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
        if not any(href.split("?")[0].split("#")[0] in pages for href in found):
            problems.append(f"search.html: no notebook page among the results for {SEARCH_TERM!r}")
        page.screenshot(path=str(shots / "site_search.png"))
        audit("search.html")
    except Failure as exc:
        problems.append(f"search.html: {exc}")
        page.screenshot(path=str(shots / "site_search.png"))
    if external:
        problems.append(f"the site requested {len(external)} network URL(s), e.g. {external[0]}")
    context.close()
    return problems


def start_lab(scratch: Path, port: int, token: str) -> subprocess.Popen:
    config = scratch / ".jupyter-config"
    for relative, values in LAB_SETTINGS.items():
        path = config / "lab" / "user-settings" / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values))
    env = dict(os.environ, JUPYTER_CONFIG_DIR=str(config),
               JUPYTERLAB_SETTINGS_DIR=str(config / "lab" / "user-settings"),
               JUPYTERLAB_WORKSPACES_DIR=str(config / "lab" / "workspaces"))
    jupyter = Path(sys.executable).with_name("jupyter")
    return subprocess.Popen(
        [str(jupyter), "lab", "--no-browser", "--allow-root", "--ServerApp.ip=127.0.0.1",
         f"--ServerApp.token={token}", f"--port={port}", "--LabApp.news_url=None",
         "--ServerApp.open_browser=False"],
        cwd=scratch, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="+", type=Path)
    parser.add_argument("--shots", type=Path, default=Path("build/e2e"))
    parser.add_argument("--site", type=Path, help="a site built by tools/site.py, to check too")
    parser.add_argument("--site-only", action="store_true",
                        help="check only the site (--site), against the notebooks given; no JupyterLab")
    args = parser.parse_args()
    if args.site_only and not args.site:
        parser.error("--site-only needs --site (the folder that make site built, e.g. build/site)")
    if not Path(CHROMIUM).exists():
        print(f"{CHROMIUM} not found: install Debian's chromium "
              "(as root: apt-get install chromium; make e2e does this when run as root).")
        return 2
    started = time.monotonic()
    notebooks = sorted(args.notebooks, key=lambda p: p.name)
    args.shots.mkdir(parents=True, exist_ok=True)
    in_lab = [] if args.site_only else notebooks
    scratch = Path(tempfile.mkdtemp(prefix="klteach-e2e-"))
    for nb in in_lab:
        cleared_copy(nb, scratch / nb.name)
    port, token = free_port(), secrets.token_hex(16)
    server = start_lab(scratch, port, token) if in_lab else None
    lab = Lab(f"http://127.0.0.1:{port}", token)
    failures = {}
    try:
        if server:
            wait_for(lambda: lab.get("status"), 60, "JupyterLab to start")
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            for nb in in_lab:
                page = browser.new_page(viewport={"width": 1400, "height": 1000})
                shot = args.shots / f"{nb.stem}.png"
                t0 = time.monotonic()
                try:
                    result = check_notebook(page, lab, nbformat.read(nb, as_version=4), nb.name, shot)
                    print(f"ok      {nb.name}: {result} ({time.monotonic() - t0:.0f} s, {shot})")
                except Exception as exc:   # report every notebook, not just the first failure
                    failures[nb.name] = (str(exc) if isinstance(exc, Failure)   # Playwright's call log: first line
                                         else f"{type(exc).__name__}: {str(exc).splitlines()[0]}")
                    print(f"FAILED  {nb.name}: {failures[nb.name]} ({time.monotonic() - t0:.0f} s, {shot})")
                finally:
                    page.close()
                    lab.shut_down_kernels()
            if args.site:
                try:
                    problems = check_site(browser, args.site, notebooks, args.shots)
                except Exception as exc:
                    problems = [f"{type(exc).__name__}: {str(exc).splitlines()[0]}"]
                for problem in problems:
                    print(f"FAILED  site: {problem}")
                if problems:
                    failures["site"] = "; ".join(problems)
                else:
                    print(f"ok      site: the sidebar links every page, math typeset, search finds "
                          f"{SEARCH_TERM!r}, no network request ({args.site})")
            browser.close()
    finally:
        if server:
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
        shutil.rmtree(scratch, ignore_errors=True)
    checked = len(in_lab) + bool(args.site)
    print(f"e2e: {checked - len(failures)} passed, {len(failures)} failed "
          f"in {time.monotonic() - started:.0f} s (axe: {AXE_SECONDS[0]:.0f} s); "
          f"screenshots in {args.shots}/")
    for name, problem in failures.items():
        print(f"  {name}: {problem}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
