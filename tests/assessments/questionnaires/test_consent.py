from assessments.instruments.files import instrument_import
from lms.models import DataProtectionSettings
from tests.helpers import EXAMPLE_INSTRUMENT


def test_consent_names_the_data_controller_once_configured(client, cohort_setup):
    course = cohort_setup["cohort"].course
    course.pre_instrument = instrument_import(EXAMPLE_INSTRUMENT.read_bytes())
    course.save()
    enrollment = cohort_setup["enrollments"][0]
    client.force_login(enrollment.activist)
    url = f"/cuestionarios/{enrollment.pk}/pre/consentimiento/"
    assert "Centro de Estudios Ejemplo" not in client.get(url).content.decode()
    protection = DataProtectionSettings.load()
    protection.controller_name = "Centro de Estudios Ejemplo"
    protection.data_bank = "Banco 123"
    protection.save()
    content = client.get(url).content.decode()
    assert "Centro de Estudios Ejemplo" in content and "Banco 123" in content
    assert "Ley 29733" in content
