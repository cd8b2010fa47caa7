"""Views of the assessments app."""
