package org.harbour.research;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.zip.GZIPOutputStream;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.harbour.tenancy.TenantScope;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;

/**
 * Runs extract jobs. Every instance claims queued jobs with FOR UPDATE SKIP LOCKED, so that each runs once,
 * and keeps a heartbeat on those it runs; a job whose heartbeat stops (its instance died or restarted) is
 * claimed again and started over, at most max-attempts times, then ends FAILED with the reason. Jobs run on
 * a few threads of their own with a connection pool of their own: researchers wait, member systems do not.
 */
@ApplicationScoped
public class ExtractWorker {

    private static final Logger LOG = Logger.getLogger(ExtractWorker.class);

    @Inject
    AgroalDataSource db;
    @Inject
    ExtractRunner runner;
    @Inject
    ExtractFiles files;
    @Inject
    ProjectKeys keys;
    @Inject
    ResearchAudit audit;
    @Inject
    ObjectMapper json;

    @ConfigProperty(name = "harbour.network.time-zone")
    java.time.ZoneId zone;
    @ConfigProperty(name = "harbour.research.workers", defaultValue = "1")
    int workers;
    @ConfigProperty(name = "harbour.research.max-attempts", defaultValue = "3")
    int maxAttempts;
    @ConfigProperty(name = "harbour.research.stale-after", defaultValue = "PT60S")
    Duration staleAfter;

    private final String instance = UUID.randomUUID().toString();
    private final Map<UUID, String> running = new ConcurrentHashMap<>();
    private ExecutorService executor;

    @PostConstruct
    void start() {
        executor = Executors.newFixedThreadPool(workers, r -> {
            Thread t = new Thread(r, "research-extract");
            t.setDaemon(true);
            return t;
        });
    }

    /** Claims jobs while a worker is free; a claimed job counts as running (and keeps its heartbeat) at once. */
    @Scheduled(every = "${harbour.research.poll-every:2s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void poll() {
        while (running.size() < workers) {
            Claim claim;
            try {
                claim = claim();
            } catch (SQLException | RuntimeException e) {
                LOG.warn("Extract jobs could not be claimed: " + e.getMessage());
                return;
            }
            if (claim == null) {
                return;
            }
            running.put(claim.id(), claim.token());
            executor.execute(() -> execute(claim));
        }
    }

    @Scheduled(every = "5s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void heartbeat() {
        if (running.isEmpty()) {
            return;
        }
        try (Connection c = db.getConnection(); PreparedStatement q = c.prepareStatement("""
                UPDATE research_extract SET heartbeat_at = now()
                 WHERE id = ANY (?) AND claimed_by = ANY (?) AND status = 'RUNNING'""")) {
            q.setArray(1, c.createArrayOf("uuid", running.keySet().toArray()));
            q.setArray(2, c.createArrayOf("text", running.values().toArray()));
            q.executeUpdate();
        } catch (SQLException e) {
            LOG.warn("Extract heartbeat failed: " + e.getMessage());
        }
    }

    record Claim(UUID id, String token, int attempts) {
    }

    private Claim claim() throws SQLException {
        try (Connection c = db.getConnection(); PreparedStatement q = c.prepareStatement("""
                UPDATE research_extract SET status = 'RUNNING', claimed_by = ?, heartbeat_at = now(), attempts = attempts + 1,
                       started_at = now(), progress_rows = 0, expected_rows = NULL
                 WHERE id = (SELECT id FROM research_extract
                              WHERE status = 'QUEUED' OR (status = 'RUNNING' AND heartbeat_at < now() - ?::interval)
                              ORDER BY requested_at FOR UPDATE SKIP LOCKED LIMIT 1)
                RETURNING id, attempts""")) {
            String token = instance + "/" + UUID.randomUUID();
            q.setString(1, token);
            q.setString(2, staleAfter.toSeconds() + " seconds");
            try (ResultSet rs = q.executeQuery()) {
                return rs.next() ? new Claim(rs.getObject(1, UUID.class), token, rs.getInt(2)) : null;
            }
        }
    }

    private void execute(Claim claim) {
        try {
            if (claim.attempts() > maxAttempts) {
                fail(claim, "interrupted", null);
                return;
            }
            Loaded loaded = TenantScope.network(() -> QuarkusTransaction.requiringNew().call(() -> {
                Extract e = Extract.findById(claim.id());
                ResearchProject p = ResearchProject.findById(e.projectId);
                Extract first = Extract.<Extract> find("projectId = ?1 and dataset = ?2 and status = ?3 order by finishedAt",
                        e.projectId, e.dataset, Extract.Status.READY).firstResult();
                return new Loaded(new ExtractRunner.Job(Dataset.of(e.dataset).orElseThrow(), e.format, e.fromMonth,
                        YearMonth.from(e.toMonth).plusMonths(1).atDay(1), p.fromMonth, YearMonth.from(p.toMonth).plusMonths(1).atDay(1),
                        Periods.of(e.grain), e.summaryRows, e.summaryColumns,
                        p.k, p.keepSiteIdentity, first == null ? null : Generalization.of(first.generalizations)), p.status == ResearchProject.Status.ACTIVE && !p.expired(LocalDate.now(zone)),
                        p.keyCiphertext);
            }));
            if (!loaded.open()) {
                fail(claim, "project-closed", null);
                return;
            }
            files.discard(claim.id(), claim.token());
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            long[] bytes = {0};
            ExtractRunner.Outcome outcome;
            try (OutputStream stored = files.writer(claim.id(), claim.token());
                    OutputStream counted = new FilterOutputStream(new DigestOutputStream(stored, sha)) {
                        @Override
                        public void write(byte[] b, int off, int len) throws IOException {
                            out.write(b, off, len);
                            bytes[0] += len;
                        }

                        @Override
                        public void write(int b) throws IOException {
                            out.write(b);
                            bytes[0]++;
                        }
                    };
                    GZIPOutputStream gzip = new GZIPOutputStream(counted, 1 << 16);
                    BufferedOutputStream out = new BufferedOutputStream(gzip, 1 << 16)) {
                outcome = runner.run(loaded.job(), keys.pseudonyms(loaded.secret()), out, progress(claim));
                out.flush();
                gzip.finish();
            }
            complete(claim, outcome, HexFormat.of().formatHex(sha.digest()), bytes[0]);
        } catch (NoSuchAlgorithmException | SQLException | IOException | RuntimeException e) {
            LOG.errorf(e, "Extract %s failed", claim.id());
            fail(claim, "internal", e);
        } finally {
            running.remove(claim.id());
        }
    }

    private record Loaded(ExtractRunner.Job job, boolean open, byte[] secret) {
    }

    private ExtractRunner.Progress progress(Claim claim) {
        return new ExtractRunner.Progress() {
            private long last;

            @Override
            public void expected(long rows) {
                update("UPDATE research_extract SET expected_rows = ? WHERE id = ? AND claimed_by = ?", rows);
            }

            @Override
            public void written(long rows) {
                long now = System.nanoTime();
                if (now - last > 1_000_000_000L) {
                    last = now;
                    update("UPDATE research_extract SET progress_rows = ?, heartbeat_at = now() WHERE id = ? AND claimed_by = ?",
                            rows);
                }
            }

            private void update(String sql, long rows) {
                try (Connection c = db.getConnection(); PreparedStatement q = c.prepareStatement(sql)) {
                    q.setLong(1, rows);
                    q.setObject(2, claim.id());
                    q.setString(3, claim.token());
                    q.executeUpdate();
                } catch (SQLException e) {
                    LOG.warn("Extract progress not recorded: " + e.getMessage());
                }
            }
        };
    }

    private void complete(Claim claim, ExtractRunner.Outcome outcome, String sha256, long bytes) {
        TenantScope.network(() -> QuarkusTransaction.requiringNew().call(() -> {
            Extract e = Extract.findById(claim.id(), jakarta.persistence.LockModeType.PESSIMISTIC_WRITE);
            if (e == null || !claim.token().equals(e.claimedBy) || e.status != Extract.Status.RUNNING) {
                return null; // another instance took it over: its attempt is the one that counts
            }
            e.status = Extract.Status.READY;
            e.rows = outcome.rows();
            e.progressRows = outcome.rows();
            e.expectedRows = outcome.rows();
            e.suppressedRows = outcome.suppressedRows();
            e.suppressedCells = outcome.suppressedCells();
            e.generalizations = json.valueToTree(outcome.generalizations());
            e.header = outcome.header();
            e.sha256 = sha256;
            e.bytes = bytes;
            e.finishedAt = java.time.Instant.now();
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("dataset", e.dataset);
            details.put("rows", e.rows);
            details.put("suppressedRows", e.suppressedRows);
            details.put("suppressedCells", e.suppressedCells);
            details.put("generalizations", outcome.generalizations());
            details.put("sha256", sha256);
            details.put("bytes", bytes);
            audit.record(e.projectId, e.id, e.requestedBy, ResearchAuditEntry.Action.EXTRACT_READY, details);
            return null;
        }));
    }

    private void fail(Claim claim, String reason, Exception cause) {
        try {
            TenantScope.network(() -> QuarkusTransaction.requiringNew().call(() -> {
                Extract e = Extract.findById(claim.id(), jakarta.persistence.LockModeType.PESSIMISTIC_WRITE);
                if (e == null || !claim.token().equals(e.claimedBy)) {
                    return null; // taken over: the file is the new owner's now
                }
                Extract.getEntityManager().createNativeQuery("DELETE FROM research_extract_chunk WHERE extract_id = ?1")
                        .setParameter(1, claim.id()).executeUpdate();
                e.status = Extract.Status.FAILED;
                e.reason = reason;
                e.finishedAt = java.time.Instant.now();
                audit.record(e.projectId, e.id, e.requestedBy, ResearchAuditEntry.Action.EXTRACT_FAILED,
                        Map.of("dataset", e.dataset, "reason", reason, "attempts", claim.attempts()));
                return null;
            }));
        } catch (RuntimeException e) {
            LOG.errorf(e, "Extract %s could not be marked FAILED (%s); it will be claimed again", claim.id(), reason);
        }
    }

    @PreDestroy
    void stop() {
        executor.shutdownNow();
    }
}
