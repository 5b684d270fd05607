from __future__ import annotations

import datetime as dt

import factory

from onewindow.workdays.models import CalendarYear, SpecialDay


class CalendarYearFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CalendarYear
        django_get_or_create = ("year",)

    year = 2030
    is_published = False

    class Params:
        published = factory.Trait(is_published=True, published_by="国务院办公厅关于2030年部分节假日安排的通知")


class SpecialDayFactory(factory.django.DjangoModelFactory):
    """Written straight to the table: tests that need the cache refreshed use the services."""

    class Meta:
        model = SpecialDay

    on = dt.date(2030, 10, 1)
    calendar_year = factory.LazyAttribute(lambda o: CalendarYearFactory(year=o.on.year))
    kind = SpecialDay.Kind.HOLIDAY
    name = "国庆节"
    source = SpecialDay.Source.ADMIN

    class Params:
        makeup = factory.Trait(kind=SpecialDay.Kind.MAKEUP_WORKDAY)
