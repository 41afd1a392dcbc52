package org.harbour.network;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.agroal.api.AgroalDataSource;
import io.quarkus.scheduler.Scheduled;

/**
 * Folds the rollup deltas that writers append into the per-site rollups and the network sums (rollup_fold in
 * V12: one folder at a time across instances, under an advisory lock). Every second in the background, so that
 * little is pending; and before every trend query, so that a write committed before it is in its answer.
 */
@ApplicationScoped
public class RollupFolder {

    private static final Logger LOG = Logger.getLogger(RollupFolder.class);

    @Inject
    AgroalDataSource database;

    @Scheduled(every = "${harbour.rollups.fold-every:1s}", delayed = "${harbour.rollups.fold-every:1s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void foldInBackground() {
        try {
            fold(false);
        } catch (SQLException e) {
            // The database being away (a failover) is not this job's to report: the next run folds what is pending.
            LOG.debugf(e, "Rollup fold skipped: %s", e.getMessage());
        }
    }

    /** Waits for a fold running elsewhere, then folds what it left. */
    void foldNow() throws SQLException {
        fold(true);
    }

    private void fold(boolean wait) throws SQLException {
        try (Connection c = database.getConnection(); PreparedStatement st = c.prepareStatement("SELECT rollup_fold(?)")) {
            st.setBoolean(1, wait);
            st.execute();
        }
    }
}
