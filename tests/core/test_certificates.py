"""Certificates and reports read back: pypdf for text, pypdfium2 + zxing-cpp for the QR code."""

import dataclasses
import itertools
import json
import random
from pathlib import Path

import pypdfium2 as pdfium
import pytest
import segno
import zxingcpp
from pypdf import PdfReader
from reportlab import rl_config
from reportlab.pdfbase.ttfonts import TTFont

from reports import fonts
from reports.certificate import CHUNK, certificate_pdf, printed_problem, safe_name, token_lines, write_certificates
from reports.evaluation import write_recap, write_unit_report
from reports.pdf_page import read_page
from reports.qr import draw_qr, qr_modules
from tests.helpers import run, score_all
from workbench import Workbook
from workbench.certificates.printed import TOKEN_LINES
from workbench.certificates.service import Certificate, CertificateSettings
from workbench.certificates.tokens import key_id, load_private, load_public, new_key_pair, read, sign
from workbench.certificates.verify import verify_token
from workbench.errors import WorkbenchError
from workbench.progress import Cancelled, CancelToken
from workbench.usecases.certificates import issue_certificates

PASS = "kunci-rahasia-kantor"


@pytest.fixture
def office(tmp_path, monkeypatch):
    monkeypatch.setenv("WORKBENCH_PASSPHRASE", PASS)
    wb = Workbook.create(tmp_path / "kantor.sqlite", period="PEKPPP 2021")
    units = {"PRIMA": lambda i: 5, "SANGAT": lambda i: 5 if i.aspect in ("I", "II") else 4,
             "BAIK": lambda i: 4, "DRAF": lambda i: 5, "BEDA": lambda i: 5}
    for code, score in units.items():
        wb.registry.add_unit(code, f"Dinas {code.title()}", "Pemerintah Kabupaten Cilacap")
        score_all(wb, code, "Ani", score)
        if code != "DRAF":
            wb.observations.set_status(unit=code, evaluator="Ani", status="final")
    score_all(wb, "BEDA", "Budi", lambda i: 1 if i.code == "1.a.Ak" else 5)  # an open conflict
    wb.certificates.init_keys(PASS)
    settings = wb.certificates.settings()
    settings.signatory_name, settings.issued_on = "Tjahjo Kumolo", "2022-03-08"
    wb.certificates.save_settings(settings)
    yield wb
    wb.close()


def test_keys_are_protected_by_the_passphrase(office):
    with pytest.raises(WorkbenchError, match="sudah ada"):
        office.certificates.init_keys(PASS)
    with pytest.raises(WorkbenchError, match="Kata sandi kunci salah"):
        office.certificates.issue("salah-sekali")
    private_pem = office.store.conn.execute("SELECT private_pem FROM signing_keys").fetchone()[0]
    assert "ENCRYPTED" in private_pem and b"PUBLIC KEY" in office.certificates.public_key()


def test_only_final_conflict_free_units_at_or_above_the_category_get_numbered_certificates(office):
    assert office.certificates.eligible() == ["PRIMA", "SANGAT"]
    assert office.certificates.eligible(min_category="B") == ["PRIMA", "SANGAT", "BAIK"]
    certs = office.certificates.issue(PASS)
    assert [(c.number, c.unit, c.category, c.label) for c in certs] == [
        ("001/PP/2021", "PRIMA", "A", "Pelayanan Prima"), ("002/PP/2021", "SANGAT", "A-", "Sangat Baik")]
    again = office.certificates.issue(PASS, min_category="B")
    assert [(c.number, c.unit) for c in again] == [("001/PP/2021", "PRIMA"), ("002/PP/2021", "SANGAT"),
                                                   ("003/PP/2021", "BAIK")]
    assert again[0].token == certs[0].token  # issuing again gives the same certificate


def test_certificate_pdf_reads_back_and_its_qr_verifies(office, tmp_path):
    certs = office.certificates.issue(PASS)
    paths = write_certificates(certs, office.certificates.settings(), tmp_path / "piagam")
    assert [p.name for p in paths] == ["piagam-001-PP-2021.pdf", "piagam-002-PP-2021.pdf", "piagam-semua.pdf"]
    text = " ".join(PdfReader(paths[0]).pages[0].extract_text().split())
    for expected in ("PIAGAM PENGHARGAAN", "Nomor: 001/PP/2021", "Dinas Prima", "Pemerintah Kabupaten Cilacap",
                     "Kategori PELAYANAN PRIMA (A)", "Tahun 2021", "Jakarta, 8 Maret 2022", "Tjahjo Kumolo"):
        assert expected in text
    assert len(PdfReader(paths[2]).pages) == 2
    fonts = PdfReader(paths[0]).pages[0]["/Resources"]["/Font"]
    assert all("/FontFile2" in f.get_object()["/FontDescriptor"].get_object()
               for f in fonts.values())  # every font embedded (TrueType subsets)
    image = pdfium.PdfDocument(str(paths[0]))[0].render(scale=2).to_pil()
    codes = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
    assert len(codes) == 1 and codes[0].text == certs[0].token
    public = {key_id(load_public(office.certificates.public_key())): office.certificates.public_key()}
    verdict = verify_token(codes[0].text, public)
    assert verdict.valid and verdict.claims["unit"] == "PRIMA" and verdict.claims["category"] == "A"
    assert "pencabutan tidak diperiksa" in verdict.message
    assert office.certificates.verify(codes[0].text).valid


OLD = Path(__file__).resolve().parent.parent / "data" / "pp1"  # made by the workbench before the PP2 token


def test_a_certificate_printed_with_the_old_token_format_still_verifies(capsys, tmp_path):
    pdf, key = OLD / "piagam-pp1.pdf", OLD / "kunci.pem"
    old = (OLD / "token.txt").read_text().strip()
    assert old.startswith("PP1.") and read_page(pdf).token == old
    code, out, _ = run(capsys, "verify", pdf, "--public-key", key)
    assert code == 0 and out.startswith("SAH: piagam 001/PP/2025 untuk Dinas Penanaman Modal dan PTSP Kota Contoh "
                                        "(DPMPTSP-07), kategori A-")
    assert run(capsys, "verify", old, "--public-key", key)[0] == 0
    claims = read(old)[0]
    assert claims["score"] == 4.49 and claims["label"] == "Sangat Baik" and claims["date"] == "2026-11-28"
    changed = old.replace(old.split(".")[1][:12], "eyJjIjoiQSIs")  # category A- -> A, same signature
    code, out, _ = run(capsys, "verify", changed, "--public-key", key)
    assert code == 1 and "TIDAK SAH" in out
    # the same facts in the compact token: a smaller QR code, and the same claims read back
    pair = new_key_pair("kunci-kantor-baru")
    private = load_private(pair.private_pem, "kunci-kantor-baru")
    new = sign(claims, private)
    assert new.startswith("PP2:") and read(new)[0] == claims | {"key": pair.key_id}
    assert segno.make(new, error="m").version <= segno.make(old, error="m").version - 4


def segno_qr(canvas, data, x, y, size):
    """The certificate's QR code as segno makes it, a rectangle a run of dark modules: what the page showed
    before the code was made from tables built once."""
    matrix = segno.make(data, error="m", mask=0, micro=False).matrix
    canvas.saveState()
    canvas.translate(x, y)
    canvas.scale(size / len(matrix), size / len(matrix))
    canvas.setFillColorRGB(0, 0, 0)
    path = canvas.beginPath()
    for row, line in enumerate(matrix):
        col = 0
        for dark, modules in itertools.groupby(line):
            width = len(list(modules))
            if dark:
                path.rect(col, len(matrix) - row - 1, width, 1)
            col += width
    canvas.drawPath(path, stroke=0, fill=1)
    canvas.restoreState()


def test_qr_codes_made_from_tables_have_segnos_modules_and_pages_look_the_same(tmp_path):
    rng = random.Random(7)
    letters = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"
    lengths = [*range(1, 300), *rng.sample(range(300, 3392), 40)]  # 3,391 letters: the most a code holds at M
    texts = ["".join(rng.choice(letters) for _ in range(n)) for n in lengths]
    for text in (t for t in texts if not t.isdigit()):  # versions 1 to 40, at the levels segno raises M to
        assert qr_modules(text) == (len(segno.make(text, error="m", mask=0, micro=False).matrix), [
            "".join(str(int(bool(m))) for m in row) for row in segno.make(text, error="m", mask=0, micro=False).matrix])
    assert qr_modules("12345") is None and qr_modules("PP1.abc") is None  # numbers and bytes: segno makes them
    pair = new_key_pair("kunci-kantor-baru")
    private = load_private(pair.private_pem, "kunci-kantor-baru")
    claims = {"number": "007/PP/2026", "unit": "DPMPTSP-07", "unit_name": "Dinas Penanaman Modal dan PTSP",
              "institution": "Kota Contoh", "period": "PEKPPP 2026", "category": "A", "label": "Pelayanan Prima",
              "score": 4.67, "date": "2026-03-08"}
    old = (OLD / "token.txt").read_text().strip()
    settings = CertificateSettings(signatory_name="Prof. Dr. Ir. H. Abdullah Azwar Anas, M.Si.")
    for token in (sign(claims, private), old):
        cert = Certificate("007/PP/2026", "DPMPTSP-07", claims["unit_name"], "Kota Contoh", "PEKPPP 2026", 2026, "A",
                           "Pelayanan Prima", 4.67, "2026-03-08", token, pair.key_id)
        pages = []
        for drawer in (draw_qr, segno_qr):
            path = tmp_path / f"{drawer.__name__}.pdf"
            path.write_bytes(certificate_pdf(cert, settings, drawer))
            pages.append(pdfium.PdfDocument(str(path))[0].render(scale=3).to_pil().tobytes())
        assert pages[0] == pages[1]
        assert read_page(tmp_path / "draw_qr.pdf").token == token


def test_font_objects_written_once_are_the_bytes_reportlab_writes(tmp_path, monkeypatch):
    """Each subset's font objects are written out once per process and then taken from memory: a certificate
    made so is, byte for byte, the one reportlab writes itself, before and after another certificate whose
    letters (and so its subsets) differ."""
    monkeypatch.setattr(rl_config, "invariant", 1)  # no time or random id in the file: equal pages, equal bytes
    pair = new_key_pair("kunci-kantor-baru")
    private = load_private(pair.private_pem, "kunci-kantor-baru")
    settings = CertificateSettings(signatory_name="Dr. Siti Nurbaya Bakar, M.Sc.")

    def cert(name: str) -> Certificate:
        claims = {"number": "008/PP/2026", "unit": "DPMPTSP-08", "unit_name": name, "institution": "Kota Contoh",
                  "period": "PEKPPP 2026", "category": "A", "label": "Pelayanan Prima", "score": 4.67,
                  "date": "2026-03-08"}
        return Certificate("008/PP/2026", "DPMPTSP-08", name, "Kota Contoh", "PEKPPP 2026", 2026, "A",
                           "Pelayanan Prima", 4.67, "2026-03-08", sign(claims, private), pair.key_id)

    plain, other = cert("Dinas Penanaman Modal dan PTSP"), cert("Dinas Pariwisata Çiledug Ñusantara")
    fonts.register()
    made = [certificate_pdf(plain, settings), certificate_pdf(other, settings), certificate_pdf(plain, settings)]
    with monkeypatch.context() as reportlab_itself:
        reportlab_itself.setattr(fonts._SubsetOnce, "addObjects", TTFont.addObjects)
        written = [certificate_pdf(plain, settings), certificate_pdf(other, settings)]
    assert made[0] == made[2] == written[0] and made[1] == written[1]
    assert made[0] != made[1]
    (tmp_path / "lain.pdf").write_bytes(made[1])
    assert printed_problem(tmp_path / "lain.pdf", other.token) is None  # its name read back as signed


def test_altered_foreign_revoked_and_tampered_certificates_are_rejected(office, tmp_path):
    cert = office.certificates.issue(PASS)[0]
    one_char = cert.token[:20] + ("A" if cert.token[20] != "A" else "B") + cert.token[21:]
    assert not office.certificates.verify(one_char).valid
    assert office.certificates.verify(one_char).message.startswith("TIDAK SAH")
    other = new_key_pair("kunci-kantor-lain")
    foreign = sign(read(cert.token)[0], load_private(other.private_pem, "kunci-kantor-lain"))
    assert "kunci yang tidak dikenal" in office.certificates.verify(foreign).message
    assert "bukan token piagam" in office.certificates.verify("PP1.bukan-token").message
    forged = dataclasses.replace(cert, unit_name="Dinas Palsu")  # printed name changed, token copied
    pdf = tmp_path / "palsu.pdf"
    pdf.write_bytes(certificate_pdf(forged, office.certificates.settings()))
    page = read_page(pdf)
    assert page.token == page.printed_token() == cert.token
    assert ("halaman PDF tidak sesuai token: unit_name tercetak “Dinas Palsu”, token menyatakan “Dinas Prima"
            in office.certificates.verify(cert.token, page=page).message)
    office.certificates.revoke(cert.number, "Data dukung tidak benar")
    verdict = office.certificates.verify(cert.token)
    assert not verdict.valid and "dicabut: Data dukung tidak benar" in verdict.message
    assert office.certificates.revocations()[0]["number"] == cert.number
    assert office.audit.entries(cert.number)[-1]["reason"] == "Data dukung tidak benar"


def test_cli_keys_certificates_verify_revoke(office, capsys, tmp_path):
    db = office.path
    office.close()
    assert run(capsys, "keys", "export", db, tmp_path / "kunci.pem")[0] == 0
    code, out, _ = run(capsys, "certificates", db, "--out", tmp_path / "pdf")
    assert code == 0 and "001/PP/2021  PRIMA  A" in out
    pdf = tmp_path / "pdf" / "piagam-001-PP-2021.pdf"
    code, out, _ = run(capsys, "verify", pdf, "--public-key", tmp_path / "kunci.pem")
    assert code == 0 and out.startswith("SAH: piagam 001/PP/2021 untuk Dinas Prima")
    token = read_page(pdf).token
    assert token is not None
    assert run(capsys, "verify", token, "--db", db)[0] == 0
    assert run(capsys, "revoke", db, "001/PP/2021", "--reason", "Salah cetak")[0] == 0
    code, out, _ = run(capsys, "verify", pdf, "--db", db)
    assert code == 1 and "dicabut: Salah cetak" in out
    code, out, _ = run(capsys, "verify", token[:-3] + "abc", "--public-key", tmp_path / "kunci.pem")
    assert code == 1 and "TIDAK SAH" in out
    code, out, _ = run(capsys, "revocations", db, "--out", tmp_path / "dicabut.json")
    assert '"001/PP/2021"' in out and (tmp_path / "dicabut.json").exists()
    code, out, _ = run(capsys, "reports", db, "--out", tmp_path / "laporan", "--unit", "PRIMA")
    assert code == 0 and (tmp_path / "laporan" / "laporan-PRIMA.pdf").exists()


def test_evaluation_report_and_recap(office, tmp_path):
    office.observations.save(unit="SANGAT", indicator="1.a.Ak", evaluator="Ani", notes="SP ditetapkan",
                            recommendation="Monev SP tiap tahun", reason="catatan")
    pdf = write_unit_report(office.results.unit_report("SANGAT"), tmp_path / "laporan.pdf", on="2022-03-08")
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(pdf).pages).split())
    for expected in ("LAPORAN HASIL EVALUASI", "Dinas Sangat", "4,49", "A- · Sangat Baik", "Kebijakan Pelayanan",
                     "1.a.Ak", "SP memenuhi 14 komponen, ditetapkan, melibatkan masyarakat, dan dimonitor",
                     "Ani: SP ditetapkan (rekomendasi: Monev SP tiap tahun)", "BERITA ACARA", "Jakarta, 8 Maret 2022"):
        assert expected in text
    recap = write_recap(office.results.scores(), "PEKPPP 2021", tmp_path / "rekap.pdf")
    text = " ".join(PdfReader(recap).pages[0].extract_text().split())
    assert "REKAPITULASI" in text and text.index("Dinas Prima") < text.index("Dinas Baik")


def test_a_logo_is_drawn_when_set(office, tmp_path):
    from PIL import Image

    logo = tmp_path / "garuda.png"
    Image.new("RGB", (64, 64), (200, 160, 40)).save(logo)
    settings = office.certificates.settings()
    settings.logo = str(logo)
    office.certificates.save_settings(settings)
    cert = office.certificates.issue(PASS)[0]
    pdf = tmp_path / "logo.pdf"
    pdf.write_bytes(certificate_pdf(cert, office.certificates.settings()))
    images = PdfReader(pdf).pages[0].images
    assert len(images) == 1 and images[0].image.size == (64, 64)
    assert office.certificates.verify(cert.token, page=read_page(pdf)).valid  # the logo covers no text


def test_a_long_name_in_many_scripts_wraps_and_still_verifies(office, tmp_path):
    name = "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu " * 3 + "Kabupaten Bolaang Mongondow Timur (Ñé·ü)"
    office.registry.add_unit("PANJANG", name.strip(), "Pemerintah Kabupaten Bolaang Mongondow Timur")
    score_all(office, "PANJANG", "Ani", lambda i: 5)
    office.observations.set_status(unit="PANJANG", evaluator="Ani", status="final")
    cert = next(c for c in office.certificates.issue(PASS) if c.unit == "PANJANG")
    pdf = write_certificates([cert], office.certificates.settings(), tmp_path)[0]
    verdict = office.certificates.verify(cert.token, page=read_page(pdf))
    assert verdict.valid, verdict.message


def test_an_import_that_changes_a_certified_unit_names_its_certificate(office, capsys, tmp_path):
    from tests.helpers import write_xlsx

    office.certificates.issue(PASS)
    db = office.path
    office.close()
    sheet = write_xlsx(tmp_path / "budi.xlsx", [["kode_unit", "kode_indikator", "nilai", "evaluator"],
                                               ["PRIMA", "1.a.Ak", 1, "Budi"], ["BAIK", "1.a.Ak", 4, "Budi"]])
    code, _, err = run(capsys, "import", db, sheet)
    assert code == 0 and "perhatian: nilai PRIMA berubah, padahal unit ini sudah menerima piagam 001/PP/2021" in err
    assert "BAIK berubah" not in err  # no certificate there


def test_a_large_batch_is_drawn_in_processes_and_every_file_verifies(tmp_path):
    pair = new_key_pair("kunci-kantor-besar")
    private = load_private(pair.private_pem, "kunci-kantor-besar")
    certs = []
    for n in range(2 * CHUNK + 3):  # three chunks: two processes, one of them drawing twice
        # letters outside the fonts' shared subsets, which the print file numbers otherwise than their own PDFs
        name = {2: "Dinas Pariwisata Ñusantara", 3: "Dinas Çiledug"}.get(n, f"Dinas Pelayanan {n}")
        facts = {"number": f"{n + 1:03d}/PP/2026", "unit": f"UPP-{n:03d}", "unit_name": name,
                 "institution": "Pemerintah Kota Contoh", "period": "PEKPPP 2026", "category": "A",
                 "label": "Pelayanan Prima", "score": 4.5 + n / 1000, "date": "2026-03-08"}
        certs.append(Certificate(facts["number"], facts["unit"], facts["unit_name"], facts["institution"],
                                 "PEKPPP 2026", 2026, "A", "Pelayanan Prima", facts["score"], "2026-03-08",
                                 sign(facts, private), pair.key_id))
    updates = []
    paths = write_certificates(certs, CertificateSettings(), tmp_path, workers=2, progress=updates.append)
    assert [p.name for p in paths] == [*(safe_name(c.number) for c in certs), "piagam-semua.pdf"]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in paths)  # no part left behind
    assert updates[-1].current == updates[-1].total == len(certs)
    combined = pdfium.PdfDocument(str(paths[-1]))
    assert [" ".join(combined[n].get_textpage().get_text_range().split()).split("Nomor: ")[1][:11]
            for n in range(len(combined))] == [c.number for c in certs]  # every page, in order
    assert PdfReader(paths[-1]).metadata.title == CertificateSettings().title
    for n in (0, 1, 2, 3, CHUNK + 1):  # pages taken from their own PDFs as they are, or drawn again: the same
        own = pdfium.PdfDocument(str(paths[n]))
        assert combined[n].render().to_pil().tobytes() == own[0].render().to_pil().tobytes()
        own.close()
    public = {pair.key_id: pair.public_pem}
    for n in (0, CHUNK, len(certs) - 1):  # one from each chunk, read back as a reader sees it
        assert verify_token(certs[n].token, public, page=read_page(paths[n])).valid
    cancel = CancelToken()
    with pytest.raises(Cancelled):  # cancelled when the first chunk is done: the other process stops too
        write_certificates(certs, CertificateSettings(), tmp_path / "batal", workers=2, cancel=cancel,
                           progress=lambda update: cancel.cancel())
    left = sorted(p.name for p in (tmp_path / "batal").iterdir())
    assert "piagam-semua.pdf" not in left and len(left) < len(certs) and not any(n.startswith(".") for n in left)
    broken = [certs[0], dataclasses.replace(certs[1], token="X" * 5000), *certs[2:]]  # too long for any QR code
    with pytest.raises(Exception, match="(?i)data"):  # the failure of one process is raised; the others stop
        write_certificates(broken, CertificateSettings(), tmp_path / "gagal", workers=2)
    assert len(list((tmp_path / "gagal").iterdir())) < len(certs)
    assert write_certificates([], CertificateSettings(), tmp_path / "kosong") == []  # no page-less PDF
    assert not (tmp_path / "kosong").exists()


def test_what_a_token_cannot_carry_is_refused_with_a_clear_error_and_nothing_issued(office):
    pair = new_key_pair("kunci-kantor-batas")
    private = load_private(pair.private_pem, "kunci-kantor-batas")
    facts = {"number": "001/PP/2026", "unit": "U1", "unit_name": "Dinas", "institution": "Pemkot",
             "period": "PEKPPP 2026", "category": "A", "label": "Pelayanan Prima", "score": 4.5}
    for day in ("1999-12-31", "2179-06-07", "20260308", "8 Maret 2026", ""):
        with pytest.raises(WorkbenchError, match="Tanggal piagam"):
            sign(facts | {"date": day}, private)
    assert read(sign(facts | {"date": "2179-06-06"}, private))[0]["date"] == "2179-06-06"  # the last day it holds
    with pytest.raises(WorkbenchError, match="di luar 0-655"):
        sign(facts | {"date": "2026-03-08", "score": 700}, private)
    javanese = "ꦲ" * 250  # three bytes a letter in UTF-8
    longest = sign(facts | {"date": "2026-03-08", "unit_name": javanese, "institution": javanese,
                            "period": "ꦥ" * 120}, private)
    assert verify_token(longest, {pair.key_id: pair.public_pem}).valid  # the longest names the workbench takes
    with pytest.raises(WorkbenchError, match="terlalu panjang untuk token piagam"):
        sign(facts | {"date": "2026-03-08", "unit_name": javanese, "institution": javanese,
                      "period": "ꦥ" * 120, "number": "ꦥ" * 120 + "/001"}, private)
    settings = office.certificates.settings()
    with pytest.raises(WorkbenchError, match="Tanggal piagam 2200-01-01"):
        office.certificates.save_settings(dataclasses.replace(settings, issued_on="2200-01-01"))
    # issuing is all or nothing: one unit whose token would not fit stops the batch before anything is written
    office.registry.add_unit("PANJANG", javanese, javanese)
    score_all(office, "PANJANG", "Ani", lambda i: 5)
    office.observations.set_status(unit="PANJANG", evaluator="Ani", status="final")
    office.registry.rename_period(office.registry.period().name, "ꦥ" * 120)
    office.certificates.save_settings(dataclasses.replace(settings, numbering="{period}/{seq:03d}"))
    with pytest.raises(WorkbenchError, match="terlalu panjang untuk token piagam"):
        office.certificates.issue(PASS)
    assert office.certificates.issued() == []


def inside_frame(pdf):
    """Every character of the page inside the inner frame (34 points in) and at least 1 cm from the edges."""
    document = pdfium.PdfDocument(str(pdf))
    try:
        page = document[0]
        width, height = page.get_size()
        text = page.get_textpage()
        outside = []
        for index in range(text.count_chars()):
            left, bottom, right, top = text.get_charbox(index)
            if not text.get_text_range(index, 1).isspace() and not (
                    max(34, CM) <= left and max(34, CM) <= bottom and right <= width - max(34, CM)
                    and top <= height - max(34, CM)):
                outside.append(text.get_text_range(index, 1))
        return "".join(outside)
    finally:
        document.close()


def words_outside_frame(pdf):
    """The same check by another reader: the words `pdftotext -bbox` finds outside the frame (poppler)."""
    import re
    import shutil
    import subprocess

    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed: .ci/run installs it")
    html = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    width, height = (float(v) for v in re.search(r'<page width="([\d.]+)" height="([\d.]+)"', html).groups())
    inner = max(34, CM)
    return [word for x0, y0, x1, y1, word in re.findall(
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', html)
        if not (inner <= float(x0) and float(x1) <= width - inner and inner <= float(y0)
                and float(y1) <= height - inner)]


CM = 72 / 2.54
LONG_NAME = ("Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu " * 5)[:250].strip()
LONG_INSTITUTION = ("Pemerintah Kabupaten Bolaang Mongondow Timur Provinsi Sulawesi Utara " * 4)[:250].strip()
SIGNATORY = "Prof. Dr. Ir. Hendra Wijaya Kusumadinata Suryaningrat, S.H., M.Si., M.P.A., Ph.D."
OFFICE = ("Deputi Bidang Pelayanan Publik Kementerian Pendayagunaan Aparatur Negara dan Reformasi Birokrasi "
          "Republik Indonesia selaku Ketua Tim Evaluasi Nasional")  # three lines at the block's width


def test_the_longest_content_prints_inside_the_frame_and_verifies(office, tmp_path):
    """The longest unit and institution names the workbench takes, a signatory with every title and degree, a
    three-line office title: issued, written, verified from the page, every letter inside the frame and at
    least 1 cm from the edges (the token then rides in the QR code alone)."""
    office.registry.add_unit("PANJANG", LONG_NAME, LONG_INSTITUTION)
    score_all(office, "PANJANG", "Ani", lambda i: 5)
    office.observations.set_status(unit="PANJANG", evaluator="Ani", status="final")
    settings = office.certificates.settings()
    office.certificates.save_settings(dataclasses.replace(settings, signatory_name=SIGNATORY, signatory_title=OFFICE,
                                                          signatory_nip="197001012000031001",
                                                          place="Kota Administrasi Jakarta Selatan"))
    issued = issue_certificates(office, PASS, tmp_path)
    for cert in issued.certificates:
        pdf = tmp_path / safe_name(cert.number)
        assert office.certificates.verify(cert.token, page=read_page(pdf)).valid, cert.unit
        assert inside_frame(pdf) == "", cert.unit
        assert words_outside_frame(pdf) == [], cert.unit
    longest = next(c for c in issued.certificates if c.unit == "PANJANG")
    assert token_lines(longest.token) == [] and len(token_lines(issued.certificates[0].token)) <= TOKEN_LINES
    text = " ".join(PdfReader(tmp_path / safe_name(longest.number)).pages[0].extract_text().split())
    assert SIGNATORY.replace(" ", "") in text.replace(" ", "") and "Scan" not in text  # one language on the page


def test_what_would_not_fit_is_refused_before_anything_is_issued(office, tmp_path):
    settings = office.certificates.settings()
    office.certificates.save_settings(dataclasses.replace(settings, signatory_title=OFFICE * 3))
    with pytest.raises(WorkbenchError, match="tidak muat di halaman: nama dan jabatan penanda tangan terlalu panjang"):
        issue_certificates(office, PASS, tmp_path)
    assert office.certificates.issued() == [] and not list(tmp_path.glob("*.pdf"))
    office.certificates.save_settings(dataclasses.replace(settings, title="PIAGAM PENGHARGAAN " * 8))
    with pytest.raises(WorkbenchError, match="tidak muat di atas blok tanda tangan"):
        issue_certificates(office, PASS, tmp_path)
    assert office.certificates.issued() == []


def test_certificate_settings_from_the_command_line_audited_and_checked(office, capsys, tmp_path):
    db = office.path
    office.close()
    code, out, err = run(capsys, "certificates", "settings", db, "--set", f"signatory_name={SIGNATORY}",
                         "--set", "signatory_nip=197001012000031001", "--set", "show_score=ya", "--json")
    assert code == 0, err
    shown = json.loads(out)
    assert (shown["signatory_name"], shown["show_score"], shown["title"]) == (SIGNATORY, True, "PIAGAM PENGHARGAAN")
    code, _, err = run(capsys, "certificates", "settings", db, "--set", "signatory_title=" + OFFICE * 3)
    assert code == 1 and "Pengaturan piagam tidak disimpan: nama dan jabatan penanda tangan terlalu panjang" in err
    code, _, err = run(capsys, "certificates", "settings", db, "--set", "warna=merah")
    assert code == 1 and "Pengaturan warna tidak dikenal" in err
    code, out, _ = run(capsys, "certificates", db, "--out", tmp_path / "piagam")
    assert code == 0
    code, out, _ = run(capsys, "verify", tmp_path / "piagam" / "piagam-001-PP-2021.pdf", "--db", db)
    assert code == 0 and out.startswith("SAH")
    with Workbook(db) as wb:
        assert wb.settings is not None and wb.maintenance.check() == []
        changes = [e for e in wb.audit.entries() if e["entity"] == "certificate_settings"]
        assert changes and SIGNATORY in changes[-1]["new"]
