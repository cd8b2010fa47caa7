"""The embedded TrueType fonts of every PDF, registered once per process, with memoised subsets.

The fonts are DejaVu Sans, shipped in ``font_files/`` with their licence: full Latin Extended
coverage, so names such as *Qʼispe* (U+02BC) or *Tsẽĩ* print as written. A character the font
lacks is never drawn as its missing-glyph box: :func:`printable` draws it decomposed (letter and
combining marks) when the font has those, else the bare letter, else "?"; measuring and
drawing both go through it, so text is measured as it is drawn.

Embedding TrueType fonts means that every ``save()`` builds a subset of each font
(``makeSubset``: ~0.45 ms per font) and zlib-compresses it (~0.55 ms per font). Both are pure
functions of the subset's code points, so they are memoised per process, and every document's
subsets start with the same seed of Spanish letters (:data:`SUBSET_SEED`) so that the subset,
hence the memo key, hardly ever changes from one document to the next. The PDF bytes are the
ones plain reportlab produces for the same subsets.
"""

from __future__ import annotations

import os
import threading
import unicodedata
from collections import OrderedDict

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfdoc import PDFArray, PDFName, PDFStream, PDFZCompress
from reportlab.pdfbase.ttfonts import TTFont, TTFontFace

FONT_REGULAR = "CertSans"
FONT_BOLD = "CertSans-Bold"
FONT_ITALIC = "CertSans-Italic"

FONT_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "font_files")
_FONT_FILES = {
    FONT_REGULAR: "DejaVuSans.ttf",
    FONT_BOLD: "DejaVuSans-Bold.ttf",
    FONT_ITALIC: "DejaVuSans-Oblique.ttf",
}
# The last resort for a character the font cannot draw at all. Not U+FFFD: DejaVu's glyph for it
# is the same diamond as its missing-glyph (.notdef) glyph.
REPLACEMENT = "?"

_fonts_lock = threading.Lock()
_fonts_registered = False


class _LruCache:
    """Small thread-safe LRU memo (bounded, so a long-lived worker cannot grow without limit)."""

    def __init__(self, maxsize: int = 256):
        self._maxsize = maxsize
        self._data: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def get_or_make(self, key, make):
        with self._lock:
            if key in self._data:
                self._data.move_to_end(key)
                return self._data[key]
        value = make()
        with self._lock:
            self._data[key] = value
            if len(self._data) > self._maxsize:
                self._data.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._data.clear()

    def __len__(self) -> int:
        return len(self._data)


# Keyed by (font file, tuple of code points in the subset).
_SUBSET_CACHE = _LruCache()
_COMPRESSED_SUBSET_CACHE = _LruCache()


def clear_font_caches() -> None:
    """Forget the memoised font subsets (used by tests to compare cold and warm renders)."""
    _SUBSET_CACHE.clear()
    _COMPRESSED_SUBSET_CACHE.clear()


class _CachingTTFontFace(TTFontFace):
    """A ``TTFontFace`` that memoises its subsets and their Flate-compressed bytes.

    reportlab rebuilds each embedded subset at ``save()`` (``makeSubset``: glyph table walk,
    new ``glyf``/``loca``/``hmtx``, checksums) and then zlib-compresses it, for every document.
    With ``asciiReadable`` subsets (ASCII plus the few accented letters used, in order of first
    use) the subset hardly varies between documents, so both steps are memoised per
    process. Both are pure functions of the subset, so the PDF bytes are unchanged.
    """

    def makeSubset(self, subset):
        key = (self.filename, tuple(subset))
        return _SUBSET_CACHE.get_or_make(key, lambda: TTFontFace.makeSubset(self, subset))

    def addSubsetObjects(self, doc, fontname, subset):
        ref = super().addSubsetObjects(doc, fontname, subset)
        if not doc.compression:
            return ref
        # Find the FontFile2 stream reportlab just registered and hand it pre-compressed bytes;
        # PDFStream.format() skips its filters when the dictionary already has /Filter.
        descriptor = doc.idToObject.get(getattr(ref, "name", None))
        file_ref = getattr(descriptor, "dict", {}).get("FontFile2")
        stream = doc.idToObject.get(getattr(file_ref, "name", None))
        if (
            isinstance(stream, PDFStream)
            and stream.filters == [PDFZCompress]
            and "Filter" not in stream.dictionary.dict
        ):
            raw = stream.content
            key = (self.filename, tuple(subset))
            stream.content = _COMPRESSED_SUBSET_CACHE.get_or_make(
                key, lambda: PDFZCompress.encode(raw)
            )
            stream.dictionary["Filter"] = PDFArray([PDFName(PDFZCompress.pdfname)])
        return ref


# Characters pre-assigned, in this order, in every document's font subsets (after ASCII, which
# reportlab's asciiReadable subsets always hold). Spanish names and titles then produce the same
# subset for every document, so the memo above hits instead of growing with each new
# combination of accented letters (costs ~1 KiB per font per PDF).
SUBSET_SEED = "áéíóúÁÉÍÓÚñÑüÜ¿¡—·…“”‘’«»"


def printable(text: str, coverage: frozenset[int]) -> str:
    """``text`` (NFC) with every character drawable from a font covering ``coverage``: one the
    font lacks becomes its decomposition, else its letter without marks, else "?"."""
    text = unicodedata.normalize("NFC", text)
    if all(ord(char) in coverage for char in text):
        return text
    out = []
    for char in text:
        if ord(char) in coverage or unicodedata.category(char) in ("Cc", "Zl", "Zp"):
            out.append(char)
            continue
        decomposed = unicodedata.normalize("NFD", char)
        bare = "".join(
            c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c)
        )
        for candidate in (decomposed, bare):
            if candidate and all(ord(c) in coverage for c in candidate):
                out.append(candidate)
                break
        else:
            out.append(REPLACEMENT)
    return "".join(out)


class _EmbeddedFont(TTFont):
    """``TTFont`` with a caching face, a fixed prefix for each document's subsets and a
    fallback for the characters it lacks (see :func:`printable`)."""

    def __init__(self, name: str, filename: str):
        super().__init__(name, filename)
        # Same face object, only the two memoised methods change (no extra state).
        self.face.__class__ = _CachingTTFontFace
        self.coverage = frozenset(self.face.charToGlyph)

    def splitString(self, text, doc, encoding="utf-8"):
        if doc not in self.state:
            super().splitString(SUBSET_SEED, doc)
        return super().splitString(printable(_text(text, encoding), self.coverage), doc, encoding)

    def stringWidth(self, text, size, encoding="utf8"):
        return super().stringWidth(printable(_text(text, encoding), self.coverage), size, encoding)


def _text(text, encoding: str) -> str:
    return text.decode(encoding) if isinstance(text, bytes) else text


def coverage(font_name: str) -> frozenset[int]:
    """The code points a registered font draws with a glyph of its own."""
    register_fonts()
    return pdfmetrics.getFont(font_name).coverage


def register_fonts() -> None:
    """Register the embedded TrueType fonts once per process (thread-safe)."""
    global _fonts_registered
    if _fonts_registered:
        return
    with _fonts_lock:
        if _fonts_registered:
            return
        registered = set(pdfmetrics.getRegisteredFontNames())
        for name, filename in _FONT_FILES.items():
            if name not in registered:
                pdfmetrics.registerFont(_EmbeddedFont(name, os.path.join(FONT_DIR, filename)))
        # Paragraph markup (<b>, <i>) in flowing text needs the family.
        addMapping(FONT_REGULAR, 0, 0, FONT_REGULAR)
        addMapping(FONT_REGULAR, 1, 0, FONT_BOLD)
        addMapping(FONT_REGULAR, 0, 1, FONT_ITALIC)
        addMapping(FONT_REGULAR, 1, 1, FONT_BOLD)
        _fonts_registered = True
