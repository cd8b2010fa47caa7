"""The pre/post analysis for coordinators: the numerical core (no Django), the rows it reads
in the user's scope, the report, its charts, the de-identified exports and the screens."""
