"""Tests of the certificate PDF renderer (no database: it renders from a plain dataclass)."""

import dataclasses
import io
import re
from datetime import date

import pytest
from pypdf import PdfReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFontFace

from certificates.documents.certificate import CertificateContent, CertificatePdfRenderer
from certificates.pdf.fonts import FONT_BOLD, FONT_ITALIC, FONT_REGULAR, clear_font_caches
from certificates.pdf.qr import qr_matrix, qr_path_operators, qr_runs

STANDARD_14 = {
    "Courier",
    "Courier-Bold",
    "Courier-BoldOblique",
    "Courier-Oblique",
    "Helvetica",
    "Helvetica-Bold",
    "Helvetica-BoldOblique",
    "Helvetica-Oblique",
    "Symbol",
    "Times-Roman",
    "Times-Bold",
    "Times-BoldItalic",
    "Times-Italic",
    "ZapfDingbats",
}

URL = "https://formacion.cem.gob.pe/certificados/verificar/7KQ2-9XMP-4TRA-WC3H/"


def make_content(**overrides) -> CertificateContent:
    values = {
        "full_name": "María Ñahui Suárez",
        "participant_code": "P-00042",
        "course_title": "¿Qué es el consentimiento? ¡Hablemos! Pingüino",
        "course_code": "CEM-ACV-101",
        "curriculum_version": "2026.1",
        "credit_hours": 24,
        "accrediting_institution": "Ministerio de la Mujer y Poblaciones Vulnerables",
        "issuer": "Centro Emergencia Mujer — Programa de formación",
        "site_name": "Lima Centro",
        "cem_name": "CEM Comisaría de Surquillo",
        "cohort_start": date(2026, 3, 2),
        "cohort_end": date(2026, 3, 27),
        "issued_on": date(2026, 3, 15),
        "signatories": (
            ("Rosa Quispe Huamán", "Coordinadora del programa"),
            ("José Peña Ibáñez", "Director del CEM"),
        ),
        "verification_code": "7KQ2-9XMP-4TRA-WC3H",
        "verification_url": URL,
        "language": "es",
        "status": "valid",
    }
    values.update(overrides)
    return CertificateContent(**values)


@pytest.fixture(scope="module")
def renderer():
    return CertificatePdfRenderer()


def read(data: bytes):
    reader = PdfReader(io.BytesIO(data))
    return reader, reader.pages[0]


def page_text(data: bytes) -> str:
    _, page = read(data)
    # Normalise whitespace: the extractor may split lines differently from the layout.
    return " ".join(page.extract_text().split())


def test_render_returns_filename_content_type_and_pdf(renderer):
    filename, content_type, data = renderer.render(make_content())

    assert filename == "certificado-7KQ2-9XMP-4TRA-WC3H.pdf"
    assert content_type == "application/pdf"
    assert data.startswith(b"%PDF-")
    assert data.rstrip().endswith(b"%%EOF")


def test_filename_only_keeps_safe_characters(renderer):
    content = make_content(verification_code="../7KQ2 9XMP/")

    assert renderer.filename(content) == "certificado-7KQ2-9XMP.pdf"


def test_single_a4_landscape_page(renderer):
    reader, page = read(renderer.render(make_content())[2])

    assert len(reader.pages) == 1
    box = page.mediabox
    assert float(box.width) == pytest.approx(841.89, abs=1)
    assert float(box.height) == pytest.approx(595.28, abs=1)


def test_text_is_extractable_with_accents(renderer):
    content = make_content()
    text = page_text(renderer.render(content)[2])

    assert "María Ñahui Suárez" in text
    assert "¿Qué es el consentimiento? ¡Hablemos! Pingüino" in text
    assert "24 horas académicas" in text
    assert "CEM-ACV-101" in text
    assert "2026.1" in text
    assert "7KQ2-9XMP-4TRA-WC3H" in text
    assert URL in text
    assert "del 2 de marzo de 2026 al 27 de marzo de 2026" in text
    assert "15 de marzo de 2026" in text
    assert "Lima Centro" in text
    assert "CEM Comisaría de Surquillo" in text
    assert "Ministerio de la Mujer y Poblaciones Vulnerables" in text
    assert "Centro Emergencia Mujer — Programa de formación" in text
    assert "Rosa Quispe Huamán" in text
    assert "Coordinadora del programa" in text
    assert "José Peña Ibáñez" in text
    assert "Código de verificación" in text


def title_lines(data: bytes) -> list[str]:
    _, page = read(data)
    lines = [line.strip() for line in page.extract_text().splitlines()]
    start = lines.index("por haber completado el curso") + 1
    end = next(i for i, line in enumerate(lines) if line.startswith("Código del curso"))
    return lines[start:end]


def test_long_course_title_wraps_to_two_lines(renderer):
    title = (
        "Atención integral de víctimas de violencia de género en los servicios del Estado peruano"
    )

    lines = title_lines(renderer.render(make_content(course_title=title))[2])

    assert len(lines) == 2
    assert " ".join(lines) == title


def test_very_long_course_title_is_cut_on_the_second_line(renderer):
    title = "Atención integral de víctimas de violencia de género en los servicios del Estado " * 3

    lines = title_lines(renderer.render(make_content(course_title=title))[2])

    assert len(lines) == 2
    assert lines[0].startswith("Atención integral de víctimas")
    assert lines[1].endswith("…")


def test_spanish_and_english_fixed_phrases(renderer):
    spanish = page_text(renderer.render(make_content(language="es"))[2])
    english = page_text(renderer.render(make_content(language="en"))[2])

    assert "Certificado de participación" in spanish
    assert "otorgado a" in spanish
    assert "Certificate" not in spanish
    assert "Certificate of completion" in english
    assert "awarded to" in english
    assert "24 credit hours" in english
    assert "from 2 March 2026 to 27 March 2026" in english
    assert "Verification code" in english
    assert "Certificado" not in english


def test_fonts_are_embedded_truetype_and_not_standard_14(renderer):
    _, page = read(renderer.render(make_content())[2])
    fonts = page["/Resources"]["/Font"]

    assert len(fonts) >= 3
    base_fonts = set()
    for ref in fonts.values():
        font = ref.get_object()
        assert font["/Subtype"] == "/TrueType"
        descriptor = font["/FontDescriptor"].get_object()
        font_file = descriptor["/FontFile2"].get_object()
        data = font_file.get_data()
        assert data[:4] == b"\x00\x01\x00\x00"  # a TrueType sfnt
        assert font_file["/Length1"] == len(data)
        assert "/ToUnicode" in font
        base_font = str(font["/BaseFont"]).lstrip("/")
        base_fonts.add(base_font.split("+", 1)[-1])
        assert base_font not in STANDARD_14
    assert base_fonts >= {"DejaVuSans", "DejaVuSans-Bold"}
    assert not (base_fonts & STANDARD_14)


def test_fonts_are_registered_once():
    CertificatePdfRenderer()
    CertificatePdfRenderer()
    for name in (FONT_REGULAR, FONT_BOLD, FONT_ITALIC):
        assert pdfmetrics.getFont(name).fontName == name
    assert FONT_REGULAR in pdfmetrics.getRegisteredFontNames()


def test_qr_is_drawn_as_one_filled_path(renderer):
    _, page = read(renderer.render(make_content())[2])
    stream = page.get_contents().get_data().decode("latin-1")
    expected = qr_path_operators(qr_runs(qr_matrix(URL)))

    assert expected + "\nf" in stream
    assert len(re.findall(r" re\n", stream)) >= len(qr_runs(qr_matrix(URL)))


def test_revoked_watermark_only_when_revoked(renderer):
    valid_es = page_text(renderer.render(make_content())[2])
    revoked_es = page_text(renderer.render(make_content(status="revoked"))[2])
    valid_en = page_text(renderer.render(make_content(language="en"))[2])
    revoked_en = page_text(renderer.render(make_content(language="en", status="revoked"))[2])

    assert "REVOCADO" in revoked_es
    assert "REVOCADO" not in valid_es
    assert "REVOKED" in revoked_en
    assert "REVOKED" not in valid_en
    # The rest of the certificate is still there, under the watermark.
    assert "María Ñahui Suárez" in revoked_es


def test_same_content_gives_identical_bytes(renderer):
    content = make_content()

    first = renderer.render(content)[2]
    second = renderer.render(content)[2]
    third = CertificatePdfRenderer().render(dataclasses.replace(content))[2]

    assert first == second == third


def test_different_content_gives_different_bytes(renderer):
    assert (
        renderer.render(make_content())[2]
        != renderer.render(make_content(full_name="Ana Pérez"))[2]
    )


def test_font_subset_cache_does_not_change_the_output(renderer, monkeypatch):
    # Letters outside SUBSET_SEED too, so the subsets differ from the usual ones.
    content = make_content(full_name="João Ñusta Çelik Ürpi", status="revoked")
    clear_font_caches()
    cold = renderer.render(content)[2]
    warm = renderer.render(content)[2]
    for name in (FONT_REGULAR, FONT_BOLD, FONT_ITALIC):
        # Plain reportlab, without the memo.
        monkeypatch.setattr(pdfmetrics.getFont(name).face, "__class__", TTFontFace)
    plain = renderer.render(content)[2]

    assert cold == warm == plain
    assert "João Ñusta Çelik Ürpi" in page_text(cold)


def test_content_is_frozen_and_validated():
    content = make_content(signatories=[["Rosa", "Coordinadora"]])

    assert content.signatories == (("Rosa", "Coordinadora"),)
    with pytest.raises(dataclasses.FrozenInstanceError):
        content.full_name = "Otra"  # type: ignore[misc]
    with pytest.raises(ValueError):
        make_content(language="qu")
    with pytest.raises(ValueError):
        make_content(status="expired")


def test_signatories_are_optional(renderer):
    text = page_text(renderer.render(make_content(signatories=()))[2])

    assert "María Ñahui Suárez" in text


def test_singular_hour(renderer):
    assert "1 hora académica" in page_text(renderer.render(make_content(credit_hours=1))[2])
    english = page_text(renderer.render(make_content(credit_hours=1, language="en"))[2])
    assert "1 credit hour" in english
    assert "1 credit hours" not in english


@pytest.mark.parametrize("name", ["Yolanda Qʼispe Ñusta", "Tsẽĩ Ãwẽ Müller Ĩaĩ"])
def test_names_with_latin_extended_letters_print_as_written(renderer, name):
    text = " ".join(page_text(renderer.render(make_content(full_name=name))[2]).split())
    assert name in text


def test_a_very_long_name_is_printed_whole_on_two_lines(renderer):
    name = "María de los Ángeles Yolanda Ñusta Qʼispe Huamaní de la Cruz Ccahuana Ttito"
    text = page_text(renderer.render(make_content(full_name=name))[2])
    assert all(word in text.split() for word in name.split())
    assert "…" not in text
