"""The portal's part of the hub's schema (migration 5 in :mod:`hub.store.migrations`).

- ``portal_rate_limits``: the public tracking's token buckets, one row per client address, shared
  by every HTTP worker process of every hub host (they all reach this PostgreSQL, which a small
  file beside one process would not give); ``hub_reader`` (the public API's role) may write this
  table and no other. Rows are not precious: quiet ones are deleted.
- Partial indexes so the portal's reads stay small over years of events: a center's catalog
  events, and each counter's latest status event.
"""

from __future__ import annotations

M005_PORTAL = """
CREATE TABLE portal_rate_limits (
    client text PRIMARY KEY,
    tokens double precision NOT NULL,
    updated double precision NOT NULL
);
GRANT SELECT, INSERT, UPDATE, DELETE ON portal_rate_limits TO hub_reader;
CREATE INDEX events_catalog ON events (center, seq)
    WHERE kind IN ('catalog_imported', 'category_saved', 'service_saved', 'counter_saved');
CREATE INDEX events_counter_status ON events (center, counter, seq)
    WHERE counter IS NOT NULL AND kind IN ('counter_opened', 'counter_paused', 'person_signed_in',
        'person_signed_out', 'ticket_called', 'ticket_called_out_of_order');
"""
