-- rollup_fold runs as the owner (SECURITY DEFINER). Without pg_temp named last, a session's temporary
-- tables come first in its search path: a caller could have the folder read a temporary rollup_delta of
-- its own making. pg_temp last makes the folder read only the real tables.
ALTER FUNCTION rollup_fold(boolean) SET search_path = public, pg_temp;
