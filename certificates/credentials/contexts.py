"""The JSON-LD contexts credentials are canonicalised against, shipped with the platform.

Never touches the network: :func:`document_loader` serves only the files in ``contexts/``
(see its ``SOURCES.md``) and refuses any other URL, so what a signature covers cannot change with
what a remote host serves. Each file's SHA-256 is checked once per process before first use.
"""

from __future__ import annotations

import hashlib
import json
import threading
from pathlib import Path
from typing import Any

CONTEXT_DIR = Path(__file__).resolve().parent / "contexts"

CREDENTIALS_V2 = "https://www.w3.org/ns/credentials/v2"
OPEN_BADGES_V3 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
OPEN_BADGES_V3_EXTENSIONS = "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json"
MULTIKEY_V1 = "https://w3id.org/security/multikey/v1"
DID_V1 = "https://www.w3.org/ns/did/v1"

# URL -> (file, SHA-256 of the file's bytes).
SHIPPED: dict[str, tuple[str, str]] = {
    CREDENTIALS_V2: (
        "credentials-v2.json",
        "59955ced6697d61e03f2b2556febe5308ab16842846f5b586d7f1f7adec92734",
    ),
    OPEN_BADGES_V3: (
        "ob-v3p0-context-3.0.3.json",
        "3d34f4d4ef1bce691106e63798beb5e7b862ba841423f5ee1e53ab7ddf3bca84",
    ),
    # Defines 1EdTechJsonSchemaValidator2019, the credentialSchema type, which the Open Badges
    # context leaves undefined (it would canonicalise as a relative IRI).
    OPEN_BADGES_V3_EXTENSIONS: (
        "ob-v3p0-extensions.json",
        "87c06c81bc2317663bf288d740d94fddd2818c4342b186270ff6371dfaa63f93",
    ),
    MULTIKEY_V1: (
        "security-multikey-v1.json",
        "ba2c182de2d92f7e47184bcca8fcf0beaee6d3986c527bf664c195bbc7c58597",
    ),
}


class ContextError(Exception):
    """A context is missing from the shipped set, or its file does not match its hash."""


_lock = threading.Lock()
_documents: dict[str, dict[str, Any]] = {}


def _load(url: str) -> dict[str, Any]:
    try:
        filename, expected = SHIPPED[url]
    except KeyError:
        raise ContextError(
            f"JSON-LD context {url!r} is not shipped with the platform; remote contexts are "
            "never fetched"
        ) from None
    data = (CONTEXT_DIR / filename).read_bytes()
    actual = hashlib.sha256(data).hexdigest()
    if actual != expected:
        raise ContextError(f"{filename} has SHA-256 {actual}, expected {expected}")
    return json.loads(data)


def context_document(url: str) -> dict[str, Any]:
    """The parsed context for ``url``, read and hash-checked once per process."""
    document = _documents.get(url)
    if document is None:
        with _lock:
            document = _documents.get(url)
            if document is None:
                document = _documents[url] = _load(url)
    return document


def document_loader(url: str, options: dict | None = None) -> dict[str, Any]:
    """A pyld document loader that only knows the shipped contexts."""
    return {
        "contentType": "application/ld+json",
        "contextUrl": None,
        "documentUrl": url,
        "document": context_document(url),
    }


def verify_all() -> None:
    """Read and hash-check every shipped context (raises :class:`ContextError`)."""
    for url in SHIPPED:
        context_document(url)
