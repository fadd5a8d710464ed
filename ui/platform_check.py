"""Before the app starts on Linux: the X11 libraries Qt's xcb platform plugin needs, which a minimal
desktop install may lack; prints the one line that installs them (run by `make run`)."""

from __future__ import annotations

import ctypes.util
import os
import sys

# the libraries PySide6's xcb plugin loads, and the Debian/Ubuntu packages that carry them
NEEDED = {"xcb-cursor": "libxcb-cursor0", "xcb-icccm": "libxcb-icccm4", "xcb-keysyms": "libxcb-keysyms1",
          "xcb-image": "libxcb-image0", "xcb-render-util": "libxcb-render-util0", "xcb-shape": "libxcb-shape0",
          "xcb-xkb": "libxcb-xkb1", "xkbcommon-x11": "libxkbcommon-x11-0", "EGL": "libegl1",
          "fontconfig": "libfontconfig1", "dbus-1": "libdbus-1-3"}


def missing() -> list[str]:
    """The packages to install for the libraries that cannot be found ([] when all are there)."""
    return [package for library, package in NEEDED.items() if ctypes.util.find_library(library) is None]


def main() -> int:
    if not sys.platform.startswith("linux") or os.environ.get("QT_QPA_PLATFORM", "").startswith("offscreen"):
        return 0
    packages = missing()
    if packages:
        print("Qt needs system libraries that are missing / Qt memerlukan pustaka sistem yang belum ada:",
              file=sys.stderr)
        print(f"  sudo apt-get install {' '.join(packages)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
