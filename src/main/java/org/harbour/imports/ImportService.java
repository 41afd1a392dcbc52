package org.harbour.imports;

import java.io.IOException;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.harbour.audit.AuditContext;
import org.harbour.drugcheck.DrugCheckInput;
import org.harbour.drugcheck.DrugCheckService;
import org.harbour.drugcheck.DrugCheckView;
import org.harbour.incident.IncidentInput;
import org.harbour.incident.IncidentService;
import org.harbour.offering.OfferingInput;
import org.harbour.offering.OfferingService;
import org.harbour.offering.Service;
import org.harbour.site.Site;
import org.harbour.site.SiteInput;
import org.harbour.site.SiteService;
import org.harbour.tenancy.Roles;
import org.harbour.visit.VisitDayInput;
import org.harbour.visit.VisitDayView;
import org.harbour.visit.VisitService;
import org.harbour.web.FieldErrors;
import org.harbour.web.Messages;
import org.harbour.web.Problem;
import org.harbour.web.ProblemException;
import org.harbour.web.ProblemResponses;
import org.harbour.web.Saved;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.security.identity.SecurityIdentity;

/**
 * Bulk import of sites, offerings, visit days and incidents, one record per line, through the same
 * services (rules, audit) as the single endpoints. Lines are written in chunks, one transaction each;
 * a chunk that a database conflict breaks is replayed line by line, so that one bad line never blocks
 * the good ones. Atomic and dry-run imports run in a single transaction, rolled back when a line is
 * rejected (atomic) or always (dry run).
 */
@ApplicationScoped
public class ImportService {

    static final int CHUNK = 500;
    private static final Set<String> TYPES = Set.of("site", "offering", "visit", "incident", "drug-check");

    @Inject
    ObjectMapper json;
    @Inject
    Validator validator;
    @Inject
    EntityManager entityManager;

    @Inject
    org.harbour.drugcheck.NetworkAlerts alerts;
    @Inject
    SecurityIdentity identity;
    @Inject
    AuditContext auditContext;
    @Inject
    SiteService sites;
    @Inject
    OfferingService offerings;
    @Inject
    VisitService visits;
    @Inject
    IncidentService incidents;
    @Inject
    DrugCheckService drugChecks;

    @ConfigProperty(name = "harbour.import.max-lines", defaultValue = "100000")
    int maxLines;

    /** A line that cannot be written, with the reasons. */
    static final class Rejected extends RuntimeException {
        final List<Problem.FieldError> errors;

        Rejected(List<Problem.FieldError> errors) {
            super(null, null, false, false);
            this.errors = errors;
        }
    }

    public ImportReport run(LineReader reader, boolean dryRun, boolean atomic, Locale locale) throws IOException {
        UUID importId = UUID.randomUUID();
        auditContext.importing(importId);
        Batch batch = new Batch(locale);
        boolean committed;
        if (dryRun || atomic) {
            QuarkusTransaction.begin(QuarkusTransaction.beginOptions().timeout(3600));
            // The network-wide alert rows are locked only just before the commit, not for the whole import.
            alerts.holdBack();
            try {
                readChunks(reader, batch, chunk -> {
                    if (batch.broken) {
                        chunk.forEach(read -> batch.results.add(batch.rejected(read.number(), typeOf(read), null, "import.not-processed")));
                        return;
                    }
                    try {
                        batch.results.addAll(process(chunk, batch));
                        entityManager.flush();
                        entityManager.clear();
                    } catch (RuntimeException e) {
                        // In one transaction there is no going back to the good lines: the import stops here.
                        batch.broken = true;
                        chunk.forEach(read -> batch.results.add(batch.rejected(read.number(), typeOf(read), null, refusal(e))));
                    }
                });
            } catch (IOException | RuntimeException | Error e) {
                // An Error too: the held counts live on this worker thread, which serves other requests next.
                alerts.dropHeld();
                QuarkusTransaction.rollback();
                throw e;
            }
            committed = !dryRun && batch.results.stream().noneMatch(l -> l.status() == ImportReport.Status.REJECTED);
            if (committed) {
                try {
                    alerts.raiseHeld();
                } catch (RuntimeException e) {
                    QuarkusTransaction.rollback();
                    throw e;
                }
                QuarkusTransaction.commit();
            } else {
                alerts.dropHeld();
                QuarkusTransaction.rollback();
            }
        } else {
            readChunks(reader, batch, chunk -> writeChunk(chunk, batch));
            committed = true;
        }
        int[] counts = new int[ImportReport.Status.values().length];
        batch.results.forEach(l -> counts[l.status().ordinal()]++);
        return new ImportReport(importId, dryRun, atomic, committed, new ImportReport.Counts(counts[0], counts[1], counts[2],
                counts[3]), batch.results);
    }

    private interface ChunkHandler {
        void accept(List<LineReader.Read> chunk) throws IOException;
    }

    private void readChunks(LineReader reader, Batch batch, ChunkHandler handler) throws IOException {
        List<LineReader.Read> chunk = new ArrayList<>(CHUNK);
        int records = 0;
        LineReader.Read read;
        while ((read = reader.next()) != null) {
            if (++records > maxLines) {
                handler.accept(chunk);
                chunk.clear();
                batch.results.add(batch.rejected(read.number(), null, null, "import.over-limit", maxLines));
                return;
            }
            chunk.add(read);
            if (chunk.size() == CHUNK) {
                handler.accept(chunk);
                chunk.clear();
            }
        }
        handler.accept(chunk);
    }

    private void writeChunk(List<LineReader.Read> chunk, Batch batch) {
        if (chunk.isEmpty()) {
            return;
        }
        Map<String, UUID> knownSites = new HashMap<>(batch.siteRefs);
        try {
            batch.results.addAll(QuarkusTransaction.requiringNew().call(() -> process(chunk, batch)));
        } catch (RuntimeException conflict) {
            // A database conflict broke the chunk: find the line, writing each on its own.
            batch.siteRefs.clear();
            batch.siteRefs.putAll(knownSites);
            for (LineReader.Read read : chunk) {
                try {
                    batch.results.addAll(QuarkusTransaction.requiringNew().call(() -> process(List.of(read), batch)));
                } catch (RuntimeException e) {
                    batch.siteRefs.clear();
                    batch.siteRefs.putAll(knownSites);
                    batch.results.add(batch.rejected(read.number(), typeOf(read), null, refusal(e)));
                }
            }
        }
    }

    /** The type a line names, when it names a known one. */
    private static String typeOf(LineReader.Read read) {
        JsonNode type = read.node() == null ? null : read.node().get("type");
        return type != null && type.isTextual() && TYPES.contains(type.asText()) ? type.asText() : null;
    }

    /** Why the database refused a line, without its words: a constraint (class 23) is a conflict with stored data. */
    private static String refusal(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.sql.SQLException sql && sql.getSQLState() != null) {
                return sql.getSQLState().startsWith("23") ? "import.conflict" : "import.refused";
            }
        }
        return "import.refused";
    }

    /**
     * Writes a chunk in the current transaction, in file order: incidents and visit days gathered and written
     * together (one query for the stored ones, batched inserts), any other line on its own, after the ones
     * before it. The session is flushed and cleared after other lines so that it never grows with the chunk.
     */
    private List<ImportReport.Line> process(List<LineReader.Read> chunk, Batch batch) {
        ImportReport.Line[] lines = new ImportReport.Line[chunk.size()];
        Pending pending = new Pending();
        for (int k = 0; k < chunk.size(); k++) {
            Object prepared = batch.prepare(chunk.get(k));
            if (prepared instanceof IncidentInput incident) {
                pending.incidentLines.add(k);
                pending.incidents.add(incident);
                continue;
            }
            if (prepared instanceof VisitService.Day day) {
                pending.dayLines.add(k);
                pending.days.add(day);
                continue;
            }
            writePending(chunk, pending, lines, batch);
            lines[k] = prepared instanceof ImportReport.Line line ? line : batch.write(chunk.get(k), (Ready) prepared);
            entityManager.flush();
            entityManager.clear();
        }
        writePending(chunk, pending, lines, batch);
        return List.of(lines);
    }

    /** Incidents and visit days read but not written yet, with their places in the chunk. */
    private static final class Pending {
        final List<Integer> incidentLines = new ArrayList<>();
        final List<IncidentInput> incidents = new ArrayList<>();
        final List<Integer> dayLines = new ArrayList<>();
        final List<VisitService.Day> days = new ArrayList<>();
    }

    private void writePending(List<LineReader.Read> chunk, Pending pending, ImportReport.Line[] lines, Batch batch) {
        if (!pending.incidents.isEmpty()) {
            report(chunk, pending.incidentLines, incidents.upsertAll(pending.incidents), "incident",
                    saved -> ((org.harbour.incident.IncidentView) saved.value()).id().toString(), lines, batch);
        }
        if (!pending.days.isEmpty()) {
            report(chunk, pending.dayLines, visits.putAll(pending.days), "visit",
                    saved -> ((VisitDayView) saved.value()).siteId() + "/" + ((VisitDayView) saved.value()).date(), lines, batch);
        }
        pending.incidentLines.clear();
        pending.incidents.clear();
        pending.dayLines.clear();
        pending.days.clear();
    }

    private static void report(List<LineReader.Read> chunk, List<Integer> at, List<Object> results, String type,
            java.util.function.Function<Saved<?>, String> id, ImportReport.Line[] lines, Batch batch) {
        for (int i = 0; i < at.size(); i++) {
            int number = chunk.get(at.get(i)).number();
            lines[at.get(i)] = results.get(i) instanceof Saved<?> saved
                    ? new ImportReport.Line(number, type, ImportReport.Status.valueOf(saved.outcome().name()), id.apply(saved), null)
                    : batch.rejected(number, type, (ProblemException) results.get(i));
        }
    }

    /** A line of another type than incident or visit day, checked and ready to write. */
    record Ready(String type, java.util.function.Supplier<Saved<?>> write, java.util.function.Function<Saved<?>, String> id) {
    }

    /** The state of one import: results so far, the sites named by reference, the caller's language. */
    private final class Batch {
        final Locale locale;
        final List<ImportReport.Line> results = new ArrayList<>();
        final Map<String, UUID> siteRefs = new HashMap<>();
        boolean broken;

        Batch(Locale locale) {
            this.locale = locale;
        }

        /**
         * Reads a line into what to write: an IncidentInput, a {@link Ready} write for other types, or the
         * line's final report when it is rejected before any write.
         */
        Object prepare(LineReader.Read read) {
            if (read.malformed() != null) {
                return rejected(read.number(), null, null, "import." + read.malformed());
            }
            if (!(read.node() instanceof ObjectNode original)) {
                return rejected(read.number(), null, null, "import.not-an-object");
            }
            // Fields are taken off the line as they are read; a chunk replayed line by line reads it again.
            ObjectNode line = original.deepCopy();
            JsonNode typeNode = line.remove("type");
            String type = typeNode == null || !typeNode.isTextual() ? null : typeNode.asText();
            if (type == null || !TYPES.contains(type)) {
                return rejected(read.number(), type, "type", "import.type", String.join(", ", TYPES.stream().sorted().toList()));
            }
            try {
                return switch (type) {
                    case "site" -> {
                        requireRole(Roles.ORG_ADMIN);
                        SiteInput input = bind(line, SiteInput.class);
                        required(input.externalRef(), "externalRef");
                        yield new Ready(type, () -> {
                            Saved<org.harbour.site.SiteView> site = sites.upsert(input);
                            siteRefs.put(input.externalRef(), site.value().id());
                            return site;
                        }, saved -> ((org.harbour.site.SiteView) saved.value()).id().toString());
                    }
                    case "offering" -> {
                        requireRole(Roles.ORG_ADMIN);
                        UUID site = siteOf(line, true);
                        String code = text(line.remove("serviceCode"), "serviceCode");
                        required(code, "serviceCode");
                        if (Service.findByIdOptional(code).isEmpty()) {
                            throw reject("serviceCode", "field.unknown-service");
                        }
                        OfferingInput input = bind(line, OfferingInput.class);
                        yield new Ready(type, () -> offerings.put(site, code, input, null), saved -> site + "/" + code);
                    }
                    case "visit" -> {
                        requireRole(Roles.ORG_ADMIN, Roles.REPORTER);
                        UUID site = siteOf(line, true);
                        LocalDate date = date(line.remove("date"));
                        yield new VisitService.Day(site, date, bind(line, VisitDayInput.class));
                    }
                    case "drug-check" -> {
                        requireRole(Roles.ORG_ADMIN, Roles.REPORTER);
                        line.put("siteId", siteOf(line, true).toString());
                        DrugCheckInput input = bind(line, DrugCheckInput.class);
                        required(input.externalRef(), "externalRef");
                        // Samples are never changed: a stored reference is the same sample again.
                        yield new Ready(type, () -> drugChecks.byExternalRef(input.externalRef())
                                .<Saved<?>> map(v -> new Saved<>(v, Saved.Outcome.UNCHANGED, v.version()))
                                .orElseGet(() -> drugChecks.create(input)),
                                saved -> ((DrugCheckView) saved.value()).id().toString());
                    }
                    default -> {
                        requireRole(Roles.ORG_ADMIN, Roles.REPORTER);
                        UUID site = siteOf(line, false);
                        if (site != null) {
                            line.put("siteId", site.toString());
                        }
                        IncidentInput input = bind(line, IncidentInput.class);
                        required(input.externalRef(), "externalRef");
                        yield input;
                    }
                };
            } catch (Rejected e) {
                return new ImportReport.Line(read.number(), type, ImportReport.Status.REJECTED, null, e.errors);
            } catch (ProblemException e) {
                return rejected(read.number(), type, e);
            }
        }

        ImportReport.Line write(LineReader.Read read, Ready ready) {
            try {
                Saved<?> saved = ready.write().get();
                return new ImportReport.Line(read.number(), ready.type(), ImportReport.Status.valueOf(saved.outcome().name()),
                        ready.id().apply(saved), null);
            } catch (ProblemException e) {
                return rejected(read.number(), ready.type(), e);
            }
        }

        ImportReport.Line rejected(int number, String type, ProblemException e) {
            Problem problem = ProblemResponses.problem(locale, e);
            List<Problem.FieldError> errors = problem.errors() == null || problem.errors().isEmpty()
                    ? List.of(new Problem.FieldError(null, problem.detail()))
                    : problem.errors();
            return new ImportReport.Line(number, type, ImportReport.Status.REJECTED, null, errors);
        }

        private <T> T bind(ObjectNode line, Class<T> type) {
            T value;
            try {
                value = json.treeToValue(line, type);
            } catch (JsonProcessingException e) {
                throw new Rejected(List.of(FieldErrors.of(e, locale)
                        .orElse(new Problem.FieldError(null, Messages.get(locale, "import.malformed-line")))));
            } catch (IllegalArgumentException e) {
                throw new Rejected(List.of(new Problem.FieldError(null, Messages.get(locale, "import.malformed-line"))));
            }
            Set<ConstraintViolation<T>> violations = validator.validate(value);
            if (!violations.isEmpty()) {
                throw new Rejected(violations.stream().map(FieldErrors::of)
                        .sorted((a, b) -> a.field().compareTo(b.field())).toList());
            }
            return value;
        }

        /** The site a line names by siteId or by the organization's siteExternalRef. */
        private UUID siteOf(ObjectNode line, boolean required) {
            String id = text(line.remove("siteId"), "siteId");
            String ref = text(line.remove("siteExternalRef"), "siteExternalRef");
            if (id == null && ref == null) {
                if (required) {
                    throw reject("siteId", "import.site-required");
                }
                return null;
            }
            if (ref != null) {
                UUID known = siteRefs.get(ref);
                if (known == null) {
                    Site site = Site.<Site> find("externalRef", ref).firstResult();
                    if (site == null) {
                        throw reject("siteExternalRef", "field.no-such-site");
                    }
                    known = site.id;
                    siteRefs.put(ref, known);
                }
                return known;
            }
            try {
                UUID site = UUID.fromString(id);
                if (Site.findByIdOptional(site).isEmpty()) {
                    throw reject("siteId", "field.no-such-site");
                }
                return site;
            } catch (IllegalArgumentException e) {
                throw reject("siteId", "field.no-such-site");
            }
        }

        private LocalDate date(JsonNode node) {
            String text = text(node, "date");
            required(text, "date");
            try {
                return LocalDate.parse(text);
            } catch (DateTimeParseException e) {
                throw reject("date", "field.type");
            }
        }

        private void requireRole(String... roles) {
            for (String role : roles) {
                if (identity.hasRole(role)) {
                    return;
                }
            }
            throw reject("type", "import.role", String.join(", ", roles));
        }

        private void required(Object value, String field) {
            if (value == null) {
                throw reject(field, "import.required");
            }
        }

        /** A field the line is read for itself (not bound by Jackson): text PostgreSQL cannot store is refused alike. */
        private String text(JsonNode node, String field) {
            String text = node == null || node.isNull() ? null : node.asText();
            if (text != null && !org.harbour.web.StorableText.storable(text)) {
                throw reject(field, "field.unstorable-text");
            }
            return text;
        }

        private Rejected reject(String field, String key, Object... args) {
            return new Rejected(List.of(new Problem.FieldError(field, Messages.get(locale, key, args))));
        }

        ImportReport.Line rejected(int number, String type, String field, String key, Object... args) {
            return new ImportReport.Line(number, type, ImportReport.Status.REJECTED, null,
                    List.of(new Problem.FieldError(field, Messages.get(locale, key, args))));
        }
    }

}
