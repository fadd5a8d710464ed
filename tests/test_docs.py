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


def test_the_repository_stands_alone():
    """Code and documents point only at files of the repository: its links resolve, and no notes of ours
    from outside it are cited."""
    import re
    import subprocess

    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True).stdout.split()
    texts = [ROOT / f for f in tracked if f.endswith((".py", ".md", ".toml", ".json", ".po", ".cfg", ".txt"))
             or f in ("Makefile",)]
    # the team's notes outside the repository, spelled here in pieces so that this file does not cite them either
    notes = "|".join([*(name + r"\.md" for name in ("DOM" + "AIN", "MEAS" + "URED", "ST" + "YLE")), "sha" + "red/docs"])
    cited = [str(p.relative_to(ROOT)) for p in texts if p.exists() and re.search(notes, p.read_text(encoding="utf-8"))]
    assert cited == []
    for document in [ROOT / "README.md", *(ROOT / "docs").glob("*.md")]:
        for link in re.findall(r"\]\(([^)#]+)\)", document.read_text(encoding="utf-8")):
            if not link.startswith("http"):
                assert (document.parent / link).exists(), f"{document.name}: {link}"
