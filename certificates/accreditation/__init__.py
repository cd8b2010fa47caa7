"""The accreditation audit (read-only): every cohort's completion counts, one cohort's
evidence, and its acta de cumplimiento as CSV and PDF."""
