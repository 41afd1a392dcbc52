-- Webhooks an organization registers for network alerts, and every delivery attempt made to them.
CREATE TABLE webhook (
    org_id      text NOT NULL REFERENCES organization (slug),
    id          uuid NOT NULL,
    url         text NOT NULL,
    secret      text NOT NULL,
    description text,
    created_at  timestamptz NOT NULL DEFAULT now(),
    version     bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (org_id, id)
);

CREATE TABLE webhook_delivery (
    org_id           text NOT NULL,
    id               uuid NOT NULL,
    webhook_id       uuid NOT NULL,
    event            text NOT NULL,
    payload          text NOT NULL,
    status           text NOT NULL CHECK (status IN ('PENDING', 'DELIVERED', 'FAILED')),
    attempts         integer NOT NULL DEFAULT 0,
    last_status_code integer,
    last_error       text,
    next_attempt_at  timestamptz,
    created_at       timestamptz NOT NULL DEFAULT now(),
    delivered_at     timestamptz,
    version          bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (org_id, id),
    FOREIGN KEY (org_id, webhook_id) REFERENCES webhook (org_id, id) ON DELETE CASCADE
);
CREATE INDEX webhook_delivery_pending ON webhook_delivery (org_id, next_attempt_at) WHERE status = 'PENDING';

CALL tenant_table('webhook');
CALL tenant_table('webhook_delivery');

GRANT SELECT, INSERT, UPDATE, DELETE ON webhook TO ${appRole};
GRANT SELECT, INSERT, UPDATE, DELETE ON webhook_delivery TO ${appRole};
