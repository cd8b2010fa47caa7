"""Certificates as a decision: who is eligible (through the completion rule), issuing,
closing a cohort and revoking, with the screens coordinators and activists use."""
