"""Sessions without connectivity: the trainer's device prepares, records and syncs attendance,
and paper sign-in sheets are typed in later through the same path."""
