"""Instruments in and out of the documented JSON file format (`cem-instrument/1`).

The file is read and checked whole by :mod:`assessments.instruments.format`; importing builds
the instrument only from a document that passed, in one transaction."""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from assessments.instruments.checks import InstrumentFileError
from assessments.instruments.format import FILE_FORMAT, instrument_parse
from assessments.models import Instrument, Item, ScalePoint, Subscale

__all__ = ["InstrumentFileError", "instrument_export", "instrument_import", "instrument_parse"]


def _already_loaded(doc: dict) -> InstrumentFileError:
    return InstrumentFileError(
        (
            _(
                "instrument: %(code)s version %(version)s already exists; give the changed "
                "instrument a new version."
            )
            % {"code": doc["code"], "version": doc["version"]},
        )
    )


def instrument_import(raw: bytes | str | dict) -> Instrument:
    """Create an instrument from a file, all or nothing. An existing code+version is refused:
    instruments never change once loaded; a change is a new version. Raises
    InstrumentFileError and nothing else for a bad file."""
    doc = instrument_parse(raw)
    if Instrument.objects.filter(code=doc["code"], version=doc["version"]).exists():
        raise _already_loaded(doc)
    try:
        return _instrument_create(doc)
    except IntegrityError:  # the same version loaded at the same moment by someone else
        raise _already_loaded(doc) from None


@transaction.atomic
def _instrument_create(doc: dict) -> Instrument:
    instrument = Instrument.objects.create(
        code=doc["code"],
        version=doc["version"],
        languages=doc["languages"],
        name_es=doc["name"]["es"],
        name_en=doc["name"]["en"],
        description_es=doc["description"].get("es", ""),
        description_en=doc["description"].get("en", ""),
        validated=doc["validated"],
        higher_score_means_es=doc["higher_score_means"]["es"],
        higher_score_means_en=doc["higher_score_means"]["en"],
        desired_change=doc["desired_change"],
        scale_min=doc["scale_min"],
        scale_max=doc["scale_max"],
        agree_values=doc["agree_values"],
        status=Instrument.Status.ACTIVE,
    )
    ScalePoint.objects.bulk_create(
        ScalePoint(instrument=instrument, value=p["value"], label_es=p["es"], label_en=p["en"])
        for p in doc["points"]
    )
    subscales = {
        s["code"]: Subscale.objects.create(
            instrument=instrument,
            code=s["code"],
            order=s["order"],
            name_es=s["name"]["es"],
            name_en=s["name"]["en"],
        )
        for s in doc["subscales"]
    }
    Item.objects.bulk_create(
        Item(
            instrument=instrument,
            code=i["code"],
            order=i["order"],
            subscale=subscales.get(i["subscale"]),
            reverse=i["reverse"],
            filler=i["filler"],
            text_es=i["text"]["es"],
            text_en=i["text"]["en"],
        )
        for i in doc["items"]
    )
    return instrument


def instrument_export(instrument: Instrument) -> dict:
    """The instrument as a `cem-instrument/1` document, ready for json.dumps."""
    return {
        "format": FILE_FORMAT,
        "code": instrument.code,
        "version": instrument.version,
        "validated": instrument.validated,
        "languages": instrument.languages,
        "name": {"es": instrument.name_es, "en": instrument.name_en},
        "description": {"es": instrument.description_es, "en": instrument.description_en},
        "scoring": {
            "higher_score_means": {
                "es": instrument.higher_score_means_es,
                "en": instrument.higher_score_means_en,
            },
            "desired_change": instrument.desired_change,
        },
        "scale": {
            "min": instrument.scale_min,
            "max": instrument.scale_max,
            "labels": [
                {"value": p.value, "es": p.label_es, "en": p.label_en}
                for p in instrument.scale.all()
            ],
            "agree_values": instrument.agree_values,
        },
        "subscales": [
            {"code": s.code, "name": {"es": s.name_es, "en": s.name_en}}
            for s in instrument.subscales.all()
        ],
        "items": [
            {
                "code": i.code,
                "order": i.order,
                "subscale": i.subscale.code if i.subscale else None,
                "reverse": i.reverse,
                "filler": i.filler,
                "text": {"es": i.text_es, "en": i.text_en},
            }
            for i in instrument.items.select_related("subscale")
        ],
    }
