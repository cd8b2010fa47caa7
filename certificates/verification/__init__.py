"""Public verification: lookup by code with a rate limit, the Open Badges credential and the
list of revoked credentials."""
