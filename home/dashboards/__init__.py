"""What each role's dashboard shows, one module per role, read in a fixed number of queries
whatever the data: every section loads its rows with a few set-wide queries (cohorts,
enrollments, deliveries, attendance records, responses, certificates) and combines them in
Python, so the count does not grow with cohorts, activists or sessions. :mod:`.page` puts the
sections of a user's roles together."""
