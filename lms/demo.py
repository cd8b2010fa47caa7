"""Demo accounts shared by seed_demo, demo_logins and the README."""

DEMO_PASSWORD = "demo12345"

# (username, description, role, site slug or None, first name, last name)
DEMO_STAFF = [
    ("coordinadora", "national coordinator (all sites)", "coordinador", None, "Rosa", "Huamán"),
    (
        "coordinadora-arequipa",
        "site coordinator, Arequipa",
        "coordinador",
        "arequipa",
        "Carmen",
        "Valdivia",
    ),
    (
        "facilitador",
        "trainer of the Villa María del Triunfo cohort",
        "facilitador",
        "villa-maria-del-triunfo",
        "Jorge",
        "Quispe",
    ),
    (
        "facilitadora-iquitos",
        "trainer of the Iquitos cohort",
        "facilitador",
        "iquitos",
        "Lucía",
        "Panduro",
    ),
    ("acreditadora", "accreditor (read-only, all sites)", "acreditador", None, "Elena", "Salazar"),
]

DEMO_LOGINS = [
    ("admin", "administrator (Wagtail admin, everything)"),
    *[(username, description) for username, description, *_ in DEMO_STAFF],
    ("activista", "activist enrolled in Villa María del Triunfo"),
    ("activista-iquitos", "activist enrolled in Iquitos"),
]
