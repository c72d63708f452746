"""How the tools start notebook kernels: over local IPC sockets.

ipykernel warns on every start that a TCP kernel's traffic is unencrypted;
the tools' kernels are local and short-lived, so they use IPC sockets and
start quietly. The socket files get an absolute path in the temporary folder
(the kernel runs in the notebook's folder, the client elsewhere) and are
removed when the kernel stops.
"""

from __future__ import annotations

import os
import tempfile

from traitlets.config import Config


def kernel_config(**preprocessor) -> Config:
    """A traitlets Config whose kernels use IPC; ``preprocessor`` sets ExecutePreprocessor traits."""
    config = Config()
    config.KernelManager.transport = "ipc"
    config.KernelManager.ip = os.path.join(tempfile.gettempdir(), f"klteach-kernel-{os.getpid()}")
    for name, value in preprocessor.items():
        setattr(config.ExecutePreprocessor, name, value)
    return config
