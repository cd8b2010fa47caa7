from wagtail import hooks

from lms.viewsets import DeliveryViewSetGroup


@hooks.register("register_admin_viewset")
def register_delivery_admin():
    """Sites, CEMs, people and the read-only audit log, in the coordinators' "Delivery" menu."""
    return DeliveryViewSetGroup()
