"""What every PDF renderer of the platform shares: the house colours, the fonts, the contract.

A renderer turns frozen, plain content into ``(filename, content_type, bytes)``::

    filename, content_type, data = SomePdfRenderer().render(content)

Subclasses name the file (:meth:`PdfRenderer.filename`) and draw the document
(:meth:`PdfRenderer.render_bytes`); output is deterministic for the same content.
"""

from __future__ import annotations

from reportlab.lib.colors import HexColor

from certificates.pdf.fonts import register_fonts

CONTENT_TYPE = "application/pdf"

# The house colours.
INK = HexColor("#222222")
ACCENT = HexColor("#5B1F5E")
MUTED = HexColor("#555555")
RULE = HexColor("#8E6C8F")


class PdfRenderer:
    """Base of the document renderers: fonts are registered once, before the first page."""

    content_type = CONTENT_TYPE

    def __init__(self) -> None:
        register_fonts()

    def filename(self, content) -> str:
        raise NotImplementedError

    def render_bytes(self, content) -> bytes:
        raise NotImplementedError

    def render(self, content) -> tuple[str, str, bytes]:
        """Return ``(filename, content_type, pdf_bytes)``."""
        return self.filename(content), self.content_type, self.render_bytes(content)
