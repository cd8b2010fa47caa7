"""Demo accounts shared by seed_demo, demo_logins and the README."""

DEMO_PASSWORD = "demo12345"

DEMO_LOGINS = [
    ("admin", "administrator (Wagtail admin)"),
]
