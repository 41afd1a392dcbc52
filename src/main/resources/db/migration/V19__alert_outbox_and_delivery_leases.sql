-- Issue 10: alert work that any instance may do, each piece exactly once.
-- Every version of an alert a sample's transaction leaves waits here (insert only: a sample never waits for the
-- instance that is taking rows out). An instance takes rows with FOR UPDATE SKIP LOCKED and, in the same
-- transaction, records the webhook deliveries of the newest version of each alert for every active organization
-- and tells every instance's stream subscribers: a crash loses none, and none is recorded twice. Network-wide
-- and counts only, like network_alert.
CREATE TABLE alert_outbox (
    substance text NOT NULL,
    province  text NOT NULL,
    week      text NOT NULL,
    version   bigint NOT NULL,
    payload   text NOT NULL,
    queued_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (substance, province, week, version)
);
-- UPDATE: taking rows with FOR UPDATE needs it.
GRANT SELECT, INSERT, UPDATE, DELETE ON alert_outbox TO ${appRole};

-- A delivery being attempted is leased to one instance until leased_until; after that, another takes it over.
ALTER TABLE webhook_delivery ADD COLUMN leased_until timestamptz;
