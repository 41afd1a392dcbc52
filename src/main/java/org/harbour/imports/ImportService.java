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
    private static final Set<String> TYPES = Set.of("site", "offering", "visit", "incident");

    @Inject
    ObjectMapper json;
    @Inject
    Validator validator;
    @Inject
    EntityManager entityManager;
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
            try {
                readChunks(reader, batch, chunk -> {
                    for (LineReader.Read read : chunk) {
                        batch.results.add(batch.broken ? batch.notProcessed(read) : batch.handleInShared(read));
                    }
                    if (!batch.broken) {
                        entityManager.flush();
                        entityManager.clear();
                    }
                });
            } catch (IOException | RuntimeException e) {
                QuarkusTransaction.rollback();
                throw e;
            }
            committed = !dryRun && batch.results.stream().noneMatch(l -> l.status() == ImportReport.Status.REJECTED);
            if (committed) {
                QuarkusTransaction.commit();
            } else {
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
            List<ImportReport.Line> done = QuarkusTransaction.requiringNew().call(() -> {
                List<ImportReport.Line> lines = new ArrayList<>(chunk.size());
                for (LineReader.Read read : chunk) {
                    lines.add(batch.handle(read));
                }
                return lines;
            });
            batch.results.addAll(done);
        } catch (RuntimeException conflict) {
            // A database conflict broke the chunk: find the line, writing each on its own.
            batch.siteRefs.clear();
            batch.siteRefs.putAll(knownSites);
            for (LineReader.Read read : chunk) {
                try {
                    batch.results.add(QuarkusTransaction.requiringNew().call(() -> batch.handle(read)));
                } catch (RuntimeException e) {
                    batch.siteRefs.clear();
                    batch.siteRefs.putAll(knownSites);
                    batch.results.add(batch.rejected(read.number(), null, null, "import.conflict"));
                }
            }
        }
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

        /** In the single transaction of an atomic or dry-run import: a database conflict ends the writing. */
        ImportReport.Line handleInShared(LineReader.Read read) {
            try {
                return handle(read);
            } catch (RuntimeException e) {
                broken = true;
                return rejected(read.number(), null, null, "import.conflict");
            }
        }

        ImportReport.Line notProcessed(LineReader.Read read) {
            return rejected(read.number(), null, null, "import.not-processed");
        }

        ImportReport.Line handle(LineReader.Read read) {
            if (read.malformed() != null) {
                return rejected(read.number(), null, null, "import." + read.malformed());
            }
            if (!(read.node() instanceof ObjectNode line)) {
                return rejected(read.number(), null, null, "import.not-an-object");
            }
            JsonNode typeNode = line.remove("type");
            String type = typeNode == null || !typeNode.isTextual() ? null : typeNode.asText();
            if (type == null || !TYPES.contains(type)) {
                return rejected(read.number(), type, "type", "import.type", String.join(", ", TYPES.stream().sorted().toList()));
            }
            try {
                Saved<?> saved;
                String id;
                switch (type) {
                    case "site" -> {
                        requireRole(Roles.ORG_ADMIN);
                        SiteInput input = bind(line, SiteInput.class);
                        required(input.externalRef(), "externalRef");
                        Saved<org.harbour.site.SiteView> site = sites.upsert(input);
                        siteRefs.put(input.externalRef(), site.value().id());
                        saved = site;
                        id = site.value().id().toString();
                    }
                    case "offering" -> {
                        requireRole(Roles.ORG_ADMIN);
                        UUID site = siteOf(line, true);
                        String code = text(line.remove("serviceCode"));
                        required(code, "serviceCode");
                        if (Service.findByIdOptional(code).isEmpty()) {
                            throw reject("serviceCode", "field.unknown-service");
                        }
                        saved = offerings.put(site, code, bind(line, OfferingInput.class), null);
                        id = site + "/" + code;
                    }
                    case "visit" -> {
                        requireRole(Roles.ORG_ADMIN, Roles.REPORTER);
                        UUID site = siteOf(line, true);
                        LocalDate date = date(line.remove("date"));
                        saved = visits.put(site, date, bind(line, VisitDayInput.class), null);
                        id = site + "/" + date;
                    }
                    default -> {
                        requireRole(Roles.ORG_ADMIN, Roles.REPORTER);
                        UUID site = siteOf(line, false);
                        if (site != null) {
                            line.put("siteId", site.toString());
                        }
                        IncidentInput input = bind(line, IncidentInput.class);
                        required(input.externalRef(), "externalRef");
                        Saved<org.harbour.incident.IncidentView> incident = incidents.upsert(input);
                        saved = incident;
                        id = incident.value().id().toString();
                    }
                }
                return new ImportReport.Line(read.number(), type, ImportReport.Status.valueOf(saved.outcome().name()), id, null);
            } catch (Rejected e) {
                return new ImportReport.Line(read.number(), type, ImportReport.Status.REJECTED, null, e.errors);
            } catch (ProblemException e) {
                Problem problem = ProblemResponses.problem(locale, e);
                List<Problem.FieldError> errors = problem.errors() == null || problem.errors().isEmpty()
                        ? List.of(new Problem.FieldError(null, problem.detail()))
                        : problem.errors();
                return new ImportReport.Line(read.number(), type, ImportReport.Status.REJECTED, null, errors);
            }
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
            String id = text(line.remove("siteId"));
            String ref = text(line.remove("siteExternalRef"));
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
            String text = text(node);
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

        private Rejected reject(String field, String key, Object... args) {
            return new Rejected(List.of(new Problem.FieldError(field, Messages.get(locale, key, args))));
        }

        ImportReport.Line rejected(int number, String type, String field, String key, Object... args) {
            return new ImportReport.Line(number, type, ImportReport.Status.REJECTED, null,
                    List.of(new Problem.FieldError(field, Messages.get(locale, key, args))));
        }
    }

    private static String text(JsonNode node) {
        return node == null || node.isNull() ? null : node.asText();
    }
}
