package org.harbour.web;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Status;
import jakarta.transaction.SystemException;
import jakarta.transaction.TransactionManager;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * A request starts with no transaction on its worker thread. When the database dies under a transaction, its
 * rollback can fail (the connection is gone) and Narayana then leaves the transaction on the thread: every
 * later request there joined it (an answer of "connection closed" for a minute, make chaos found), then met it
 * rolled back by the reaper (500s). Such a leftover is ended here, before the request's own work.
 */
@ApplicationScoped
public class LeftoverTransactions {

    private static final Logger LOG = Logger.getLogger(LeftoverTransactions.class);

    @Inject
    TransactionManager transactions;

    // Last of the request filters: one that answers later (a Uni) resumes the request on another worker thread.
    @ServerRequestFilter(priority = jakarta.ws.rs.Priorities.USER + 1000)
    public void clear() {
        try {
            int status = transactions.getStatus();
            if (status == Status.STATUS_NO_TRANSACTION) {
                return;
            }
            LOG.warnf("A transaction an earlier failure left on this thread (status %d) is ended before the request", status);
            try {
                transactions.rollback();
            } catch (Exception alreadyGone) {
                // its connection is gone: what matters is that the thread lets go of it
            }
            if (transactions.getStatus() != Status.STATUS_NO_TRANSACTION) {
                transactions.suspend();
            }
        } catch (SystemException e) {
            LOG.warn("The transaction state of this thread could not be read: " + e.getMessage());
        }
    }
}
