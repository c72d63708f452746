"""The command-line tools in tools/: what a user meets before any real work starts."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_a_missing_extra_is_named_in_one_line(tmp_path):
    """Without the site extra, the site builder names the extra instead of a traceback."""
    blocker = tmp_path / "jupyter_book.py"   # shadows the real package with one that cannot import
    blocker.write_text("raise ImportError('blocked for this test')\n")
    result = subprocess.run([sys.executable, str(ROOT / "tools" / "site.py"), "--help"],
                            capture_output=True, text=True, timeout=60,
                            env={"PYTHONPATH": str(tmp_path), "PATH": "/usr/bin:/bin"})
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "jupyter_book is missing" in lines[0] and "'site' extra" in lines[0]
    assert 'pip install -e ".[site]"' in lines[0] and "make site" in lines[0]
    assert "Traceback" not in result.stderr


def test_lab_prints_the_address_of_the_front_door(monkeypatch, capsys):
    """make lab's launcher prints a URL that opens 00_start_here.ipynb, then starts JupyterLab."""
    import lab

    started = {}
    monkeypatch.setattr(lab.os, "execv", lambda path, cmd: started.update(cmd=cmd))
    monkeypatch.setattr(lab.os, "chdir", lambda path: None)
    lab.main(["--port", "8899"])
    out = capsys.readouterr().out
    url = next(word for word in out.split() if word.startswith("http://"))
    assert url.startswith("http://127.0.0.1:8899/lab/tree/00_start_here.ipynb?token=")
    token = url.split("token=")[1]
    assert len(token) == 32
    assert f"--IdentityProvider.token={token}" in started["cmd"]
    assert "notebooks/00_start_here.ipynb" in started["cmd"]
    assert (ROOT / "notebooks" / "00_start_here.ipynb").exists()
