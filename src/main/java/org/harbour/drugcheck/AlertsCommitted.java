package org.harbour.drugcheck;

import java.util.List;

/**
 * Alerts taken from the outbox, the newest version of each, as the JSON of an {@link AlertView} stored there: fired
 * synchronously inside the transaction that takes them, so that what an observer records (webhook deliveries)
 * commits with their removal, or not at all.
 */
public record AlertsCommitted(List<String> alerts) {
}
