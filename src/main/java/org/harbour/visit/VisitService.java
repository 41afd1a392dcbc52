package org.harbour.visit;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import org.harbour.audit.AuditEntry;
import org.harbour.audit.AuditLog;
import org.harbour.offering.Service;
import org.harbour.site.Site;
import org.harbour.web.Cursors;
import org.harbour.web.ETags;
import org.harbour.web.Page;
import org.harbour.web.ProblemException;
import org.harbour.web.ProblemException.FieldErrorKey;
import org.harbour.web.Saved;

import io.quarkus.panache.common.Sort;

@ApplicationScoped
public class VisitService {

    static final String ENTITY = "visit-day";

    @Inject
    AuditLog audit;

    /** Records the day's figures, replacing what was there; the same figures again change nothing. */
    @Transactional(dontRollbackOn = ProblemException.class)
    public Saved<VisitDayView> put(UUID siteId, LocalDate date, VisitDayInput input, String ifMatch) {
        Site site = Site.<Site> findByIdOptional(siteId).orElseThrow(ProblemException::notFound);
        check(site, date, input);
        VisitDay day = VisitDay.<VisitDay> findByIdOptional(new VisitDay.Key(siteId, date)).orElse(null);
        if (day == null) {
            return write(newDay(siteId, date), true, input, true);
        }
        ETags.check(ifMatch, day.version);
        return write(day, false, input, true);
    }

    /** One day of a bulk import. */
    public record Day(UUID siteId, LocalDate date, VisitDayInput input) {
    }

    /**
     * For imports: {@link #put} for many days at once, in the caller's transaction, with one query for their
     * sites and one per site for its stored days, and the inserts left to the flush, which batches them (a
     * flush per day made an import of visit days eight times slower than one of incidents). A site's stored
     * days are read by range only when the range is at most four times its days in the batch, so that a
     * batch never loads more than that; otherwise day by day. Each result is the day's {@link Saved}, or the
     * {@link ProblemException} of its broken rule.
     */
    @Transactional(value = Transactional.TxType.MANDATORY, dontRollbackOn = ProblemException.class)
    public List<Object> putAll(List<Day> days) {
        Map<UUID, List<Day>> bySite = days.stream().collect(java.util.stream.Collectors.groupingBy(Day::siteId));
        Map<UUID, Site> sites = new HashMap<>();
        Site.<Site> list("id in ?1", bySite.keySet()).forEach(site -> sites.put(site.id, site));
        Map<VisitDay.Key, VisitDay> stored = new HashMap<>();
        Set<UUID> rangeRead = new HashSet<>();
        bySite.forEach((site, its) -> {
            LocalDate first = its.stream().map(Day::date).min(LocalDate::compareTo).orElseThrow();
            LocalDate last = its.stream().map(Day::date).max(LocalDate::compareTo).orElseThrow();
            if (sites.containsKey(site) && java.time.temporal.ChronoUnit.DAYS.between(first, last) < 4L * its.size()) {
                VisitDay.<VisitDay> list("siteId = ?1 and day between ?2 and ?3", site, first, last)
                        .forEach(d -> stored.put(new VisitDay.Key(d.siteId, d.day), d));
                rangeRead.add(site);
            }
        });
        List<Object> results = new ArrayList<>(days.size());
        for (Day d : days) {
            try {
                Site site = sites.get(d.siteId());
                if (site == null) {
                    throw ProblemException.notFound();
                }
                check(site, d.date(), d.input());
                VisitDay.Key key = new VisitDay.Key(d.siteId(), d.date());
                VisitDay day = rangeRead.contains(d.siteId()) ? stored.get(key)
                        : stored.computeIfAbsent(key, k -> VisitDay.<VisitDay> findByIdOptional(k).orElse(null));
                boolean created = day == null;
                if (created) {
                    day = newDay(d.siteId(), d.date());
                    stored.put(key, day);
                }
                results.add(write(day, created, d.input(), false));
            } catch (ProblemException e) {
                results.add(e);
            }
        }
        return results;
    }

    private static VisitDay newDay(UUID siteId, LocalDate date) {
        VisitDay day = new VisitDay();
        day.siteId = siteId;
        day.day = date;
        return day;
    }

    /**
     * Writes the figures over DAY ({@code created}: not stored yet) with its audit entry. FLUSH: now, so that
     * the answer carries the stored version; an import leaves it to the batched flush.
     */
    private Saved<VisitDayView> write(VisitDay day, boolean created, VisitDayInput input, boolean flush) {
        String key = key(day.siteId, day.day);
        if (created) {
            day.set(input);
            if (flush) {
                day.persistAndFlush();
            } else {
                day.persist();
            }
            VisitDayView view = VisitDayView.of(day);
            audit.record(AuditEntry.Action.CREATE, ENTITY, key, null, view);
            return Saved.created(view, day.version);
        }
        if (day.figures().equals(input)) {
            return new Saved<>(VisitDayView.of(day), Saved.Outcome.UNCHANGED, day.version);
        }
        VisitDayView before = VisitDayView.of(day);
        day.set(input);
        if (flush) {
            day.persistAndFlush();
        }
        VisitDayView after = VisitDayView.of(day);
        audit.record(AuditEntry.Action.UPDATE, ENTITY, key, before, after);
        return new Saved<>(after, Saved.Outcome.UPDATED, day.version);
    }

    @Transactional
    public VisitDayView get(UUID siteId, LocalDate date) {
        return VisitDayView.of(find(siteId, date));
    }

    @Transactional
    public Page<VisitDayView> list(UUID siteId, LocalDate from, LocalDate to, int limit, String cursor) {
        Site.<Site> findByIdOptional(siteId).orElseThrow(ProblemException::notFound);
        StringBuilder query = new StringBuilder("siteId = :site");
        Map<String, Object> params = new HashMap<>();
        params.put("site", siteId);
        if (from != null) {
            query.append(" and day >= :from");
            params.put("from", from);
        }
        if (to != null) {
            query.append(" and day <= :to");
            params.put("to", to);
        }
        if (cursor != null) {
            query.append(" and day > :after");
            params.put("after", Cursors.decode(cursor, LocalDate::parse));
        }
        List<VisitDay> rows = VisitDay.<VisitDay> find(query.toString(), Sort.by("day"), params).range(0, limit).list();
        return Page.of(rows, limit, VisitDayView::of, v -> v.day.toString());
    }

    @Transactional
    public void delete(UUID siteId, LocalDate date, String ifMatch) {
        VisitDay day = find(siteId, date);
        ETags.check(ifMatch, day.version);
        VisitDayView before = VisitDayView.of(day);
        day.delete();
        audit.record(AuditEntry.Action.DELETE, ENTITY, key(siteId, date), before, null);
    }

    private static VisitDay find(UUID siteId, LocalDate date) {
        return VisitDay.<VisitDay> findByIdOptional(new VisitDay.Key(siteId, date)).orElseThrow(ProblemException::notFound);
    }

    private static String key(UUID siteId, LocalDate date) {
        return siteId + "/" + date;
    }

    private static void check(Site site, LocalDate date, VisitDayInput in) {
        List<FieldErrorKey> broken = new ArrayList<>();
        LocalDate today = LocalDate.now(ZoneId.of(site.timeZone));
        if (date.isAfter(today)) {
            broken.add(new FieldErrorKey("date", "field.visit-future", today));
        }
        org.harbour.web.DateBounds.check(date, "date", broken);
        if (site.openedOn != null && date.isBefore(site.openedOn)) {
            broken.add(new FieldErrorKey("date", "field.visit-before-opened", site.openedOn));
        }
        int visits = in.visits();
        if (in.uniqueClients() != null && in.uniqueClients() > visits) {
            broken.add(new FieldErrorKey("uniqueClients", "field.more-than-visits"));
        }
        if (in.byMode() != null && in.byMode().total() > visits) {
            broken.add(new FieldErrorKey("byMode", "field.parts-exceed-visits"));
        }
        if (in.bySubstance() != null && in.bySubstance().largest() > visits) {
            broken.add(new FieldErrorKey("bySubstance", "field.more-than-visits"));
        }
        if (in.byGender() != null && in.byGender().total() > visits) {
            broken.add(new FieldErrorKey("byGender", "field.parts-exceed-visits"));
        }
        if (in.byAgeBand() != null && in.byAgeBand().total() > visits) {
            broken.add(new FieldErrorKey("byAgeBand", "field.parts-exceed-visits"));
        }
        if (in.servicesProvided() != null) {
            // One query for all the codes (at most 100, by validation), not one per code.
            java.util.Set<String> known = Service.<Service> list("code in ?1", in.servicesProvided().keySet()).stream()
                    .map(s -> s.code).collect(java.util.stream.Collectors.toSet());
            for (String code : in.servicesProvided().keySet()) {
                if (!known.contains(code)) {
                    broken.add(new FieldErrorKey("servicesProvided." + code, "field.unknown-service"));
                }
            }
        }
        if (!broken.isEmpty()) {
            throw ProblemException.rule(broken.toArray(FieldErrorKey[]::new));
        }
    }
}
