"""Working days on the official calendar of mainland China, with administrator overrides."""

from minyi.workcal.calendar import WorkCalendar, get_calendar

__all__ = ["WorkCalendar", "get_calendar"]
