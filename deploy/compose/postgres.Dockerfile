# PostgreSQL 15 with the rum index the network note search needs (issue 11), from the PGDG repository the
# official image already uses. Not built on this machine (no container engine).
FROM postgres:15
RUN apt-get update && apt-get install -y --no-install-recommends postgresql-15-rum && rm -rf /var/lib/apt/lists/*
