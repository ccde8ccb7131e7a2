"""What a ticket says about the queue, in the same words on the kiosk screen and on the paper.

The figures are the server's (``people_ahead``, ``wait_minutes``, ``callable``): the wait is rounded
once, by the server, and shown through :func:`nafitha.formats.format_wait`; nothing here rounds.
When no open counter can call the ticket, no count and no "you are next" is said: a citizen told
"you are next" by a ticket nobody can call stops trusting the system.
"""

from __future__ import annotations

from nafitha.formats import format_wait
from nafitha.text import t


def queue_lines(
    people_ahead: int, wait_minutes: int | None, callable_: bool, lang: str
) -> list[str]:
    """The ticket's queue lines in ``lang``: nobody serving now, or who is ahead and how long."""
    if not callable_:
        return [t("printers.ticket_not_callable", lang)]
    if people_ahead <= 0:
        return [t("printers.ticket_next", lang)]
    lines = [t("printers.ticket_people_ahead", lang, count=people_ahead)]
    wait = format_wait(wait_minutes, lang)
    if wait:
        lines.append(t("printers.ticket_wait", lang, wait=wait))
    return lines
