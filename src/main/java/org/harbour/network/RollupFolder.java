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

    /** Whether the last background fold failed: a failure is logged once, not every second, and so is recovery. */
    private volatile boolean failing;

    @Scheduled(every = "${harbour.rollups.fold-every:1s}", delayed = "${harbour.rollups.fold-every:1s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void foldInBackground() {
        try {
            fold(false);
            if (failing) {
                failing = false;
                LOG.info("Rollup folds succeed again");
            }
        } catch (SQLException e) {
            // A failover passes; anything else leaves every trend query failing until it is looked at.
            if (!failing) {
                failing = true;
                LOG.errorf(e, "Rollup fold failed (SQL state %s); retried every run, logged again when it succeeds", e.getSQLState());
            }
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
