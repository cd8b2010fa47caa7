"""Writes of curriculum validation, one module per kind: ``rounds`` (a round and what it
validates), ``participants`` (who takes part, their consent), ``feedback`` (individual answers,
online or from paper), ``workshops`` (focus-group records) and ``findings`` (findings, decisions
and the revisions that answer them). Keyword-only, validated whole, atomic, audit-logged."""
