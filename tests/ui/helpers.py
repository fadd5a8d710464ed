"""What the screen tests share: waiting for the background work a screen started."""

from ui.ops import busy, pool


def wait_ops(qtbot):
    """Let background operations finish and deliver their callbacks."""
    qtbot.waitUntil(lambda: pool().activeThreadCount() == 0 and pool("reader").activeThreadCount() == 0
                    and not busy(), timeout=10000)
