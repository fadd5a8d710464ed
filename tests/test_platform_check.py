"""`make run` names the missing X11 libraries Qt needs on Linux with the one line that installs them."""

import ctypes.util

from ui import platform_check


def test_missing_libraries_are_named_with_their_install_line(monkeypatch, capsys):
    monkeypatch.setenv("QT_QPA_PLATFORM", "xcb")
    monkeypatch.setattr(platform_check.sys, "platform", "linux")
    monkeypatch.setattr(ctypes.util, "find_library", lambda name: None if name == "xcb-cursor" else f"lib{name}.so")
    assert platform_check.main() == 1
    assert "sudo apt-get install libxcb-cursor0" in capsys.readouterr().err
    monkeypatch.setattr(ctypes.util, "find_library", lambda name: f"lib{name}.so")
    assert platform_check.main() == 0 and platform_check.missing() == []
