"""Questionnaire instruments as data: their `cem-instrument/1` files (import, export), the
versioned scoring key, and their pages in the admin. The example instrument's file lives here
too (``ejemplo_tolerancia.json``)."""
