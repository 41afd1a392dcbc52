package org.harbour.incident;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import org.harbour.audit.AuditEntry;
import org.harbour.audit.AuditLog;
import org.harbour.incident.IncidentEnums.Kind;
import org.harbour.incident.IncidentEnums.Location;
import org.harbour.incident.IncidentEnums.Outcome;
import org.harbour.incident.IncidentEnums.Substance;
import org.harbour.site.Site;
import org.harbour.web.Cursors;
import org.harbour.web.ETags;
import org.harbour.web.Page;
import org.harbour.web.ProblemException;
import org.harbour.web.ProblemException.FieldErrorKey;
import org.harbour.web.Saved;

import io.quarkus.panache.common.Sort;

@ApplicationScoped
public class IncidentService {

    static final String ENTITY = "incident";
    /** The foreign key from an incident to its site (V5 migration). */
    private static final String SITE_KEY = "incident_org_id_site_id_fkey";
    /** Clocks of member systems drift: a little of the future is tolerated. */
    private static final Duration CLOCK_SKEW = Duration.ofMinutes(5);
    /** The fields whose emptiness can be explained. */
    static final Set<String> EXPLAINABLE = Set.of("substances", "mode", "outcome", "flailingInSmallSpace", "response.naloxoneDoses",
            "response.naloxoneRoute", "response.oxygen", "response.rescueBreathing", "response.bagValveMask",
            "response.peerNaloxoneBeforeStaff", "response.emsCalled", "response.emsAttended", "response.policeAttended");

    @Inject
    AuditLog audit;

    public record Filter(UUID siteId, Kind kind, Outcome outcome, Instant from, Instant to) {
    }

    /**
     * A new incident. The database answers what would otherwise cost a query each, on the hot path of
     * every member system: the site's foreign key says whether the site is the organization's, and the
     * unique externalRef says whether this is a retry (the resource then returns the stored incident).
     */
    @Transactional
    public Saved<IncidentView> create(IncidentInput raw) {
        IncidentInput input = IncidentMapping.canonical(raw);
        check(input, site -> true);
        Incident incident = new Incident();
        IncidentMapping.apply(incident, input);
        try {
            incident.persistAndFlush();
        } catch (org.hibernate.exception.ConstraintViolationException e) {
            if (SITE_KEY.equals(e.getConstraintName())) {
                throw ProblemException.rule(new FieldErrorKey("siteId", "field.no-such-site"));
            }
            throw e;
        }
        IncidentView view = IncidentView.of(incident);
        audit.record(AuditEntry.Action.CREATE, ENTITY, incident.id, null, view);
        return Saved.created(view, incident.version);
    }

    /**
     * For imports: creates, or brings the incident with this externalRef to the input, or finds it already so.
     * A broken rule leaves the importer's transaction usable: rules are checked before anything is written.
     */
    @Transactional(dontRollbackOn = ProblemException.class)
    public Saved<IncidentView> upsert(IncidentInput raw) {
        IncidentInput input = IncidentMapping.canonical(raw);
        Optional<Incident> existing = byRef(input.externalRef());
        if (existing.isEmpty()) {
            check(input, IncidentService::siteExists);
            Incident incident = new Incident();
            IncidentMapping.apply(incident, input);
            incident.persistAndFlush();
            IncidentView view = IncidentView.of(incident);
            audit.record(AuditEntry.Action.CREATE, ENTITY, incident.id, null, view);
            return Saved.created(view, incident.version);
        }
        return change(existing.get(), input, raw.correctionReason(), IncidentService::siteExists, true);
    }

    /**
     * For imports: {@link #upsert} for many incidents at once, in the caller's transaction, with one query for
     * the stored ones and one for their sites, and the inserts left to the flush, which batches them. Each
     * result is the line's {@link Saved}, or the {@link ProblemException} of its broken rule.
     */
    @Transactional(value = Transactional.TxType.MANDATORY, dontRollbackOn = ProblemException.class)
    public List<Object> upsertAll(List<IncidentInput> raws) {
        List<IncidentInput> inputs = raws.stream().map(IncidentMapping::canonical).toList();
        Set<String> refs = inputs.stream().map(IncidentInput::externalRef).collect(java.util.stream.Collectors.toSet());
        Map<String, Incident> stored = new HashMap<>();
        Incident.<Incident> list("externalRef in ?1", refs).forEach(i -> stored.put(i.externalRef, i));
        Set<UUID> siteIds = inputs.stream().map(IncidentInput::siteId).filter(java.util.Objects::nonNull)
                .collect(java.util.stream.Collectors.toSet());
        Set<UUID> sites = siteIds.isEmpty() ? Set.of()
                : Site.<Site> list("id in ?1", siteIds).stream().map(site -> site.id).collect(java.util.stream.Collectors.toSet());
        List<Object> results = new ArrayList<>(inputs.size());
        for (int i = 0; i < inputs.size(); i++) {
            IncidentInput input = inputs.get(i);
            try {
                Incident existing = stored.get(input.externalRef());
                if (existing == null) {
                    check(input, sites::contains);
                    Incident incident = new Incident();
                    IncidentMapping.apply(incident, input);
                    incident.persist();
                    stored.put(input.externalRef(), incident);
                    IncidentView view = IncidentView.of(incident);
                    audit.record(AuditEntry.Action.CREATE, ENTITY, incident.id, null, view);
                    results.add(Saved.created(view, incident.version));
                } else {
                    results.add(change(existing, input, raws.get(i).correctionReason(), sites::contains, false));
                }
            } catch (ProblemException e) {
                results.add(e);
            }
        }
        return results;
    }

    @Transactional
    public Saved<IncidentView> update(UUID id, IncidentInput raw, String ifMatch) {
        Incident incident = find(id);
        ETags.check(ifMatch, incident.version);
        IncidentInput input = IncidentMapping.canonical(raw);
        if (input.externalRef() != null && !input.externalRef().equals(incident.externalRef)
                && byRef(input.externalRef()).isPresent()) {
            throw ProblemException.conflict("problem.conflict.external-ref");
        }
        return change(incident, input, raw.correctionReason(), IncidentService::siteExists, true);
    }

    @Transactional
    public Optional<IncidentView> byExternalRef(String externalRef) {
        return byRef(externalRef).map(IncidentView::of);
    }

    @Transactional
    public IncidentView get(UUID id) {
        return IncidentView.of(find(id));
    }

    /** Newest first. */
    @Transactional
    public Page<IncidentView> list(Filter filter, int limit, String cursor) {
        StringBuilder query = new StringBuilder("1 = 1");
        Map<String, Object> params = new HashMap<>();
        if (filter.siteId() != null) {
            query.append(" and siteId = :site");
            params.put("site", filter.siteId());
        }
        if (filter.kind() != null) {
            query.append(" and kind = :kind");
            params.put("kind", filter.kind());
        }
        if (filter.outcome() != null) {
            query.append(" and outcome = :outcome");
            params.put("outcome", filter.outcome());
        }
        if (filter.from() != null) {
            query.append(" and occurredAt >= :from");
            params.put("from", filter.from());
        }
        if (filter.to() != null) {
            query.append(" and occurredAt < :to");
            params.put("to", filter.to());
        }
        if (cursor != null) {
            Cursors.After after = Cursors.newestFirst(cursor);
            query.append(" and (occurredAt < :at or (occurredAt = :at and id < :id))");
            params.put("at", after.at());
            params.put("id", after.id());
        }
        List<Incident> rows = Incident.<Incident> find(query.toString(), Sort.descending("occurredAt", "id"), params)
                .range(0, limit).list();
        return Page.of(rows, limit, IncidentView::of, i -> Cursors.newestFirstKey(i.occurredAt, i.id));
    }

    private Saved<IncidentView> change(Incident incident, IncidentInput input, String correctionReason,
            java.util.function.Predicate<UUID> siteExists, boolean flush) {
        if (IncidentMapping.toInput(incident).equals(input)) {
            return new Saved<>(IncidentView.of(incident), Saved.Outcome.UNCHANGED, incident.version);
        }
        check(input, siteExists);
        if (incident.outcome == Outcome.DEATH && input.outcome() != Outcome.DEATH) {
            if (correctionReason == null || correctionReason.isBlank()) {
                throw ProblemException.rule(new FieldErrorKey("correctionReason", "field.death-correction"));
            }
            incident.correctionReason = correctionReason;
        }
        IncidentView before = IncidentView.of(incident);
        IncidentMapping.apply(incident, input);
        if (flush) {
            incident.persistAndFlush();
        }
        IncidentView after = IncidentView.of(incident);
        audit.record(AuditEntry.Action.UPDATE, ENTITY, incident.id, before, after);
        return new Saved<>(after, Saved.Outcome.UPDATED, incident.version);
    }

    private static boolean siteExists(UUID siteId) {
        return Site.findByIdOptional(siteId).isPresent();
    }

    private static Optional<Incident> byRef(String externalRef) {
        return Incident.<Incident> find("externalRef", externalRef).firstResultOptional();
    }

    private static Incident find(UUID id) {
        return Incident.<Incident> findByIdOptional(id).orElseThrow(ProblemException::notFound);
    }

    /** The rules of DOMAIN.md; every broken one is named at once. */
    static void check(IncidentInput in, java.util.function.Predicate<UUID> siteExists) {
        List<FieldErrorKey> broken = new ArrayList<>();
        if (in.occurredAt().isAfter(Instant.now().plus(CLOCK_SKEW))) {
            broken.add(new FieldErrorKey("occurredAt", "field.in-future"));
        }
        org.harbour.web.DateBounds.check(in.occurredAt(), "occurredAt", broken);
        if (in.siteId() == null && in.location() != Location.OUTREACH) {
            broken.add(new FieldErrorKey("siteId", "field.site-or-outreach"));
        }
        if (in.siteId() != null && !siteExists.test(in.siteId())) {
            broken.add(new FieldErrorKey("siteId", "field.no-such-site"));
        }
        if (in.kind() == Kind.OVERDOSE) {
            if (in.mode() == null) {
                broken.add(new FieldErrorKey("mode", "field.overdose-mode"));
            }
            if (in.substances() == null) {
                broken.add(new FieldErrorKey("substances", "field.overdose-substances"));
            }
        }
        if (in.substances() != null && in.substances().contains(Substance.UNKNOWN) && in.substances().size() > 1) {
            broken.add(new FieldErrorKey("substances", "field.unknown-alone"));
        }
        if (in.emptyReasons() != null) {
            for (String field : in.emptyReasons().keySet()) {
                if (!EXPLAINABLE.contains(field)) {
                    broken.add(new FieldErrorKey("emptyReasons." + field, "field.not-explainable"));
                } else if (valueOf(in, field) != null) {
                    broken.add(new FieldErrorKey("emptyReasons." + field, "field.reason-for-a-value"));
                }
            }
        }
        IncidentInput.Debrief debrief = in.debrief();
        if (debrief != null && debrief.held()) {
            if (debrief.heldAt() == null) {
                broken.add(new FieldErrorKey("debrief.heldAt", "field.debrief-when"));
            } else if (debrief.heldAt().isBefore(in.occurredAt())) {
                broken.add(new FieldErrorKey("debrief.heldAt", "field.debrief-before-incident"));
            }
            if (debrief.kind() == null) {
                broken.add(new FieldErrorKey("debrief.kind", "field.debrief-kind"));
            }
        } else if (debrief != null && (debrief.heldAt() != null || debrief.kind() != null)) {
            broken.add(new FieldErrorKey("debrief.held", "field.debrief-not-held"));
        }
        if (!broken.isEmpty()) {
            throw ProblemException.rule(broken.toArray(FieldErrorKey[]::new));
        }
    }

    private static Object valueOf(IncidentInput in, String field) {
        IncidentInput.Response r = in.response();
        return switch (field) {
            case "substances" -> in.substances();
            case "mode" -> in.mode();
            case "outcome" -> in.outcome();
            case "flailingInSmallSpace" -> in.flailingInSmallSpace();
            case "response.naloxoneDoses" -> r == null ? null : r.naloxoneDoses();
            case "response.naloxoneRoute" -> r == null ? null : r.naloxoneRoute();
            case "response.oxygen" -> r == null ? null : r.oxygen();
            case "response.rescueBreathing" -> r == null ? null : r.rescueBreathing();
            case "response.bagValveMask" -> r == null ? null : r.bagValveMask();
            case "response.peerNaloxoneBeforeStaff" -> r == null ? null : r.peerNaloxoneBeforeStaff();
            case "response.emsCalled" -> r == null ? null : r.emsCalled();
            case "response.emsAttended" -> r == null ? null : r.emsAttended();
            case "response.policeAttended" -> r == null ? null : r.policeAttended();
            default -> null;
        };
    }
}
