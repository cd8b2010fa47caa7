"""Downloads of rendered documents in bulk: a cohort's certificates as one streamed ZIP, for
coordinators (their site; national ones every site) and accreditors. Others get 403; a cohort
outside the user's scope is 404."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, StreamingHttpResponse
from django.views.decorators.http import require_GET

from certificates.documents.archive import archive_filename, cohort_archive
from courses.models import Cohort
from lms import access
from lms.downloads import zip_response


@login_required
@require_GET
@access.role_required(access.READS_EVIDENCE)
def cohort_zip(request: HttpRequest, cohort_id: int) -> StreamingHttpResponse:
    cohort = access.read_or_404(
        request.user, Cohort.objects.select_related("course", "cem__site"), pk=cohort_id
    )
    return zip_response(
        cohort_archive(actor=request.user, cohort=cohort), filename=archive_filename(cohort)
    )
