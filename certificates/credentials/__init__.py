"""Portable, signed credentials: Open Badges 3.0 with VC-JWT and Data Integrity proofs.

Modules: ``contexts`` (shipped JSON-LD contexts), ``keys`` (the organisation's Ed25519 keys),
``documents`` (did:web DID document and JWKS), ``jwt`` and ``data_integrity`` (the two proofs),
``status_list`` (Bitstring Status List revocation), ``credential`` (the OpenBadgeCredential of a
certificate) and ``services`` (issuing, re-issuing, revoking). Only ``models`` and ``services``
touch the database.
"""
