"""The download module: spreadsheet-safe CSV with a byte-order mark, attachment responses."""

import csv
import io

from lms.downloads import CSV_MIMETYPE, attachment_response, csv_document, spreadsheet_text


def test_text_that_a_spreadsheet_would_run_gets_an_apostrophe():
    for formula in ("=1+1", "+51 999", "-2", "@SUM(A1)", "\tx", "\rx"):
        assert spreadsheet_text(formula) == "'" + formula
    for text in ("María", "", "1990", "a=b"):
        assert spreadsheet_text(text) == text


def test_a_csv_document_starts_with_a_byte_order_mark_and_reads_back():
    data = csv_document(["name", "note"], [["Ñusta Quispe", 'dijo "sí", luego'], ["Ana", 3]])
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows == [["name", "note"], ["Ñusta Quispe", 'dijo "sí", luego'], ["Ana", "3"]]


def test_an_attachment_is_never_cached():
    response = attachment_response(b"a,b\r\n", filename="x.csv", content_type=CSV_MIMETYPE)
    assert response["Content-Disposition"] == 'attachment; filename="x.csv"'
    assert response["Content-Type"] == CSV_MIMETYPE
    assert response["Cache-Control"] == "no-store"
    assert response.content == b"a,b\r\n"


def test_an_open_file_is_streamed_as_an_attachment():
    response = attachment_response(
        io.BytesIO(b"%PDF-1.4"), filename="certificado-X.pdf", content_type="application/pdf"
    )
    assert response["Content-Disposition"] == 'attachment; filename="certificado-X.pdf"'
    assert response["Cache-Control"] == "no-store"
    assert b"".join(response.streaming_content) == b"%PDF-1.4"
