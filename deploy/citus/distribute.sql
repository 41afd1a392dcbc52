-- Harbour on Citus: when one PostgreSQL group is outgrown (docs/cluster.md), every tenant table is distributed by
-- org_id, co-located with site, so that everything one organization writes or reads stays on one worker and a
-- member's request never crosses workers; the registry and the taxonomy are reference tables (a copy on every
-- worker); the network's and the researchers' own tables, which hold no row of any one organization, are
-- reference tables too (small, read from everywhere).
--
-- Run once, as a superuser on the Citus coordinator, on a database that Harbour's migrations have made (Flyway,
-- the owner role), before any data is loaded. CitusReadinessTest (make test) checks against the migrated
-- schema that this script names every table with an org_id, and that their keys allow it: each primary key,
-- unique constraint and foreign key between tenant tables includes org_id.
--
-- Not tried here (no Citus package in this machine's registries): row-level security policies and the
-- rollups' triggers on distributed tables need Citus 11.3 or later (citus.enable_unsafe_triggers for the
-- triggers, whose statements stay on one organization's shard); check both on a staging coordinator first.

CREATE EXTENSION IF NOT EXISTS citus;

BEGIN;
SELECT create_reference_table('organization');
SELECT create_reference_table('service');

SELECT create_distributed_table('site', 'org_id');
SELECT create_distributed_table('offering', 'org_id', colocate_with => 'site');
SELECT create_distributed_table('visit_day', 'org_id', colocate_with => 'site');
SELECT create_distributed_table('incident', 'org_id', colocate_with => 'site');
SELECT create_distributed_table('note', 'org_id', colocate_with => 'site');
SELECT create_distributed_table('network_note_search', 'org_id', colocate_with => 'site');
SELECT create_distributed_table('drug_check_sample', 'org_id', colocate_with => 'site');
SELECT create_distributed_table('resiliency_month', 'org_id', colocate_with => 'site');
SELECT create_distributed_table('audit_entry', 'org_id', colocate_with => 'site');
SELECT create_distributed_table('webhook', 'org_id', colocate_with => 'site');
SELECT create_distributed_table('webhook_delivery', 'org_id', colocate_with => 'site');
SELECT create_distributed_table('idempotency_key', 'org_id', colocate_with => 'site');
SELECT create_distributed_table('site_rollup', 'org_id', colocate_with => 'site');
SELECT create_distributed_table('site_rollup_concern', 'org_id', colocate_with => 'site');
SELECT create_distributed_table('rollup_delta', 'org_id', colocate_with => 'site');
SELECT create_distributed_table('rollup_delta_concern', 'org_id', colocate_with => 'site');
SELECT create_distributed_table('rollup_site_change', 'org_id', colocate_with => 'site');
SELECT create_distributed_table('network_rollup', 'org_id', colocate_with => 'site');
SELECT create_distributed_table('network_rollup_concern', 'org_id', colocate_with => 'site');

SELECT create_reference_table('network_alert');
SELECT create_reference_table('network_alert_site');
SELECT create_reference_table('alert_outbox');
SELECT create_reference_table('rollup_switch');
SELECT create_reference_table('network_audit');
SELECT create_reference_table('research_project');
SELECT create_reference_table('research_extract');
SELECT create_reference_table('research_extract_chunk');
SELECT create_reference_table('research_audit');
COMMIT;
