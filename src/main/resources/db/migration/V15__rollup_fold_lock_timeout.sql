-- A trend query folds first and waits for a fold running elsewhere. Bounded: after 5 s of waiting the
-- fold gives up (lock_not_available, answered 503 with Retry-After), so that a long fold never holds the
-- application's connections and request threads for as long as it runs.
ALTER FUNCTION rollup_fold(boolean) SET lock_timeout = '5s';
