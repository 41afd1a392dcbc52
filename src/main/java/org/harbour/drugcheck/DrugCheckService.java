package org.harbour.drugcheck;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
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
import org.harbour.offering.CheckingMethod;
import org.harbour.site.Site;
import org.harbour.tenancy.TenantContext;
import org.harbour.web.Cursors;
import org.harbour.web.Page;
import org.harbour.web.ProblemException;
import org.harbour.web.ProblemException.FieldErrorKey;
import org.harbour.web.Saved;

import io.quarkus.panache.common.Sort;

@ApplicationScoped
public class DrugCheckService {

    static final String ENTITY = "drug-check";
    private static final Set<CheckingMethod> STRIPS = Set.of(CheckingMethod.FENTANYL_TEST_STRIP,
            CheckingMethod.BENZODIAZEPINE_TEST_STRIP, CheckingMethod.XYLAZINE_TEST_STRIP);

    @Inject
    AuditLog audit;
    @Inject
    SubstancesOfConcern concerns;
    @Inject
    NetworkAlerts alerts;
    @Inject
    TenantContext tenant;

    public record Filter(UUID siteId, DrugCheckEnums.Expected expected, Instant from, Instant to) {
    }

    /**
     * Records a sample and raises the alerts of its substances of concern, in one transaction. A retry with a
     * stored externalRef meets the unique key and is answered with the stored sample by the caller.
     */
    @Transactional(dontRollbackOn = ProblemException.class)
    public Saved<DrugCheckView> create(DrugCheckInput input) {
        Site site = Site.<Site> findByIdOptional(input.siteId())
                .orElseThrow(() -> ProblemException.rule(new FieldErrorKey("siteId", "field.no-such-site")));
        check(input);
        DrugCheckSample sample = new DrugCheckSample();
        sample.externalRef = input.externalRef();
        sample.siteId = input.siteId();
        sample.takenAt = input.takenAt();
        sample.expected = input.expected();
        sample.sampleKind = input.sampleKind();
        sample.methods = input.methods().stream().map(Enum::name).sorted().toList();
        sample.results = List.copyOf(input.results());
        Set<DrugCheckEnums.Substance> found = concerns.in(input.expected(), input.results());
        sample.concerns = found.stream().map(Enum::name).toList();
        sample.persistAndFlush();
        String week = NetworkAlerts.isoWeek(LocalDate.ofInstant(input.takenAt(), ZoneId.of(site.timeZone)));
        alerts.raise(found, site.province, week, tenant.org().orElseThrow(), site.id);
        DrugCheckView view = DrugCheckView.of(sample);
        audit.record(AuditEntry.Action.CREATE, ENTITY, sample.id, null, view);
        return Saved.created(view, sample.version);
    }

    @Transactional
    public Optional<DrugCheckView> byExternalRef(String externalRef) {
        return DrugCheckSample.<DrugCheckSample> find("externalRef", externalRef).firstResultOptional().map(DrugCheckView::of);
    }

    @Transactional
    public DrugCheckView get(UUID id) {
        return DrugCheckView.of(DrugCheckSample.<DrugCheckSample> findByIdOptional(id).orElseThrow(ProblemException::notFound));
    }

    /** Newest first. */
    @Transactional
    public Page<DrugCheckView> list(Filter filter, int limit, String cursor) {
        StringBuilder query = new StringBuilder("1 = 1");
        Map<String, Object> params = new HashMap<>();
        if (filter.siteId() != null) {
            query.append(" and siteId = :site");
            params.put("site", filter.siteId());
        }
        if (filter.expected() != null) {
            query.append(" and expected = :expected");
            params.put("expected", filter.expected());
        }
        if (filter.from() != null) {
            query.append(" and takenAt >= :from");
            params.put("from", filter.from());
        }
        if (filter.to() != null) {
            query.append(" and takenAt < :to");
            params.put("to", filter.to());
        }
        if (cursor != null) {
            Cursors.After after = Cursors.newestFirst(cursor);
            query.append(" and (takenAt < :at or (takenAt = :at and id < :id))");
            params.put("at", after.at());
            params.put("id", after.id());
        }
        List<DrugCheckSample> rows = DrugCheckSample.<DrugCheckSample> find(query.toString(), Sort.descending("takenAt", "id"), params)
                .range(0, limit).list();
        return Page.of(rows, limit, DrugCheckView::of, s -> Cursors.newestFirstKey(s.takenAt, s.id));
    }

    private static void check(DrugCheckInput input) {
        List<FieldErrorKey> broken = new ArrayList<>();
        if (input.takenAt().isAfter(Instant.now().plusSeconds(300))) {
            broken.add(new FieldErrorKey("takenAt", "field.in-future"));
        }
        org.harbour.web.DateBounds.check(input.takenAt(), "takenAt", broken);
        for (int i = 0; i < input.results().size(); i++) {
            DrugCheckInput.Result r = input.results().get(i);
            String at = "results[" + i + "]";
            if (!input.methods().contains(r.method())) {
                broken.add(new FieldErrorKey(at + ".method", "field.method-not-used"));
            }
            boolean strip = STRIPS.contains(r.method());
            if (strip && r.stripResult() == null) {
                broken.add(new FieldErrorKey(at + ".stripResult", "field.strip-needs-result"));
            }
            if (!strip && r.stripResult() != null) {
                broken.add(new FieldErrorKey(at + ".stripResult", "field.strip-result-only-for-strips"));
            }
        }
        if (!broken.isEmpty()) {
            throw ProblemException.rule(broken.toArray(FieldErrorKey[]::new));
        }
    }
}
