"""Accounts: throttled sign-in, one-time codes to activate an account or set a new password,
sign-in events in the audit log, and the coordinators' unlocking."""
