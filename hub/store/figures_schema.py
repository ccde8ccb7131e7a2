"""Migration 7: the ministry's day aggregates, kept by a trigger on ``tickets``.

Per center, day and service: counts, sums, and two histograms of waits. A row trigger on the
``tickets`` projection takes the old row's part out and puts the new row's in, so the aggregates
change in the very transaction that changes the tickets (the writer's batch): they can never lag
behind or disagree with the events the hub holds, whatever order or delay events arrive in.

Each ticket counts twice: in its day's rows (``day`` = ``YYYY-MM-DD``) and in its month's
(``day`` = ``YYYY-MM``), so a year is read from twelve months' rows and a few days', not from
365 days' (bench/ministry.py: the waits' histograms of a year are ~440,000 day rows).

- ``ticket_figures``: tickets, served, no-shows, cancelled, called, sum of waits, quoted count,
  sum of quotes, sum of |wait - quote|: exact when merged over any period;
- ``ticket_waits``: waits counted in buckets of two kinds. Kind 0: the center dashboard's buckets
  2 % wide (``nafitha.stats.bucket_of``): percentiles within about 1 %. Kind 1: whole minutes,
  rounded up: a target of T whole minutes is met by exactly the waits in buckets <= T, so the
  service level is exact.
"""

from __future__ import annotations

M007_FIGURES = """
CREATE TABLE ticket_figures (
    center text NOT NULL,
    day text NOT NULL,
    service text NOT NULL,
    tickets integer NOT NULL DEFAULT 0,
    served integer NOT NULL DEFAULT 0,
    no_shows integer NOT NULL DEFAULT 0,
    cancelled integer NOT NULL DEFAULT 0,
    called integer NOT NULL DEFAULT 0,
    wait_sum double precision NOT NULL DEFAULT 0,
    quoted integer NOT NULL DEFAULT 0,
    quoted_sum double precision NOT NULL DEFAULT 0,
    quote_error_sum double precision NOT NULL DEFAULT 0,
    PRIMARY KEY (day, center, service)
);
CREATE TABLE ticket_waits (
    center text NOT NULL,
    day text NOT NULL,
    service text NOT NULL,
    kind smallint NOT NULL,                 -- 0: 2 % buckets, 1: whole minutes rounded up
    bucket integer NOT NULL,
    n integer NOT NULL,
    PRIMARY KEY (day, center, service, kind, bucket)
);

-- Each call out of order with its reason, for the integrity report.
CREATE INDEX events_out_of_order ON events (center, at) WHERE kind = 'ticket_called_out_of_order';

CREATE FUNCTION ticket_wait_bucket(w double precision) RETURNS integer
    LANGUAGE sql IMMUTABLE AS
    $$ SELECT CASE WHEN w < 1 THEN 0 ELSE 1 + floor(ln(w) / ln(1.02))::integer END $$;
CREATE FUNCTION ticket_wait_minute(w double precision) RETURNS integer
    LANGUAGE sql IMMUTABLE AS $$ SELECT least(ceil(w / 60.0), 100000)::integer $$;

-- One ticket's part in its day's and its month's rows, added (sign 1) or taken out (-1): two
-- statements, whatever the spans.
CREATE FUNCTION ticket_figures_apply(r tickets, sign integer) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    w double precision;
    s text := coalesce(r.service, '');
BEGIN
    IF r.issued_at IS NULL OR r.day IS NULL THEN
        RETURN;
    END IF;
    w := CASE WHEN r.called_at IS NOT NULL THEN greatest(0, r.called_at - r.issued_at) END;
    INSERT INTO ticket_figures AS f (center, day, service, tickets, served, no_shows, cancelled,
        called, wait_sum, quoted, quoted_sum, quote_error_sum)
    SELECT r.center, sp.span, s, sign,
        CASE WHEN r.state = 'done' THEN sign ELSE 0 END,
        CASE WHEN r.state = 'no_show' THEN sign ELSE 0 END,
        CASE WHEN r.state = 'cancelled' THEN sign ELSE 0 END,
        CASE WHEN w IS NOT NULL THEN sign ELSE 0 END,
        coalesce(w, 0) * sign,
        CASE WHEN w IS NOT NULL AND r.quoted_wait_s IS NOT NULL THEN sign ELSE 0 END,
        CASE WHEN w IS NOT NULL THEN coalesce(r.quoted_wait_s, 0) ELSE 0 END * sign,
        CASE WHEN w IS NOT NULL THEN coalesce(abs(w - r.quoted_wait_s), 0) ELSE 0 END * sign
    FROM (VALUES (r.day), (left(r.day, 7))) AS sp(span)
    ON CONFLICT (day, center, service) DO UPDATE SET
        tickets = f.tickets + EXCLUDED.tickets, served = f.served + EXCLUDED.served,
        no_shows = f.no_shows + EXCLUDED.no_shows, cancelled = f.cancelled + EXCLUDED.cancelled,
        called = f.called + EXCLUDED.called, wait_sum = f.wait_sum + EXCLUDED.wait_sum,
        quoted = f.quoted + EXCLUDED.quoted, quoted_sum = f.quoted_sum + EXCLUDED.quoted_sum,
        quote_error_sum = f.quote_error_sum + EXCLUDED.quote_error_sum;
    IF w IS NOT NULL THEN
        INSERT INTO ticket_waits AS b (center, day, service, kind, bucket, n)
        SELECT r.center, sp.span, s, k.kind, k.bucket, sign
        FROM (VALUES (r.day), (left(r.day, 7))) AS sp(span),
             (VALUES (0, ticket_wait_bucket(w)), (1, ticket_wait_minute(w))) AS k(kind, bucket)
        ON CONFLICT (day, center, service, kind, bucket) DO UPDATE SET n = b.n + EXCLUDED.n;
    END IF;
END
$$;

-- A change that moves no figure (a call started, a recall, a counter or clerk changed, the
-- events that touched it) leaves the aggregates alone.
CREATE FUNCTION ticket_figures_trigger() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND (OLD.center, OLD.day, OLD.service, OLD.issued_at, OLD.called_at,
            OLD.quoted_wait_s, CASE WHEN OLD.state IN ('done', 'no_show', 'cancelled')
            THEN OLD.state END)
        IS NOT DISTINCT FROM (NEW.center, NEW.day, NEW.service, NEW.issued_at, NEW.called_at,
            NEW.quoted_wait_s, CASE WHEN NEW.state IN ('done', 'no_show', 'cancelled')
            THEN NEW.state END) THEN
        RETURN NULL;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM ticket_figures_apply(OLD, -1);
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') THEN
        PERFORM ticket_figures_apply(NEW, 1);
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER tickets_figures AFTER INSERT OR UPDATE OR DELETE ON tickets
    FOR EACH ROW EXECUTE FUNCTION ticket_figures_trigger();

-- What the tickets already hold when the migration runs: day rows, then month rows.
CREATE TEMPORARY TABLE figure_spans ON COMMIT DROP AS
SELECT center, day AS span, coalesce(service, '') AS service, state, quoted_wait_s,
    CASE WHEN called_at IS NOT NULL THEN greatest(0, called_at - issued_at) END AS w
FROM tickets WHERE issued_at IS NOT NULL AND day IS NOT NULL;
INSERT INTO figure_spans SELECT center, left(span, 7), service, state, quoted_wait_s, w
FROM figure_spans;
INSERT INTO ticket_figures (center, day, service, tickets, served, no_shows, cancelled, called,
    wait_sum, quoted, quoted_sum, quote_error_sum)
SELECT center, span, service, count(*),
    count(*) FILTER (WHERE state = 'done'), count(*) FILTER (WHERE state = 'no_show'),
    count(*) FILTER (WHERE state = 'cancelled'), count(w), coalesce(sum(w), 0),
    count(*) FILTER (WHERE w IS NOT NULL AND quoted_wait_s IS NOT NULL),
    coalesce(sum(quoted_wait_s) FILTER (WHERE w IS NOT NULL), 0),
    coalesce(sum(abs(w - quoted_wait_s)), 0)
FROM figure_spans GROUP BY center, span, service;
INSERT INTO ticket_waits (center, day, service, kind, bucket, n)
SELECT center, span, service, 0, ticket_wait_bucket(w), count(*)
FROM figure_spans WHERE w IS NOT NULL GROUP BY 1, 2, 3, 5
UNION ALL
SELECT center, span, service, 1, ticket_wait_minute(w), count(*)
FROM figure_spans WHERE w IS NOT NULL GROUP BY 1, 2, 3, 5;
GRANT SELECT ON ticket_figures, ticket_waits TO hub_reader;
"""
