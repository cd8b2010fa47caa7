"""Every download of the platform goes through here: spreadsheet-safe CSV, safe file names, the
attachment response. Written once, as pretix keeps one CSV-safety point.

CSV files are UTF-8 with a byte-order mark, so that Excel shows the accents; free-text cells
pass through :func:`spreadsheet_text`, so that nothing a person typed runs as a formula.
"""

import csv
import io
from collections.abc import Iterable, Sequence

from django.http import FileResponse, HttpResponse

from certificates.pdf.filenames import safe_filename

__all__ = [
    "CSV_MIMETYPE",
    "attachment_response",
    "csv_document",
    "safe_filename",
    "spreadsheet_text",
]

CSV_MIMETYPE = "text/csv; charset=utf-8"
# Characters that make spreadsheet programs read a text cell as a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_text(value: str) -> str:
    """A text cell that a spreadsheet would run as a formula gets a leading apostrophe."""
    return f"'{value}" if value and value.startswith(FORMULA_START) else value


def csv_document(header: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    """The CSV file as bytes: UTF-8 with a byte-order mark, one header row, then `rows`."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")


def attachment_response(content, *, filename: str, content_type: str) -> HttpResponse:
    """`content` (bytes, or an open file) downloaded as `filename`, never kept in a cache:
    downloads hold personal data."""
    if isinstance(content, bytes | str):
        response = HttpResponse(content, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    else:
        response = FileResponse(
            content, as_attachment=True, filename=filename, content_type=content_type
        )
    response["Cache-Control"] = "no-store"
    return response
