"""The districts shipped with the platform (INEI ubigeo codes, see data/SOURCES.md), loaded by a
migration and by ``manage.py load_districts``: adds and renames, never deletes."""

import csv
from pathlib import Path

DISTRICTS_FILE = Path(__file__).resolve().parent / "data" / "ubigeo_distritos.csv"
COLUMNS = ("ubigeo", "distrito", "provincia", "departamento")
# The programme site of each department (the first two digits of the ubigeo).
SITE_OF_DEPARTMENT = {
    "15": "villa-maria-del-triunfo",
    "07": "villa-maria-del-triunfo",
    "04": "arequipa",
    "16": "iquitos",
}


def district_rows(path: Path = DISTRICTS_FILE) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = set(COLUMNS) - set(reader.fieldnames or ())
        if missing:
            raise ValueError(f"{path.name}: missing columns {', '.join(sorted(missing))}")
        return [row for row in reader if row["ubigeo"].strip()]


def districts_load(district_model, site_model, rows: list[dict[str, str]]) -> int:
    """Create or rename the districts of `rows` whose department has a programme site (models
    passed in, so that a migration can call it with its historical models). Returns how many
    rows were created or changed."""
    sites = {s.slug: s for s in site_model.objects.all()}
    existing = {d.ubigeo: d for d in district_model.objects.all()}
    new, changed = [], []
    for row in rows:
        code = row["ubigeo"].strip()
        site = sites.get(SITE_OF_DEPARTMENT.get(code[:2], ""))
        values = {
            "name": row["distrito"].strip(),
            "province": row["provincia"].strip(),
            "department": row["departamento"].strip(),
        }
        district = existing.get(code)
        if district is None:
            if site is not None:
                new.append(district_model(ubigeo=code, site=site, **values))
        elif any(getattr(district, key) != value for key, value in values.items()):
            for key, value in values.items():
                setattr(district, key, value)
            changed.append(district)
    district_model.objects.bulk_create(new)
    district_model.objects.bulk_update(changed, ["name", "province", "department"])
    return len(new) + len(changed)
