"""The certificate as a document: a PDF rendered from the frozen row, and the e-mail that
tells its holder. Rendering itself is Django-free (:mod:`.certificate`)."""
