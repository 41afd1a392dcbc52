-- The roles and database of deploy/local/postgres.sh provision, for the compose file (dev-only passwords).
CREATE ROLE harbour_owner LOGIN PASSWORD 'harbour_owner';
CREATE ROLE harbour_app LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE PASSWORD 'harbour_app';
CREATE ROLE harbour_network LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE PASSWORD 'harbour_network';
ALTER ROLE harbour_network SET default_transaction_read_only = on;
ALTER ROLE harbour_network SET statement_timeout = '15s';
CREATE ROLE harbour_research LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE PASSWORD 'harbour_research';
ALTER ROLE harbour_research SET default_transaction_read_only = on;
CREATE DATABASE harbour OWNER harbour_owner;
\connect harbour
REVOKE ALL ON SCHEMA public FROM PUBLIC;
ALTER SCHEMA public OWNER TO harbour_owner;
GRANT CONNECT ON DATABASE harbour TO harbour_app, harbour_network, harbour_research;
-- Not a trusted extension: made here by the superuser, found made by the migrations.
CREATE EXTENSION rum;
