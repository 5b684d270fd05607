"""Reads of the delivery record: a person sees their own messages."""

from __future__ import annotations

from django.db.models import QuerySet

from onewindow.notify.models import Delivery
from onewindow.orgs.models import User


def deliveries_for(user: User, *, topic: str = "") -> QuerySet[Delivery]:
    deliveries = Delivery.objects.filter(recipient=user)
    return deliveries.filter(topic=topic) if topic else deliveries
