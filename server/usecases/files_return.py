"""Return visits: a ticket that carries a file reference is routed by the file.

When the file waits on the citizen (missing documents to bring, or ready for pickup), the ticket
goes to the file's own service with priority: the citizen already queued once for this file.
Otherwise the ticket keeps the service asked for and only carries the reference, so the clerk who
calls it sees the file either way. Called by the ticket issue use case before it allocates a number.
"""

from __future__ import annotations

from server.domain.files import printed
from server.domain.workflow import waits_on_citizen
from server.store import files as store
from server.usecases.catalog import load_catalog
from server.usecases.context import Context
from server.usecases.files import _workflow_of, parse_or_refuse, refuse


def route_return_visit(
    ctx: Context, service_id: str | None, priority: bool, file_text: str | None
) -> tuple[str | None, bool, str | None]:
    """(service, priority, printed reference) for a ticket asked with ``file_text``.

    Unchanged when no reference is given; a malformed, mistyped or unknown reference is refused.
    """
    if not file_text:
        return service_id, priority, None
    reference = parse_or_refuse(file_text)
    file = store.get_file(ctx.db.read(), reference, with_history=False)
    if file is None:
        raise refuse("file_not_found", 404)
    workflow = _workflow_of(ctx, load_catalog(ctx), file)
    if waits_on_citizen(workflow, file.state):
        return file.service, True, printed(reference)
    return service_id or file.service, priority, printed(reference)
