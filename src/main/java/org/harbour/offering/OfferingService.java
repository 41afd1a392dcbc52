package org.harbour.offering;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import org.harbour.audit.AuditEntry;
import org.harbour.audit.AuditLog;
import org.harbour.site.Site;
import org.harbour.site.SiteStatus;
import org.harbour.web.ETags;
import org.harbour.web.ProblemException;
import org.harbour.web.ProblemException.FieldErrorKey;
import org.harbour.web.Saved;

import io.quarkus.panache.common.Sort;

@ApplicationScoped
public class OfferingService {

    static final String ENTITY = "offering";

    @Inject
    AuditLog audit;

    public record OpenSlot(String serviceCode, ScheduleSlot slot) {
    }

    public record OpenSite(UUID siteId, String name, String city, String province, String timeZone, LocalDateTime localTime,
            List<OpenSlot> open) {
    }

    @Transactional
    public List<OfferingView> list(UUID siteId) {
        site(siteId);
        return Offering.<Offering> list("siteId", Sort.by("serviceCode"), siteId).stream().map(OfferingView::of).toList();
    }

    @Transactional
    public OfferingView get(UUID siteId, String code) {
        site(siteId);
        return OfferingView.of(find(siteId, code));
    }

    /** Also used by imports: rules are checked before any write, so a broken one leaves the transaction usable. */
    @Transactional(dontRollbackOn = ProblemException.class)
    public Saved<OfferingView> put(UUID siteId, String code, OfferingInput input, String ifMatch) {
        site(siteId);
        if (Service.findByIdOptional(code).isEmpty()) {
            throw ProblemException.notFound();
        }
        check(input);
        Offering offering = Offering.<Offering> findByIdOptional(new Offering.Key(siteId, code)).orElse(null);
        boolean isNew = offering == null;
        OfferingView before = null;
        if (isNew) {
            offering = new Offering();
            offering.siteId = siteId;
            offering.serviceCode = code;
        } else {
            ETags.check(ifMatch, offering.version);
            if (offering.schedule.equals(input.schedule()) && java.util.Objects.equals(offering.notes, input.notes())) {
                return new Saved<>(OfferingView.of(offering), Saved.Outcome.UNCHANGED, offering.version);
            }
            before = OfferingView.of(offering);
        }
        offering.schedule = List.copyOf(input.schedule());
        offering.notes = input.notes();
        offering.persistAndFlush();
        OfferingView after = OfferingView.of(offering);
        audit.record(isNew ? AuditEntry.Action.CREATE : AuditEntry.Action.UPDATE, ENTITY, siteId + "/" + code, before, after);
        return new Saved<>(after, isNew ? Saved.Outcome.CREATED : Saved.Outcome.UPDATED, offering.version);
    }

    @Transactional
    public void delete(UUID siteId, String code, String ifMatch) {
        site(siteId);
        Offering offering = find(siteId, code);
        ETags.check(ifMatch, offering.version);
        OfferingView before = OfferingView.of(offering);
        offering.delete();
        audit.record(AuditEntry.Action.DELETE, ENTITY, siteId + "/" + code, before, null);
    }

    /**
     * The organization's active sites open at an instant for an audience, each judged in its own time zone,
     * so that daylight-saving changes and the six Canadian zones need nothing special.
     *
     * @param dedicated only slots for exactly that audience (women-only hours, not hours open to all)
     */
    @Transactional
    public List<OpenSite> openAt(Instant at, Audience audience, boolean dedicated, String serviceCode) {
        Map<UUID, Site> sites = new LinkedHashMap<>();
        for (Site site : Site.<Site> list("status", Sort.by("name").and("id"), SiteStatus.ACTIVE)) {
            sites.put(site.id, site);
        }
        Map<UUID, List<OpenSlot>> open = new LinkedHashMap<>();
        List<Offering> offerings = serviceCode == null ? Offering.listAll() : Offering.list("serviceCode", serviceCode);
        for (Offering offering : offerings) {
            Site site = sites.get(offering.siteId);
            if (site == null) {
                continue;
            }
            LocalDateTime local = LocalDateTime.ofInstant(at, ZoneId.of(site.timeZone));
            for (ScheduleSlot slot : offering.schedule) {
                boolean forThem = audience == null
                        || (dedicated ? slot.audienceOrAll() == audience : slot.audienceOrAll().serves(audience));
                if (forThem && slot.isOpen(local)) {
                    open.computeIfAbsent(site.id, id -> new ArrayList<>()).add(new OpenSlot(offering.serviceCode, slot));
                }
            }
        }
        List<OpenSite> result = new ArrayList<>();
        for (Site site : sites.values()) {
            List<OpenSlot> slots = open.get(site.id);
            if (slots != null) {
                result.add(new OpenSite(site.id, site.name, site.city, site.province, site.timeZone,
                        LocalDateTime.ofInstant(at, ZoneId.of(site.timeZone)), slots));
            }
        }
        return result;
    }

    private static void site(UUID siteId) {
        if (Site.findByIdOptional(siteId).isEmpty()) {
            throw ProblemException.notFound();
        }
    }

    private static Offering find(UUID siteId, String code) {
        return Offering.<Offering> findByIdOptional(new Offering.Key(siteId, code)).orElseThrow(ProblemException::notFound);
    }

    private static void check(OfferingInput input) {
        List<FieldErrorKey> broken = new ArrayList<>();
        for (int i = 0; i < input.schedule().size(); i++) {
            ScheduleSlot slot = input.schedule().get(i);
            String at = "schedule[" + i + "]";
            if (slot.allDay() && (slot.opens() != null || slot.closes() != null)) {
                broken.add(new FieldErrorKey(at + ".allDay", "field.slot-all-day-no-times"));
            } else if (!slot.allDay() && (slot.opens() == null || slot.closes() == null)) {
                broken.add(new FieldErrorKey(at + ".opens", "field.slot-needs-times"));
            } else if (!slot.allDay() && slot.opens().equals(slot.closes())) {
                broken.add(new FieldErrorKey(at + ".closes", "field.slot-empty"));
            }
        }
        if (!broken.isEmpty()) {
            throw ProblemException.rule(broken.toArray(FieldErrorKey[]::new));
        }
    }
}
