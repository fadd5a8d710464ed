"""The README documents every command of the CLI and every benchmark."""

from pathlib import Path

from workbench.cli import build_parser

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_command_is_in_the_readme():
    parser = build_parser()
    commands = [a for a in parser._actions if a.dest == "command"][0].choices
    missing = [name for name in commands if f"workbench {name}" not in README]
    assert missing == []


def test_every_benchmark_has_its_figure_in_the_readme():
    benches = [p.name for p in (ROOT / "bench").glob("*.py") if not p.name.startswith("_")]
    assert benches and all(f"bench/{name}" in README for name in benches)
