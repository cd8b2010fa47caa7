"""Every download of the platform goes through here: spreadsheet-safe CSV, safe file names, the
attachment response, streamed ZIP archives. Written once, as pretix keeps one CSV-safety point.

CSV files are UTF-8 with a byte-order mark, so that Excel shows the accents; free-text cells
pass through :func:`spreadsheet_text`, so that nothing a person typed runs as a formula.
"""

import csv
import io
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import BinaryIO

from django.http import FileResponse, HttpResponse, StreamingHttpResponse

from certificates.pdf.filenames import safe_filename

__all__ = [
    "CSV_MIMETYPE",
    "ZIP_MIMETYPE",
    "attachment_response",
    "csv_document",
    "safe_filename",
    "spreadsheet_text",
    "zip_response",
    "zip_stream",
]

CSV_MIMETYPE = "text/csv; charset=utf-8"
ZIP_MIMETYPE = "application/zip"
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


class _Chunks:
    """A write-only, unseekable file: what zipfile writes waits here until it is handed on."""

    def __init__(self) -> None:
        self._chunks: list[bytes] = []
        self._offset = 0

    def write(self, data: bytes) -> int:
        self._chunks.append(bytes(data))
        self._offset += len(data)
        return len(data)

    def tell(self) -> int:
        return self._offset

    def flush(self) -> None:
        pass

    def take(self) -> bytes:
        data = b"".join(self._chunks)
        self._chunks.clear()
        return data


def zip_stream(
    members: Iterable[tuple[str, Callable[[], BinaryIO]]], *, chunk_size: int = 64 * 1024
) -> Iterator[bytes]:
    """A ZIP archive piece by piece: ``members`` are ``(name, open)`` pairs, ``open()`` giving a
    binary file that is read and closed in turn. Memory stays near one chunk however large the
    archive: zipfile writes to an unseekable stream with data descriptors instead of seeking
    back. Members are stored, not deflated (PDFs are compressed already)."""
    sink = _Chunks()
    with zipfile.ZipFile(sink, mode="w", compression=zipfile.ZIP_STORED) as archive:
        for name, opener in members:
            with opener() as source, archive.open(name, mode="w") as target:
                while block := source.read(chunk_size):
                    target.write(block)
                    if data := sink.take():
                        yield data
            if data := sink.take():
                yield data
    yield sink.take()


def zip_response(chunks: Iterator[bytes], *, filename: str) -> StreamingHttpResponse:
    """A streamed ZIP download, never kept in a cache."""
    response = StreamingHttpResponse(chunks, content_type=ZIP_MIMETYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response
