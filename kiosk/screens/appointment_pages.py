"""What the booking screens' pages share (services, days, times of kiosk/appointment_booking.py)."""

from __future__ import annotations

from kiosk.screens.paging import PagedScreen


class BookingPages(PagedScreen):
    """A paged list whose items arrive after the screen is shown (from the server).

    The pager's "page 1 of N" and buttons did not follow ``screen.pages`` when the count changed
    after the screen was shown (seen here: "1 of 1" over 14 days); its ``screen`` is dispatched
    again after each refresh, which re-reads every expression of the pager.
    """

    def refresh(self) -> None:
        super().refresh()
        pager = self.ids.pager.__self__  # ids hold weak proxies
        pager.property("screen").dispatch(pager)
