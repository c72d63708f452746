"""Open the course in JupyterLab and print the address that opens notebooks/00_start_here.ipynb.

Usage: python tools/lab.py [--ip 127.0.0.1] [--port N] [--allow-root]   (make lab runs it)

JupyterLab's own start-up message shows an address for an empty workspace; this
prints, before the server starts, the one that opens the course's front door,
with a token made here, on a free port. A desktop browser opens it by itself
where there is one.
"""

from __future__ import annotations

import argparse
import os
import secrets
import socket
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
START = "notebooks/00_start_here.ipynb"   # JupyterLab serves its folder, notebooks/


def free_port(preferred: int = 8888) -> int:
    """``preferred`` if nothing listens there, else a port the system picks."""
    for port in (preferred, 0):
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return s.getsockname()[1]
    raise RuntimeError("no free TCP port on 127.0.0.1")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ip", default="127.0.0.1",
                        help="address to listen on (0.0.0.0 to be reached from outside a container)")
    parser.add_argument("--port", type=int, default=None, help="port (default: 8888 if free)")
    parser.add_argument("--allow-root", action="store_true", help="needed when running as root")
    args = parser.parse_args(argv)
    port = args.port or free_port()
    token = secrets.token_hex(16)
    host = "127.0.0.1" if args.ip in ("0.0.0.0", "") else args.ip
    print(f"\nThe course: http://{host}:{port}/lab/tree/{Path(START).name}?token={token}", flush=True)
    if args.ip == "0.0.0.0":
        print(f"From another machine or from outside a container, use its address instead of {host} "
              f"(publish the port, e.g. docker run -p {port}:{port}, or ssh -L {port}:127.0.0.1:{port}).",
              flush=True)
    print("Stop the server with Ctrl-C.\n", flush=True)
    jupyter = Path(sys.executable).with_name("jupyter")
    cmd = [str(jupyter), "lab", START, f"--ServerApp.ip={args.ip}", f"--ServerApp.port={port}",
           "--ServerApp.port_retries=0", f"--IdentityProvider.token={token}"]
    if args.allow_root:
        cmd.append("--allow-root")
    os.chdir(ROOT)
    os.execv(cmd[0], cmd)


if __name__ == "__main__":
    main()
