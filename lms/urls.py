from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from courses.offline import views as offline_views
from courses.views import curriculum
from lms import content_policy
from lms import views as lms_views

urlpatterns = [
    # Before the admin's own: its site-wide history is for those who see every site.
    path("admin/reports/site-history/", lms_views.site_history),
    path(
        "admin/reports/site-history/results/",
        lms_views.site_history,
        {"results_only": True},
    ),
    path("admin/", include(wagtailadmin_urls)),
    path("documentos/", include(wagtaildocs_urls)),
    path("csp-report/", content_policy.csp_report, name="csp_report"),
    # At the root, so that the service worker's scope is every page in both languages.
    path("sw.js", offline_views.service_worker, name="service_worker"),
    path("", include("certificates.credentials.urls")),
]

urlpatterns += i18n_patterns(
    path("cuenta/", include("lms.accounts.urls")),
    path("buscar/", curriculum.search, name="search"),
    path("app.webmanifest", offline_views.web_manifest, name="web_manifest"),
    path("auditoria/", lms_views.audit_log, name="audit_log"),
    path("", include("lms.datarights.urls")),
    path("", include("courses.urls")),
    path("", include("courses.cascade.urls")),
    path("", include("assessments.urls")),
    path("", include("certificates.urls")),
    path("panel/", include("home.urls")),
    path("acreditacion/", include("certificates.accreditation.urls")),
    path("validacion/", include("courses.validation.urls")),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
