-- Issue 10: webhook work that any instance may do, each piece exactly once.
-- An alert committed leaves its newest version here, in the sample's own transaction (a burst of samples
-- leaves one row per alert, as it stands). An instance takes rows with FOR UPDATE SKIP LOCKED and records the
-- deliveries of every active organization in the same transaction: a crash loses none, and none is recorded
-- twice. Network-wide and counts only, like network_alert.
CREATE TABLE webhook_fanout (
    substance text NOT NULL,
    province  text NOT NULL,
    week      text NOT NULL,
    version   bigint NOT NULL,
    payload   text NOT NULL,
    queued_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (substance, province, week)
);
GRANT SELECT, INSERT, UPDATE, DELETE ON webhook_fanout TO ${appRole};

-- A delivery being attempted is leased to one instance until leased_until; after that, another takes it over.
ALTER TABLE webhook_delivery ADD COLUMN leased_until timestamptz;
