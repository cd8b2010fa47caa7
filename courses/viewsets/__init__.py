"""The coordinators' admin for cohorts, enrollments and session deliveries, one module each
(and the cohort's actions). Every view is limited to the sites the user coordinates
(:mod:`lms.admin_toolkit`); writes go through the delivery services."""

from courses.viewsets.cohorts import CohortViewSet
from courses.viewsets.deliveries import SessionDeliveryViewSet
from courses.viewsets.enrollments import EnrollmentViewSet


def delivery_viewsets() -> list:
    """Registered on their own; they join the "Delivery" menu through its sub-menu hook."""
    return [CohortViewSet(), EnrollmentViewSet(), SessionDeliveryViewSet()]
