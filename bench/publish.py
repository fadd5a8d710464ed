"""Publishing a national round of 3,000 units (results, surveys and the certificate register) for Datasette,
beside copying the lead's database file in the same run; and Datasette answering the certificate check over
HTTP, 1,000 requests, beside the same question asked of the lead's database directly."""

from __future__ import annotations

import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench._data import make_large_db  # noqa: E402
from workbench import Workbook  # noqa: E402
from workbench.usecases.publish import publish  # noqa: E402

PASS, UNITS, REQUESTS = "kunci-kantor-nasional", 3000, 1000


def lead(folder: Path) -> Path:
    """3,000 units scored by one evaluator each, final, results settled, every unit's certificate signed."""
    path = folder / "publish-lead-3000.sqlite"
    if path.exists():
        return path
    made = make_large_db(folder / "publish-raw.sqlite", units=UNITS, evaluators=1)
    shutil.copyfile(made, path)
    with Workbook(path, actor="Ketua") as wb:
        with wb.transaction():
            wb.store.execute("UPDATE observations SET status = 'final'")
        wb.results.cache(wb.results.compute())
        wb.certificates.init_keys(PASS)
        wb.certificates.issue(PASS, min_category="F")
    return path


def best(seconds: list[float]) -> float:
    return min(seconds)


def main() -> None:
    folder = Path(tempfile.gettempdir()) / "workbench-bench"
    folder.mkdir(exist_ok=True)
    db = lead(folder)
    out = folder / "hasil-nasional.sqlite"
    publishing, copying = [], []
    for _ in range(3):
        with Workbook(db) as wb:
            began = time.perf_counter()
            done = publish(wb, out)
            publishing.append(time.perf_counter() - began)
        began = time.perf_counter()
        shutil.copyfile(db, folder / "salinan.sqlite")
        copying.append(time.perf_counter() - began)
    size = db.stat().st_size / 1e6
    print(f"publish {done.units} units, {done.certificates} certificates: {best(publishing):.2f} s (best of 3; "
          f"aim < 2 s); copying the {size:.0f} MB database file: {best(copying):.3f} s; "
          f"ratio {best(publishing) / best(copying):.1f}x")

    numbers = [row[0] for row in sqlite3.connect(out).execute("SELECT nomor FROM piagam ORDER BY nomor")]
    asked = [numbers[n * 7 % len(numbers)] if n % 10 else f"{n}/PALSU" for n in range(REQUESTS)]
    direct = sqlite3.connect(db)
    local = []
    for number in asked:
        began = time.perf_counter()
        direct.execute("SELECT c.number, u.code, c.category, c.issued_on, c.revoked_at FROM certificates c "
                       "JOIN units u ON u.id = c.unit_id WHERE c.number = ?", (number,)).fetchall()
        local.append(time.perf_counter() - began)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "workbench", "serve", str(out), "--port", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
    base = f"http://127.0.0.1:{port}/{out.stem}/cek_piagam.json?_shape=array&"
    try:
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/-/versions.json", timeout=1).read()
                break
            except OSError:
                time.sleep(0.2)
        served = []
        for number in asked:
            began = time.perf_counter()
            with urllib.request.urlopen(base + urllib.parse.urlencode({"nomor": number}), timeout=10) as answer:
                answer.read()
            served.append(time.perf_counter() - began)
    finally:
        server.terminate()
        server.wait()
    print(f"certificate check over HTTP (Datasette, {REQUESTS} requests, one in ten unknown): median "
          f"{statistics.median(served) * 1000:.1f} ms, 95th percentile "
          f"{statistics.quantiles(served, n=20)[-1] * 1000:.1f} ms (aim < 20 ms median); the same question to the "
          f"lead's database: median {statistics.median(local) * 1000:.3f} ms; ratio "
          f"{statistics.median(served) / statistics.median(local):.0f}x")


if __name__ == "__main__":
    main()
