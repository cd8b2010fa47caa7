import hashlib
from importlib import resources

import pytest

from certificates.credentials import contexts
from certificates.credentials.contexts import SHIPPED, ContextError, document_loader


@pytest.mark.parametrize("url", sorted(SHIPPED))
def test_each_shipped_context_is_the_copy_bundled_by_openbadgeslib(url):
    filename, digest = SHIPPED[url]
    shipped = (contexts.CONTEXT_DIR / filename).read_bytes()
    bundled = resources.files("openbadgeslib.ob3.contexts").joinpath(filename).read_bytes()
    assert shipped == bundled
    assert hashlib.sha256(shipped).hexdigest() == digest


def test_the_w3c_base_context_has_the_digest_the_recommendation_publishes():
    _filename, digest = SHIPPED["https://www.w3.org/ns/credentials/v2"]
    assert digest == "59955ced6697d61e03f2b2556febe5308ab16842846f5b586d7f1f7adec92734"


def test_an_unknown_context_is_refused_never_fetched():
    with pytest.raises(ContextError, match="never fetched"):
        document_loader("https://example.org/context.json")


def test_a_context_file_that_changed_is_refused(tmp_path, monkeypatch):
    for filename, _digest in SHIPPED.values():
        (tmp_path / filename).write_bytes((contexts.CONTEXT_DIR / filename).read_bytes())
    (tmp_path / "credentials-v2.json").write_bytes(b'{"@context": {}}')
    monkeypatch.setattr(contexts, "CONTEXT_DIR", tmp_path)
    monkeypatch.setattr(contexts, "_documents", {})
    with pytest.raises(ContextError, match="SHA-256"):
        contexts.verify_all()
