"""The kiosk's commands for tests and the benchmark (``nafitha.gui.automation``): what it shows,
and shortcuts for what a test cannot wait for in real time (idle, ticket screen, printer checks)."""

from __future__ import annotations

from typing import Any

from kivy.clock import Clock

IDLE_WARNING_S = 15.0  # the last seconds of the idle time: "need more time?" with a countdown


def snapshot(app: Any) -> dict[str, Any]:
    """The state a test reads: screen, choices, the ticket, printing, tracking, timings."""
    state = app.state
    return {
        "screen": app.manager.current,
        "lang": state.lang,
        "rtl": state.rtl,
        "portrait": state.portrait,
        "server_ok": state.server_ok,
        "catalog_loaded": state.catalog_loaded,
        "service_id": state.service_id,
        "category_id": state.category_id,
        "priority": state.priority,
        "file_reference": state.file_reference,
        "person_digits": len(state.person_input),  # how many typed, never the digits
        "issue_phase": state.issue_phase,
        "attempts": state.attempts,
        "ticket": dict(state.ticket),
        "refusal": dict(state.refusal),
        "print_phase": state.print_phase,
        "print_error": dict(state.print_error),
        "alert_sent": state.alert_sent,
        "alerts_sent": list(app.alerts.sent),
        "alerts_pending": len(app.alerts.pending),
        "reference_input": state.reference_input,
        "track_phase": state.track_phase,
        "track": dict(state.track),
        "track_error": dict(state.track_error),
        "scan_error": dict(state.scan_error),
        "timings": dict(state.timings),
        "first_frame_s": app.first_frame_s,
        "frames_drawn": Clock.frames_displayed,  # bench/kiosk_redraw.py: frames per screen change
        "history": list(state.history),
        "printer": dict(state.printer),
        "idle_left": state.idle_left,
        "taps": app.taps,
        "sms": app.sms.snapshot(),  # text me when my turn is near (kiosk/sms_optin.py)
        "reprint": {
            "typed": app.reprint.state.typed,
            "phase": app.reprint.state.phase,
            "how": app.reprint.state.how,
            "error": dict(app.reprint.state.error),
            "ticket": dict(app.reprint.state.ticket),
            "print_error": dict(app.reprint.state.print_error),
        },
        "checkin": app.checkin.snapshot(),  # issue 19 (kiosk/appointments.py)
        "booking": app.booking.snapshot(),  # (kiosk/appointment_booking.py)
        "complaints": app.complaints.snapshot(),  # issue 20 (kiosk/complaints.py)
    }


def control_commands(app: Any) -> dict[str, Any]:
    def set_idle(seconds: float, warning: float = IDLE_WARNING_S) -> bool:
        """Tests shorten the idle time (and its warning) instead of waiting a real minute."""
        app.idle_timeout_s = float(seconds)
        app.idle_warning_s = float(warning)
        return True

    def colours() -> list[dict[str, Any]]:
        from kivy.core.window import Window

        from kiosk.widgets import button_colours

        return button_colours(Window.clearcolor)

    def printer_check(seconds: float) -> bool:
        app.printer_watch.interval_s = float(seconds)
        return True

    def ticket_screen(seconds: float) -> bool:
        app.ticket_screen_s = float(seconds)
        return True

    return {
        "screen": lambda: app.manager.current,
        "state": lambda: snapshot(app),
        "scan": lambda text: app.scanned(text) or True,
        "go": lambda name: app.go(name) or True,
        "home": lambda: app.home() or True,
        "idle_timeout": set_idle,
        "ticket_screen_timeout": ticket_screen,
        "printer_check": printer_check,
        "colours": colours,
    }
