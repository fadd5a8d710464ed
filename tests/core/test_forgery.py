"""Forging certificates: a page edited as one would with qpdf (here its Python binding, pikepdf), tokens
varied or signed for numbers never issued, and files that are not what they claim. Each is refused."""

import base64
import json
import re
from pathlib import Path

import pikepdf
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reports.certificate import write_certificates
from reports.pdf_page import read_page
from tests.helpers import run, score_all
from workbench import Workbook
from workbench.certificates import tokens
from workbench.certificates.verify import verify_token
from workbench.errors import WorkbenchError
from workbench.usecases.certificates import verify

PASS = "kunci-rahasia-kantor"


@pytest.fixture(scope="module")
def issued(tmp_path_factory):
    """A certificate for "DPMPTSP 10", category A- (Sangat Baik), its PDF, the public key and the database."""
    folder = tmp_path_factory.mktemp("piagam")
    with Workbook.create(folder / "kantor.sqlite", period="PEKPPP 2026") as wb:
        wb.registry.add_unit("DPMPTSP-10", "DPMPTSP 10", "Pemerintah Kota Contoh")
        score_all(wb, "DPMPTSP-10", "Ani", lambda i: 5 if i.aspect in ("I", "II") else 4)
        wb.observations.finalize(evaluator="Ani")
        wb.certificates.init_keys(PASS)
        cert = wb.certificates.issue(PASS)[0]
        pdf = write_certificates([cert], wb.certificates.settings(), folder)[0]
        (folder / "kunci.pem").write_bytes(wb.certificates.public_key())
    assert cert.category == "A-"
    return {"cert": cert, "pdf": pdf, "key": folder / "kunci.pem", "db": folder / "kantor.sqlite", "dir": folder}


def edited(issued, tmp_path, change, name="ubah.pdf", resources=None):
    """The certificate with its page's content stream changed by `change(bytes) -> bytes`, and its objects
    by `resources(pdf, page)`."""
    out = tmp_path / name
    with pikepdf.open(issued["pdf"]) as pdf:
        page = pdf.pages[0]
        page.contents_coalesce()
        if resources:
            resources(pdf, page)
        page.Contents.write(change(page.Contents.read_bytes()))
        pdf.save(out)
    return out


def check(issued, path):
    return verify(str(path), public_key=issued["key"])


def test_the_genuine_pdf_verifies_and_shows_what_the_token_says(issued, capsys):
    code, out, _ = run(capsys, "verify", issued["pdf"], "--public-key", issued["key"])
    assert code == 0 and out.startswith("SAH: piagam 001/PP/2026 untuk DPMPTSP 10 (DPMPTSP-10)")
    for line in ("Unit: DPMPTSP 10", "Kode unit: DPMPTSP-10", "Kategori: SANGAT BAIK (A-)", "Tanggal: "):
        assert f"  {line}" in out


def test_a_pdf_saved_again_unchanged_still_verifies(issued, tmp_path):
    assert check(issued, edited(issued, tmp_path, lambda data: data)).valid


def name_font(data: bytes) -> bytes:
    return re.search(rb"(/F\d+\+\d+) 24 Tf", data).group(1)


@pytest.mark.parametrize(("change", "named"), [
    pytest.param(lambda d: d.replace(rb"SANGAT BAIK \(A-\)", rb"PELAYANAN PRIMA \(A\)"),
                 "category tercetak \u201c(A)\u201d, token menyatakan \u201cSANGAT BAIK (A-)\u201d", id="category"),
    pytest.param(lambda d: d.replace(b"(DPMPTSP 10) Tj", b"(DPMPTSP 100) Tj"),
                 "unit_name tercetak \u201cDPMPTSP 100\u201d, token menyatakan \u201cDPMPTSP 10\u201d",
                 id="name-suffix"),
    pytest.param(lambda d: d.replace(b"(DPMPTSP 10) Tj", b"3 Tr (DPMPTSP 10) Tj 0 Tr") + b"\nBT 1 0 0 1 330 370 Tm "
                 + name_font(d) + b" 24 Tf (DPMPTSP 99) Tj ET", "teks tersembunyi di halaman (mode gambar 3): "
                 "\u201cDPMPTSP 10\u201d", id="hidden-original-name"),
    pytest.param(lambda d: d.replace(b"(DPMPTSP 10) Tj", b"1 1 1 rg (DPMPTSP 10) Tj"), "(putih)", id="white-text"),
    pytest.param(lambda d: d.replace(b"Tm " + name_font(d) + b" 24 Tf", b"Tm " + name_font(d) + b" 0.5 Tf"),
                 "terlalu kecil", id="tiny-text"),
    pytest.param(lambda d: re.sub(rb"1 0 0 1 [\d.]+ [\d.]+ Tm (/F\d\+\d 24 Tf)", rb"1 0 0 1 -900 399 Tm \1", d),
                 "(di luar halaman)", id="off-the-page"),
    pytest.param(lambda d: d + b"\nq 1 1 1 rg 300 398 250 20 re f Q", "(tertutup): \u201cDPMPTSP 10\u201d",
                 id="covered-by-a-white-box"),
    pytest.param(lambda d: d + b"\nq 0 0 100 100 re W n BT 1 0 0 1 334.9 399.3 Tm " + name_font(d)
                 + b" 24 Tf (DPMPTSP 10) Tj ET Q", "(dipotong)", id="clipped-copy"),
    pytest.param(lambda d: d + b"\nBT 1 0 0 1 338 402 Tm " + name_font(d) + b" 24 Tf (DPMPTSP 1O) Tj ET",
                 "teks ditumpuk di atas teks lain", id="drawn-over"),
    pytest.param(lambda d: d.replace(b"(Nomor: 001/PP/2026) Tj", b"(Nomor: 001/PP/2025) Tj"),
                 "number tercetak \u201cNomor: 001/PP/2025\u201d", id="number"),
    pytest.param(lambda d: d.replace(b"PEKPPP 2026) Tj", b"PEKPPP 2025) Tj"), "unit tercetak", id="period"),
])
def test_an_edited_page_is_refused_naming_what_changed(issued, tmp_path, change, named):
    verdict = check(issued, edited(issued, tmp_path, change))
    assert not verdict.valid and verdict.message.startswith("TIDAK SAH: halaman PDF tidak sesuai token")
    assert named in verdict.message, verdict.message


NAME = re.compile(rb"BT 1 0 0 1 ([\d.]+) ([\d.]+) Tm (/F\d\+\d) 24 Tf [\d.]+ TL \(DPMPTSP 10\) Tj T\* ET")


def lying_font(pdf, page):
    """A copy of the bold font whose character map says "DPMPTSP 10" for the codes of "DPMPTSP 99"."""
    font = next(name for name, f in page.Resources.Font.items() if "Bold" in str(f.get("/BaseFont", "")))
    twin = pikepdf.Dictionary({k: v for k, v in page.Resources.Font[font].items()})
    mapping = {ord(c): c for c in "DPMPTS "} | {ord("9"): "1"}
    body = "".join(f"<{c:02X}> <{ord(t):04X}>\n" for c, t in sorted(mapping.items()))
    mapping_0 = "<30> <0030>\n"  # "9" reads as "1", and the second "9" must read as "0": draw "91" -> "10"
    twin.ToUnicode = pdf.make_stream(
        ("/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /X def /CMapType 2 def "
         "1 begincodespacerange <00> <FF> endcodespacerange "
         f"{len(mapping) + 1} beginbfchar\n{body}{mapping_0}endbfchar endcmap CMapName currentdict /CMap "
         "defineresource pop end end").encode())
    page.Resources.Font["/FX"] = pdf.make_indirect(twin)


def glyph_rectangles(text: str, x: float, y: float, height: float) -> bytes:
    """Text drawn as filled squares, as a forger who paints letters with a vector path would."""
    from PIL import Image, ImageDraw, ImageFont
    from reportlab import __file__ as reportlab_file

    font = ImageFont.truetype(str(Path(reportlab_file).parent / "fonts" / "VeraBd.ttf"), 40)
    image = Image.new("L", (font.getbbox(text)[2] + 2, 48), 255)
    ImageDraw.Draw(image).text((0, 0), text, font=font, fill=0)
    step = height / image.height
    squares = [b"%.3f %.3f %.3f %.3f re" % (x + i * step, y + (image.height - 1 - j) * step, step, step)
               for j in range(image.height) for i in range(image.width) if image.getpixel((i, j)) < 128]
    return b"q .09 .18 .36 rg " + b" ".join(squares) + b" f Q"


def hide_in_layer(pdf, page):
    layer = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.OCG, Name=pikepdf.String("Catatan")))
    pdf.Root.OCProperties = pikepdf.Dictionary(OCGs=[layer], D=pikepdf.Dictionary(ON=[], OFF=[layer]))
    page.Resources.Properties = pikepdf.Dictionary(oc1=layer)


def soft_mask(pdf, page):
    black = pdf.make_stream(b"0 0 0 rg 0 0 900 700 re f")
    black.Type, black.Subtype, black.BBox = pikepdf.Name.XObject, pikepdf.Name.Form, [0, 0, 900, 700]
    black.Group = pikepdf.Dictionary(S=pikepdf.Name.Transparency, CS=pikepdf.Name.DeviceRGB)
    page.Resources.ExtGState = pikepdf.Dictionary(GSm=pdf.make_indirect(pikepdf.Dictionary(
        Type=pikepdf.Name.ExtGState, SMask=pikepdf.Dictionary(Type=pikepdf.Name.Mask, S=pikepdf.Name.Luminosity,
                                                              G=black))))


def moved(d: bytes, y: bytes = b"250") -> bytes:
    """The name's text object, moved to blank space below the wording."""
    found = NAME.search(d)
    return found.group(0).replace(found.group(2), y)


@pytest.mark.parametrize(("change", "resources", "named"), [
    pytest.param(lambda d: NAME.sub(lambda m: b"/Span <</ActualText (DPMPTSP 10)>> BDC BT 1 0 0 1 " + m.group(1)
                                    + b" " + m.group(2) + b" Tm " + m.group(3) + b" 24 Tf (DPMPTSP 99) Tj ET EMC", d),
                 None, "isi bertanda (marked content)", id="actual-text"),
    pytest.param(lambda d: NAME.sub(lambda m: m.group(0).replace(m.group(3), b"/FX").replace(b"(DPMPTSP 10)",
                                                                                             b"(DPMPTSP 99)"), d),
                 lying_font, "tergambar lain dari yang terbaca", id="lying-character-map"),
    pytest.param(lambda d: NAME.sub(b"", d) + b"\n/OC /oc1 BDC " + moved(d) + b" EMC\n"
                 + glyph_rectangles("DPMPTSP 99", 335, 399, 24), hide_in_layer, "isi bertanda", id="hidden-layer"),
    pytest.param(lambda d: NAME.sub(b"", d) + b"\nq /GSm gs " + moved(d) + b" Q\n"
                 + glyph_rectangles("DPMPTSP 99", 335, 399, 24), soft_mask, "tergambar lain dari yang terbaca",
                 id="soft-mask"),
    pytest.param(lambda d: d.replace(b" 7 1 re", b" 3 1 re", 1), None, "kode QR di halaman tidak sesuai token",
                 id="qr-changed"),
])
def test_a_page_drawn_otherwise_than_its_text_reads_is_refused(issued, tmp_path, change, resources, named):
    """Text and drawing made to differ: /ActualText, a font whose character map lies, the genuine text in a
    layer switched off or under a soft mask with other letters painted as shapes, a QR code of another token."""
    verdict = check(issued, edited(issued, tmp_path, change, resources=resources))
    assert not verdict.valid and named in verdict.message, verdict.message


def test_an_unreadable_metadata_field_does_not_crash_verify(issued, tmp_path):
    with pikepdf.open(issued["pdf"]) as pdf:
        pdf.docinfo["/Subject"] = pikepdf.String(b"\xfe\xff\xd8\x00")  # a lone UTF-16 surrogate
        pdf.save(tmp_path / "subjek.pdf")
    assert check(issued, tmp_path / "subjek.pdf").valid  # the printed token and the QR code carry it


def test_annotations_and_further_pages_are_refused(issued, tmp_path):
    out = tmp_path / "anotasi.pdf"
    with pikepdf.open(issued["pdf"]) as pdf:
        pdf.pages[0].Annots = pdf.make_indirect(pikepdf.Array([pdf.make_indirect(pikepdf.Dictionary(
            Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.FreeText, Rect=[300, 395, 550, 425],
            Contents=pikepdf.String("PELAYANAN PRIMA (A)"), DA=pikepdf.String("/Helv 24 Tf 0 g")))]))
        pdf.save(out)
    assert "PDF berisi anotasi" in check(issued, out).message
    with pikepdf.open(issued["pdf"]) as pdf:
        pdf.pages.append(pdf.pages[0])
        pdf.save(tmp_path / "dua.pdf")
    assert "PDF berisi 2 halaman" in check(issued, tmp_path / "dua.pdf").message


def test_a_token_swapped_in_the_metadata_must_match_the_printed_one(issued, tmp_path):
    other = tokens.sign(tokens.read(issued["cert"].token)[0], tokens.load_private(
        tokens.new_key_pair("kunci-lain-sekali").private_pem, "kunci-lain-sekali"))
    with pikepdf.open(issued["pdf"]) as pdf:
        pdf.docinfo["/Subject"] = other
        pdf.save(tmp_path / "tukar.pdf")
    assert not check(issued, tmp_path / "tukar.pdf").valid


# --- tokens -------------------------------------------------------------------------------------------


def public(issued):
    pem = issued["key"].read_bytes()
    return {tokens.key_id(tokens.load_public(pem)): pem}


OLD = Path(__file__).resolve().parent.parent / "data" / "pp1"  # a certificate printed by the PP1 format


def old_token() -> tuple[str, dict[str, bytes]]:
    pem = (OLD / "kunci.pem").read_bytes()
    return (OLD / "token.txt").read_text().strip(), {tokens.key_id(tokens.load_public(pem)): pem}


def legacy_variants(token):
    """Variants of a PP1 token that a lenient base64 decoder reads as the same bytes."""
    head, payload, sig = token.split(".")
    same_bytes = [sig[:-1] + c for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
                  if c != sig[-1] and base64.urlsafe_b64decode(sig[:-1] + c + "==") ==
                  base64.urlsafe_b64decode(sig + "==")]
    assert same_bytes  # 86 characters carry 516 bits for 512: the last has unused bits
    return ([f"{head}.{payload}.{s}" for s in same_bytes]
            + [f"{head}.{payload}.{sig}==", f"{head}.{payload}!!!!.{sig}",
               f"{head}.{payload}.{sig[:40]}====" + sig[40:],
               f"{head}.{payload}.{sig}====", f"{head}.{payload[:10]}\n{payload[10:]}.{sig}",
               f"pp1.{payload}.{sig}"])


def compact_variants(token):
    """Variants of a PP2 token that a lenient base32 decoder reads as the same bytes."""
    body = token[4:]
    data = base64.b32decode(body + "=" * (-len(body) % 8))
    same_bytes = [body[:-1] + c for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567" if c != body[-1]
                  and base64.b32decode(body[:-1] + c + "=" * (-len(body) % 8)) == data]
    assert same_bytes or len(body) * 5 % 8 == 0  # the last letter has unused bits unless the bytes fill it
    return ([f"PP2:{b}" for b in same_bytes]
            + [f"PP2:{body}{'=' * (-len(body) % 8)}", f"PP2:{body.lower()}", f"pp2:{body}", f"PP2:{body}====",
               f"PP2:{body[:40]}\n{body[40:]}", f"PP2:{body[:40]} {body[40:]}", f"PP2.{body}", f"PP2:{body}A",
               f"PP2:{body[:-1]}"])


def test_varied_spellings_of_a_genuine_token_are_refused(issued):
    token = issued["cert"].token
    legacy, legacy_key = old_token()
    assert token.startswith("PP2:") and verify_token(token, public(issued)).valid
    assert verify_token(legacy, legacy_key).valid
    for variant, keys in [*((v, public(issued)) for v in compact_variants(token)),
                          *((v, legacy_key) for v in legacy_variants(legacy))]:
        verdict = verify_token(variant, keys)
        assert not verdict.valid and verdict.message == "TIDAK SAH: bukan token piagam", variant


def office_key(issued):
    with Workbook(issued["db"]) as wb:
        return tokens.load_private(str(wb.store.value("SELECT private_pem FROM signing_keys")).encode(), PASS)


def signed_with_the_office_key(issued, payload: bytes) -> str:
    """A PP1 token of any payload, signed by the office's key."""
    body = base64.urlsafe_b64encode(payload).rstrip(b"=").decode()
    signature = base64.urlsafe_b64encode(office_key(issued).sign(f"PP1.{body}".encode())).rstrip(b"=").decode()
    return f"PP1.{body}.{signature}"


def compact_signed_with_the_office_key(issued, body: bytes) -> str:
    """A PP2 token of any bytes, signed by the office's key."""
    return "PP2:" + base64.b32encode(body + office_key(issued).sign(b"PP2:" + body)).decode().rstrip("=")


def test_signed_payloads_that_the_workbench_never_writes_are_refused(issued):
    claims = {short: tokens.read(issued["cert"].token)[0][name] for short, name in tokens.CLAIMS.items()}
    for payload in (json.dumps(claims).encode(),  # spaces: not the canonical form
                    json.dumps(claims | {"x": 1}, separators=(",", ":"), sort_keys=True).encode(),
                    json.dumps(claims | {"s": [[[1]]]}, separators=(",", ":"), sort_keys=True).encode(),
                    b"[" * 2000 + b"]" * 2000):
        token = signed_with_the_office_key(issued, payload)
        signed, signature = token.rsplit(".", 1)
        assert tokens.signature_valid(tokens.load_public(issued["key"].read_bytes()), signed.encode(),
                                      base64.urlsafe_b64decode(signature + "=="))
        assert verify_token(token, public(issued)).message == "TIDAK SAH: bukan token piagam"
    genuine = tokens.read(issued["cert"].token)[1][4:]  # the signed bytes after "PP2:"
    assert verify_token(compact_signed_with_the_office_key(issued, genuine), public(issued)).valid
    texts = genuine[13:]  # flags, key id, date and score come first
    for body in (genuine + b"\x00",  # a byte too many
                 b"\x02" + genuine[1:],  # unknown flags
                 b"\x00" + genuine[1:],  # says "no score" while the score's bytes follow
                 genuine[:13] + b"\x8b\x00" + texts[1:],  # a length spelled in two bytes
                 genuine[:13] + bytes([texts[0] + 1]) + texts[1:],  # a text running into the next
                 genuine[:13] + bytes([texts[0]]) + b"\xff" + texts[2:],  # not UTF-8
                 genuine[:13]):  # no texts at all
        verdict = verify_token(compact_signed_with_the_office_key(issued, body), public(issued))
        assert verdict.message == "TIDAK SAH: bukan token piagam", body


def test_with_the_register_a_number_never_issued_or_a_changed_payload_is_refused(issued, capsys):
    claims = tokens.read(issued["cert"].token)[0]
    with Workbook(issued["db"]) as wb:
        private = tokens.load_private(str(wb.store.value("SELECT private_pem FROM signing_keys")).encode(), PASS)
    never = tokens.sign(claims | {"number": "999/PP/2026", "date": "2099-12-31"}, private)
    assert verify_token(never, public(issued)).valid  # the key signed it: without the register it is genuine
    code, out, _ = run(capsys, "verify", never, "--db", issued["db"])
    assert code == 1 and out.startswith("TIDAK SAH: nomor 999/PP/2026 tidak ada dalam register piagam")
    higher = tokens.sign(claims | {"score": 4.99}, private)
    code, out, _ = run(capsys, "verify", higher, "--db", issued["db"])
    assert code == 1 and out.startswith("TIDAK SAH: piagam 001/PP/2026 dalam register berisi lain")


# --- inputs that used to crash ----------------------------------------------------------------------


def test_bad_keys_and_files_give_one_line_and_exit_1(issued, tmp_path, capsys):
    rsa_pem = rsa.generate_private_key(public_exponent=65537, key_size=2048).public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    (tmp_path / "rsa.pem").write_bytes(rsa_pem)
    (tmp_path / "teks.pem").write_text("bukan kunci")
    (tmp_path / "kosong.pdf").write_bytes(b"")
    (tmp_path / "bukan.pdf").write_text("ini bukan PDF")
    for target, key, expected in (
            (issued["pdf"], tmp_path / "tidak-ada.pem", "tidak-ada.pem: berkas tidak ditemukan"),
            (issued["pdf"], tmp_path / "teks.pem", "teks.pem: bukan kunci publik Ed25519"),
            (issued["pdf"], tmp_path / "rsa.pem", "rsa.pem: bukan kunci publik Ed25519"),
            (tmp_path / "kosong.pdf", issued["key"], "kosong.pdf: bukan berkas PDF yang dapat dibaca"),
            (tmp_path / "bukan.pdf", issued["key"], "bukan.pdf: bukan berkas PDF yang dapat dibaca"),
            ("PP1." + "W3t" * 900 + "." + "A" * 86, issued["key"], "TIDAK SAH: bukan token piagam")):
        code, out, err = run(capsys, "verify", target, "--public-key", key)
        assert code == 1 and expected in out + err and "Traceback" not in out + err
        assert len((out + err).strip().splitlines()) == 1


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.one_of(st.binary(max_size=4000), st.text(max_size=3000).map(str.encode)))
def test_random_bytes_as_a_pdf_or_a_token_are_refused_cleanly(issued, data):
    path = issued["dir"] / "acak.pdf"
    path.write_bytes(data)
    try:
        verdict = check(issued, path)
    except WorkbenchError:
        pass
    else:
        assert not verdict.valid
    text = data.decode("utf-8", errors="replace")
    assert not verify_token(text, public(issued)).valid


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.integers(0, 10_000), st.binary(min_size=1, max_size=64))
def test_a_genuine_pdf_with_random_bytes_overwritten_never_crashes(issued, at, junk):
    data = bytearray(issued["pdf"].read_bytes())
    at %= len(data)
    data[at:at + len(junk)] = junk
    path = issued["dir"] / "rusak.pdf"
    path.write_bytes(bytes(data))
    try:
        verdict = check(issued, path)
    except WorkbenchError:
        return
    if verdict.valid:  # only bytes that do not change what is printed or signed may leave it valid
        page = read_page(path)
        assert page.token == issued["cert"].token
