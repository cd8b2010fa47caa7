"""The allow-list: every project route, by name, and who may open it. A new view is one line."""

from __future__ import annotations

from tests.route_walk.allow_list import (
    ACCREDITOR,
    ACTIVIST,
    ADMIN,
    ANONYMOUS,
    COORDINATOR,
    NATIONAL,
    OTHER_ACTIVIST,
    OTHER_COORDINATOR,
    OTHER_TRAINER,
    OWN_COORDINATORS,
    REST,
    STAFF,
    TRAINER,
    Expected,
    admin_answers,
    answers,
    public_answers,
)

ACTIVISTS = frozenset({ACTIVIST, OTHER_ACTIVIST})
TRAINERS = frozenset({TRAINER, OTHER_TRAINER})
OTHER_STAFF = frozenset({OTHER_TRAINER, OTHER_COORDINATOR})

ROUTES: dict[str, Expected] = {
    "wagtailadmin_reports:site_history": answers(
        {200: {ADMIN, NATIONAL}, REST: 403}, {405: {ADMIN, NATIONAL}, REST: 403}
    ),
    "wagtailadmin_reports:site_history_results": answers(
        {200: {ADMIN, NATIONAL}, REST: 403}, {405: {ADMIN, NATIONAL}, REST: 403}
    ),
    "sign_in_locks": admin_answers({REST: 200}, {REST: 405}),
    "sign_in_unlock": admin_answers(
        {REST: 405}, {404: {OTHER_COORDINATOR}, REST: 302}, acts=("POST",)
    ),
    "assessments_instruments": admin_answers({REST: 200}, {REST: 405}),
    "assessments_instrument_import": admin_answers({REST: 200}, {REST: 200}),
    "assessments_instrument_export": admin_answers({REST: 200}, {REST: 200}),
    "programme_sites:index": admin_answers({REST: 200}, {REST: 405}),
    "programme_sites:index_results": admin_answers({REST: 200}, {REST: 405}),
    "programme_sites:add": admin_answers({200: {ADMIN}, REST: 302}, {200: {ADMIN}, REST: 302}),
    "programme_sites:edit": admin_answers({200: {ADMIN}, REST: 302}, {200: {ADMIN}, REST: 302}),
    "programme_sites:delete": admin_answers(
        {404: {OTHER_COORDINATOR}, REST: 302}, {404: {OTHER_COORDINATOR}, REST: 302}
    ),
    "programme_sites:history": admin_answers(
        {200: {ADMIN}, 404: {OTHER_COORDINATOR}, REST: 302},
        {404: {OTHER_COORDINATOR}, 405: {ADMIN}, REST: 302},
    ),
    "programme_sites:history_results": admin_answers(
        {200: {ADMIN}, 404: {OTHER_COORDINATOR}, REST: 302},
        {404: {OTHER_COORDINATOR}, 405: {ADMIN}, REST: 302},
    ),
    "programme_sites:usage": admin_answers(
        {200: {ADMIN}, 404: {OTHER_COORDINATOR}, REST: 302},
        {404: {OTHER_COORDINATOR}, 405: {ADMIN}, REST: 302},
    ),
    "cems:index": admin_answers({REST: 200}, {REST: 405}),
    "cems:index_results": admin_answers({REST: 200}, {REST: 405}),
    "cems:add": admin_answers({REST: 200}, {REST: 200}),
    "cems:edit": admin_answers(
        {404: {OTHER_COORDINATOR}, REST: 200}, {404: {OTHER_COORDINATOR}, REST: 200}
    ),
    "cems:delete": admin_answers(
        {404: {OTHER_COORDINATOR}, REST: 302}, {404: {OTHER_COORDINATOR}, REST: 302}
    ),
    "cems:history": admin_answers(
        {404: {OTHER_COORDINATOR}, REST: 200}, {404: {OTHER_COORDINATOR}, REST: 405}
    ),
    "cems:history_results": admin_answers(
        {404: {OTHER_COORDINATOR}, REST: 200}, {404: {OTHER_COORDINATOR}, REST: 405}
    ),
    "cems:usage": admin_answers(
        {404: {OTHER_COORDINATOR}, REST: 200}, {404: {OTHER_COORDINATOR}, REST: 405}
    ),
    "participant_profiles:index": admin_answers({REST: 200}, {REST: 405}),
    "participant_profiles:index_results": admin_answers({REST: 200}, {REST: 405}),
    "participant_profiles:add": admin_answers({REST: 200}, {REST: 200}),
    "participant_profiles:edit": admin_answers(
        {404: {OTHER_COORDINATOR}, REST: 200},
        {200: {COORDINATOR}, 404: {OTHER_COORDINATOR}, REST: 302},
        acts=("POST",),
    ),
    "participant_profiles:delete": admin_answers(
        {404: {OTHER_COORDINATOR}, REST: 302}, {404: {OTHER_COORDINATOR}, REST: 302}
    ),
    "participant_profiles:history": admin_answers(
        {404: {OTHER_COORDINATOR}, REST: 200}, {404: {OTHER_COORDINATOR}, REST: 405}
    ),
    "participant_profiles:history_results": admin_answers(
        {404: {OTHER_COORDINATOR}, REST: 200}, {404: {OTHER_COORDINATOR}, REST: 405}
    ),
    "participant_profiles:usage": admin_answers(
        {404: {OTHER_COORDINATOR}, REST: 200}, {404: {OTHER_COORDINATOR}, REST: 405}
    ),
    "audit_log:index": admin_answers({REST: 200}, {REST: 405}),
    "audit_log:index_results": admin_answers({REST: 200}, {REST: 405}),
    "cohorts:index": admin_answers({REST: 200}, {REST: 405}),
    "cohorts:index_results": admin_answers({REST: 200}, {REST: 405}),
    "cohorts:add": admin_answers({REST: 200}, {REST: 200}),
    "cohorts:edit": admin_answers(
        {404: {OTHER_COORDINATOR}, REST: 200}, {404: {OTHER_COORDINATOR}, REST: 200}
    ),
    "cohorts:delete": admin_answers(
        {404: {OTHER_COORDINATOR}, REST: 302}, {404: {OTHER_COORDINATOR}, REST: 302}
    ),
    "cohorts:history": admin_answers(
        {404: {OTHER_COORDINATOR}, REST: 200}, {404: {OTHER_COORDINATOR}, REST: 405}
    ),
    "cohorts:history_results": admin_answers(
        {404: {OTHER_COORDINATOR}, REST: 200}, {404: {OTHER_COORDINATOR}, REST: 405}
    ),
    "cohorts:usage": admin_answers(
        {404: {OTHER_COORDINATOR}, REST: 200}, {404: {OTHER_COORDINATOR}, REST: 405}
    ),
    "cohorts:generate_schedule": admin_answers(
        {404: {OTHER_COORDINATOR}, REST: 200}, {404: {OTHER_COORDINATOR}, REST: 200}
    ),
    "cohorts:import_roster": admin_answers(
        {404: {OTHER_COORDINATOR}, REST: 200}, {404: {OTHER_COORDINATOR}, REST: 200}
    ),
    "cohorts:accounts": admin_answers(
        {404: {OTHER_COORDINATOR}, REST: 200}, {404: {OTHER_COORDINATOR}, REST: 200}
    ),
    "enrollments:index": admin_answers({REST: 200}, {REST: 405}),
    "enrollments:index_results": admin_answers({REST: 200}, {REST: 405}),
    "enrollments:add": admin_answers({REST: 200}, {REST: 200}),
    "enrollments:edit": admin_answers(
        {404: {OTHER_COORDINATOR}, REST: 200}, {404: {OTHER_COORDINATOR}, REST: 302}, acts=("POST",)
    ),
    "enrollments:delete": admin_answers(
        {404: {OTHER_COORDINATOR}, REST: 302}, {404: {OTHER_COORDINATOR}, REST: 302}
    ),
    "enrollments:history": admin_answers(
        {404: {OTHER_COORDINATOR}, REST: 200}, {404: {OTHER_COORDINATOR}, REST: 405}
    ),
    "enrollments:history_results": admin_answers(
        {404: {OTHER_COORDINATOR}, REST: 200}, {404: {OTHER_COORDINATOR}, REST: 405}
    ),
    "enrollments:usage": admin_answers(
        {404: {OTHER_COORDINATOR}, REST: 200}, {404: {OTHER_COORDINATOR}, REST: 405}
    ),
    "session_deliveries:index": admin_answers({REST: 200}, {REST: 405}),
    "session_deliveries:index_results": admin_answers({REST: 200}, {REST: 405}),
    "session_deliveries:add": admin_answers({REST: 200}, {REST: 200}),
    "session_deliveries:edit": admin_answers(
        {404: {OTHER_COORDINATOR}, REST: 200}, {404: {OTHER_COORDINATOR}, REST: 200}
    ),
    "session_deliveries:delete": admin_answers(
        {404: {OTHER_COORDINATOR}, REST: 302}, {404: {OTHER_COORDINATOR}, REST: 302}
    ),
    "session_deliveries:history": admin_answers(
        {404: {OTHER_COORDINATOR}, REST: 200}, {404: {OTHER_COORDINATOR}, REST: 405}
    ),
    "session_deliveries:history_results": admin_answers(
        {404: {OTHER_COORDINATOR}, REST: 200}, {404: {OTHER_COORDINATOR}, REST: 405}
    ),
    "session_deliveries:usage": admin_answers(
        {404: {OTHER_COORDINATOR}, REST: 200}, {404: {OTHER_COORDINATOR}, REST: 405}
    ),
    "wagtaildocs_serve": public_answers({REST: 200}, {REST: 200}),
    "wagtaildocs_authenticate_with_password": public_answers({REST: 404}, {REST: 404}),
    "csp_report": public_answers({REST: 405}, {REST: 400}),
    "service_worker": public_answers({REST: 200}, {REST: 405}),
    "credentials:did": public_answers({REST: 200}, {REST: 405}),
    "credentials:jwks": public_answers({REST: 200}, {REST: 405}),
    "login": public_answers({REST: 200}, {REST: 200}),
    "logout": public_answers({REST: 405}, {REST: 302}),
    "account_activate": public_answers({REST: 200}, {REST: 200}),
    "account_forgotten": public_answers({REST: 200}, {REST: 200}),
    "account_forgotten_sent": public_answers({REST: 200}, {REST: 405}),
    "account_link_password": public_answers({REST: 404}, {REST: 404}),
    "account_link": public_answers({REST: 404}, {REST: 404}),
    "search": public_answers({REST: 200}, {REST: 405}),
    "web_manifest": public_answers({REST: 200}, {REST: 405}),
    "audit_log": answers(
        {403: {ACTIVIST, OTHER_ACTIVIST, OTHER_TRAINER, TRAINER}, REST: 200}, {REST: 405}
    ),
    "courses:my_cohorts": answers(
        {403: {ACCREDITOR, ACTIVIST, OTHER_ACTIVIST}, REST: 200}, {REST: 405}
    ),
    "courses:cohort_detail": answers(
        {403: {ACTIVIST, OTHER_ACTIVIST}, 404: {OTHER_COORDINATOR, OTHER_TRAINER}, REST: 200},
        {REST: 405},
    ),
    "courses:attendance_sheet": answers(
        {
            403: {ACCREDITOR, ACTIVIST, OTHER_ACTIVIST},
            404: {OTHER_COORDINATOR, OTHER_TRAINER},
            REST: 200,
        },
        {
            403: {ACCREDITOR, ACTIVIST, OTHER_ACTIVIST},
            404: {OTHER_COORDINATOR, OTHER_TRAINER},
            REST: 200,
        },
    ),
    "courses:attendance_sync": public_answers(
        {REST: 405}, {401: {ANONYMOUS}, 403: {ACCREDITOR, ACTIVIST, OTHER_ACTIVIST}, REST: 400}
    ),
    "courses:sign_in_sheet": answers(
        {
            403: {ACCREDITOR, ACTIVIST, OTHER_ACTIVIST},
            404: {OTHER_COORDINATOR, OTHER_TRAINER},
            REST: 200,
        },
        {REST: 405},
    ),
    "courses:offline_device": answers({403: {ACCREDITOR, OTHER_ACTIVIST}, REST: 200}, {REST: 405}),
    "courses:offline_bundle": answers(
        {403: {ACCREDITOR, ACTIVIST, OTHER_ACTIVIST}, REST: 200}, {REST: 405}
    ),
    "courses:paper_sheet": answers(
        {403: {ACCREDITOR, ACTIVIST, OTHER_ACTIVIST}, REST: 302}, {REST: 405}
    ),
    "courses:my_courses": answers({200: {ACTIVIST, ADMIN, OTHER_ACTIVIST}, REST: 403}, {REST: 405}),
    "courses:enrollment_detail": answers(
        {200: {ACTIVIST}, 404: {ADMIN, OTHER_ACTIVIST}, REST: 403}, {REST: 405}
    ),
    "courses:absence_announce": answers(
        {REST: 405}, {302: {ACTIVIST}, 404: {ADMIN, OTHER_ACTIVIST}, REST: 403}
    ),
    "assessments:consent": answers({200: {ACTIVIST}, REST: 404}, {200: {ACTIVIST}, REST: 404}),
    "assessments:answer": answers({302: {ACTIVIST}, REST: 404}, {302: {ACTIVIST}, REST: 404}),
    "assessments:done": answers({302: {ACTIVIST}, REST: 404}, {REST: 405}),
    "assessments:analytics": answers({200: STAFF, REST: 403}, {REST: 405}),
    "assessments:export_responses": answers({400: STAFF, REST: 403}, {REST: 405}),
    "assessments:export_dictionary": answers({400: STAFF, REST: 403}, {REST: 405}),
    "assessments:export_responses_labelled": answers({400: STAFF, REST: 403}, {REST: 405}),
    "datarights:my_data": answers({REST: 200}, {REST: 405}),
    "datarights:download_prepare": answers({REST: 405}, {REST: 302}, acts=("POST",)),
    "datarights:download": answers({REST: 404}, {REST: 405}),
    "datarights:request_new": answers({REST: 200}, {REST: 200}),
    "datarights:request": answers({REST: 404}, {REST: 405}),
    # Every coordinator answers the requests of her own site (a national one: all).
    "datarights:queue": answers({200: STAFF, REST: 403}, {REST: 405}),
    "datarights:file_on_behalf": answers({200: STAFF, REST: 403}, {200: STAFF, REST: 403}),
    "datarights:handle": answers({404: STAFF, REST: 403}, {404: STAFF, REST: 403}),
    "certificates:mine": answers({REST: 200}, {REST: 405}),
    "certificates:download": answers(
        {404: {OTHER_ACTIVIST, OTHER_COORDINATOR, OTHER_TRAINER}, REST: 200},
        {REST: 405},
        acts=("GET",),
    ),
    "certificates:revoke": answers(
        {200: OWN_COORDINATORS, 404: {OTHER_ACTIVIST, OTHER_COORDINATOR, OTHER_TRAINER}, REST: 403},
        {302: OWN_COORDINATORS, 404: {OTHER_ACTIVIST, OTHER_COORDINATOR, OTHER_TRAINER}, REST: 403},
        acts=("POST",),
    ),
    "certificates:cohort": answers(
        {404: {ACTIVIST, OTHER_ACTIVIST, OTHER_COORDINATOR, OTHER_TRAINER}, REST: 200},
        {302: OWN_COORDINATORS, 403: {ACCREDITOR, TRAINER}, REST: 404},
        acts=("POST",),
    ),
    "certificates:cohort_zip": answers(
        {
            403: {ACTIVIST, OTHER_ACTIVIST, OTHER_TRAINER, TRAINER},
            404: {OTHER_COORDINATOR},
            REST: 200,
        },
        {REST: 405},
        acts=("GET",),
    ),
    "certificates:verify_form": public_answers({REST: 200}, {REST: 405}),
    "certificates:revocation_list": public_answers({REST: 200}, {REST: 405}),
    "certificates:status_list": public_answers({REST: 200}, {REST: 405}),
    "certificates:achievement": public_answers({REST: 302}, {REST: 405}),
    "certificates:verify": public_answers({REST: 200}, {REST: 405}),
    "certificates:badge": public_answers({REST: 200}, {REST: 405}),
    "certificates:badge_jwt": public_answers({REST: 200}, {REST: 405}),
    "home:dashboard": answers({REST: 200}, {REST: 405}),
    "accreditation:index": answers(
        {403: {ACTIVIST, OTHER_ACTIVIST, OTHER_TRAINER, TRAINER}, REST: 200}, {REST: 405}
    ),
    "accreditation:cohort": answers(
        {
            403: {ACTIVIST, OTHER_ACTIVIST, OTHER_TRAINER, TRAINER},
            404: {OTHER_COORDINATOR},
            REST: 200,
        },
        {REST: 405},
    ),
    "accreditation:cohort_csv": answers(
        {
            403: {ACTIVIST, OTHER_ACTIVIST, OTHER_TRAINER, TRAINER},
            404: {OTHER_COORDINATOR},
            REST: 200,
        },
        {REST: 405},
        acts=("GET",),
    ),
    "accreditation:cohort_pdf": answers(
        {
            403: {ACTIVIST, OTHER_ACTIVIST, OTHER_TRAINER, TRAINER},
            404: {OTHER_COORDINATOR},
            REST: 200,
        },
        {REST: 405},
        acts=("GET",),
    ),
    # The training cascade: districts in the admin, activists' community groups, verification.
    "districts:index": admin_answers({REST: 200}, {REST: 405}),
    "districts:index_results": admin_answers({REST: 200}, {REST: 405}),
    "districts:add": admin_answers({REST: 200}, {REST: 200}),
    "districts:edit": admin_answers(
        {404: {OTHER_COORDINATOR}, REST: 200}, {404: {OTHER_COORDINATOR}, REST: 200}
    ),
    "districts:delete": admin_answers(
        {404: {OTHER_COORDINATOR}, REST: 302}, {404: {OTHER_COORDINATOR}, REST: 302}
    ),
    "districts:history": admin_answers(
        {404: {OTHER_COORDINATOR}, REST: 200}, {404: {OTHER_COORDINATOR}, REST: 405}
    ),
    "districts:history_results": admin_answers(
        {404: {OTHER_COORDINATOR}, REST: 200}, {404: {OTHER_COORDINATOR}, REST: 405}
    ),
    "districts:usage": admin_answers(
        {404: {OTHER_COORDINATOR}, REST: 200}, {404: {OTHER_COORDINATOR}, REST: 405}
    ),
    "cascade:my_groups": answers({200: {ACTIVIST}, REST: 403}, {REST: 405}),
    "cascade:group_create": answers({200: {ACTIVIST}, REST: 403}, {200: {ACTIVIST}, REST: 403}),
    "cascade:replica_create": answers({200: {ACTIVIST}, REST: 403}, {200: {ACTIVIST}, REST: 403}),
    "cascade:replica_sync": public_answers(
        {REST: 405}, {401: {ANONYMOUS}, 400: {ACTIVIST}, REST: 403}
    ),
    "cascade:bundle": answers({200: {ACTIVIST}, REST: 403}, {REST: 405}),
    "cascade:verify_list": answers({403: ACTIVISTS | {ACCREDITOR}, REST: 200}, {REST: 405}),
    "cascade:replica_detail": answers(
        {403: ACTIVISTS | {ACCREDITOR}, 404: OTHER_STAFF, REST: 200},
        {403: ACTIVISTS | {ACCREDITOR}, 404: OTHER_STAFF, REST: 200},
    ),
    "cascade:replica_photo": answers({403: ACTIVISTS | {ACCREDITOR}, REST: 404}, {REST: 405}),
    "cascade:reach": answers({403: ACTIVISTS | TRAINERS, REST: 200}, {REST: 405}),
    "cascade:export": answers({403: ACTIVISTS | TRAINERS, REST: 200}, {REST: 405}, acts=("GET",)),
    # Curriculum validation rounds (the demo's round is closed and spans the three sites).
    "validation:index": answers({403: ACTIVISTS, REST: 200}, {REST: 405}),
    "validation:round_new": answers({200: STAFF, REST: 403}, {200: STAFF, REST: 403}),
    "validation:round": answers({403: ACTIVISTS, REST: 200}, {REST: 405}),
    "validation:round_edit": answers(
        {200: {ADMIN, NATIONAL}, REST: 403}, {200: {ADMIN, NATIONAL}, REST: 403}
    ),
    "validation:round_status": answers({REST: 405}, {302: {ADMIN, NATIONAL}, REST: 403}),
    "validation:concept_add": answers({REST: 405}, {302: {ADMIN, NATIONAL}, REST: 403}),
    "validation:item_remove": answers({REST: 405}, {302: {ADMIN, NATIONAL}, REST: 403}),
    "validation:participants": answers(
        {403: ACTIVISTS | {ACCREDITOR}, REST: 200}, {200: STAFF, REST: 403}
    ),
    "validation:participants_import": answers({200: STAFF, REST: 403}, {200: STAFF, REST: 403}),
    "validation:participant_remove": answers(
        {REST: 405},
        {302: OWN_COORDINATORS, 404: {OTHER_COORDINATOR}, REST: 403},
        acts=("POST",),
    ),
    "validation:paper_form": answers({403: ACTIVISTS | {ACCREDITOR}, REST: 200}, {REST: 405}),
    "validation:paper_list": answers({403: ACTIVISTS | {ACCREDITOR}, REST: 200}, {REST: 405}),
    "validation:paper_entry": answers(
        {403: ACTIVISTS | {ACCREDITOR}, 404: OTHER_STAFF, REST: 200},
        {403: ACTIVISTS | {ACCREDITOR}, 404: OTHER_STAFF, REST: 200},
    ),
    "validation:workshop_new": answers(
        {403: ACTIVISTS | {ACCREDITOR}, REST: 200}, {403: ACTIVISTS | {ACCREDITOR}, REST: 200}
    ),
    "validation:workshop": answers(
        {403: ACTIVISTS | {ACCREDITOR}, 404: OTHER_STAFF, REST: 200},
        {403: ACTIVISTS | {ACCREDITOR}, 404: OTHER_STAFF, REST: 200},
    ),
    "validation:results": answers({403: ACTIVISTS | TRAINERS, REST: 200}, {REST: 405}),
    "validation:finding_new": answers({200: STAFF, REST: 403}, {200: STAFF, REST: 403}),
    "validation:finding": answers({403: ACTIVISTS | TRAINERS, REST: 200}, {REST: 405}),
    "validation:finding_edit": answers({200: STAFF, REST: 403}, {200: STAFF, REST: 403}),
    "validation:export": answers({200: STAFF, REST: 403}, {REST: 405}, acts=("GET",)),
    "validation:take_part": answers(
        {200: ACTIVISTS, 404: {ADMIN}, REST: 403}, {200: ACTIVISTS, 404: {ADMIN}, REST: 403}
    ),
    "validation:feedback": answers(
        {302: ACTIVISTS, 404: {ADMIN}, REST: 403}, {302: ACTIVISTS, 404: {ADMIN}, REST: 403}
    ),
    "validation:thanks": answers({200: ACTIVISTS, 404: {ADMIN}, REST: 403}, {REST: 405}),
    "wagtailcore_authenticate_with_password": public_answers({REST: 404}, {REST: 404}),
    "wagtailcore_login": public_answers({REST: 200}, {REST: 200}),
    "wagtail_serve": public_answers({REST: 200}, {REST: 200}),
}

# Writes a refused or read-only request may make: sessions, the cache, the sign-in throttle's
# records and the visits the verification pages log.
HARMLESS_TABLES = (
    "django_session",
    "cem_cache",
    "axes_",
    "certificates_verificationlookup",
    "wagtailusers_userprofile",  # Wagtail makes a staff member's profile on her first visit
)
