-- The outbox is taken oldest first, 200 rows at a time: without an index each take scanned and sorted it all, so a
-- backlog (a large import) cost its square. Review of issue 10.
CREATE INDEX alert_outbox_queued ON alert_outbox (queued_at);
