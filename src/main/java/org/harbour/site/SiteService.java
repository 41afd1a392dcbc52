package org.harbour.site;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import org.harbour.audit.AuditEntry;
import org.harbour.audit.AuditLog;

import org.harbour.web.Cursors;
import org.harbour.web.ETags;
import org.harbour.web.Page;
import org.harbour.web.DateBounds;
import org.harbour.web.ProblemException;
import org.harbour.web.ProblemException.FieldErrorKey;
import org.harbour.web.Saved;

import io.quarkus.panache.common.Sort;

/** Sites of the current organization; Hibernate and row-level security keep every query inside it. */
@ApplicationScoped
public class SiteService {

    static final String ENTITY = "site";

    @Inject
    AuditLog audit;

    @Transactional
    public Saved<SiteView> create(SiteInput input) {
        check(input);
        if (input.externalRef() != null) {
            Site existing = Site.<Site> find("externalRef", input.externalRef()).firstResult();
            if (existing != null) {
                return new Saved<>(SiteView.of(existing), Saved.Outcome.UNCHANGED, existing.version);
            }
        }
        Site site = new Site();
        apply(site, input);
        site.persistAndFlush();
        SiteView view = SiteView.of(site);
        audit.record(AuditEntry.Action.CREATE, ENTITY, site.id, null, view);
        return Saved.created(view, site.version);
    }

    /** For imports: creates the site with this externalRef, or brings it to the input, or finds it already so. */
    @Transactional(dontRollbackOn = ProblemException.class)
    public Saved<SiteView> upsert(SiteInput input) {
        check(input);
        Site site = Site.<Site> find("externalRef", input.externalRef()).firstResult();
        if (site == null) {
            return create(input);
        }
        SiteView before = SiteView.of(site);
        apply(site, input);
        SiteView after = SiteView.of(site);
        if (!audit.changes(before, after).isEmpty()) {
            site.persistAndFlush();
            after = SiteView.of(site);
            audit.record(AuditEntry.Action.UPDATE, ENTITY, site.id, before, after);
            return new Saved<>(after, Saved.Outcome.UPDATED, site.version);
        }
        return new Saved<>(before, Saved.Outcome.UNCHANGED, site.version);
    }

    /** The site a concurrent create with the same externalRef stored, if that is why a create failed. */
    @Transactional
    public java.util.Optional<SiteView> byExternalRef(String externalRef) {
        return Site.<Site> find("externalRef", externalRef).firstResultOptional().map(SiteView::of);
    }

    @Transactional
    public SiteView get(UUID id) {
        return SiteView.of(find(id));
    }

    @Transactional
    public Page<SiteView> list(String province, SiteKind kind, SiteStatus status, String service, int limit, String cursor) {
        StringBuilder query = new StringBuilder("1 = 1");
        Map<String, Object> params = new HashMap<>();
        if (province != null) {
            query.append(" and province = :province");
            params.put("province", province);
        }
        if (kind != null) {
            query.append(" and kind = :kind");
            params.put("kind", kind);
        }
        if (status != null) {
            query.append(" and status = :status");
            params.put("status", status);
        }
        if (service != null) {
            query.append(" and id in (select o.siteId from Offering o where o.serviceCode = :service)");
            params.put("service", service);
        }
        if (cursor != null) {
            query.append(" and id > :after");
            params.put("after", Cursors.decode(cursor, UUID::fromString));
        }
        List<Site> rows = Site.<Site> find(query.toString(), Sort.by("id"), params).range(0, limit).list();
        return Page.of(rows, limit, SiteView::of, s -> s.id.toString());
    }

    @Transactional
    public SiteView update(UUID id, SiteInput input, String ifMatch) {
        Site site = find(id);
        ETags.check(ifMatch, site.version);
        check(input);
        if (input.externalRef() != null && !input.externalRef().equals(site.externalRef)
                && Site.count("externalRef = ?1 and id <> ?2", input.externalRef(), id) > 0) {
            throw ProblemException.conflict("problem.conflict.external-ref");
        }
        SiteView before = SiteView.of(site);
        apply(site, input);
        site.persistAndFlush();
        SiteView after = SiteView.of(site);
        audit.record(AuditEntry.Action.UPDATE, ENTITY, id, before, after);
        return after;
    }

    /** Closing keeps the site: visits and incidents refer to it. */
    @Transactional
    public SiteView close(UUID id, String ifMatch) {
        Site site = find(id);
        ETags.check(ifMatch, site.version);
        if (site.status != SiteStatus.CLOSED) {
            SiteView before = SiteView.of(site);
            site.status = SiteStatus.CLOSED;
            site.closedOn = LocalDate.now(ZoneId.of(site.timeZone));
            site.persistAndFlush();
            audit.record(AuditEntry.Action.CLOSE, ENTITY, id, before, SiteView.of(site));
        }
        return SiteView.of(site);
    }

    private static Site find(UUID id) {
        return Site.<Site> findByIdOptional(id).orElseThrow(ProblemException::notFound);
    }


    private static void check(SiteInput input) {
        // Region ids only: the database reads an offset such as "+05:00" or "UTC+5" the POSIX way (west of UTC),
        // so a site's local dates would differ between the API and its rollups.
        // SystemV/* ids are the JDK's own: the tz database PostgreSQL reads does not have them.
        if (!ZoneId.getAvailableZoneIds().contains(input.timeZone()) || input.timeZone().startsWith("SystemV/")) {
            throw new ProblemException(400, "validation", List.of(new FieldErrorKey("timeZone", "field.time-zone")),
                    "problem.validation.detail");
        }
        List<FieldErrorKey> broken = new ArrayList<>();
        SiteStatus status = input.status() == null ? SiteStatus.ACTIVE : input.status();
        DateBounds.check(input.openedOn(), "openedOn", broken);
        DateBounds.check(input.closedOn(), "closedOn", broken);
        if (input.exemption() != null) {
            DateBounds.check(input.exemption().issuedOn(), "exemption.issuedOn", broken);
            DateBounds.check(input.exemption().expiresOn(), "exemption.expiresOn", broken);
        }
        if (input.closedOn() != null && input.openedOn() != null && input.closedOn().isBefore(input.openedOn())) {
            broken.add(new FieldErrorKey("closedOn", "field.closed-before-opened"));
        }
        if (status == SiteStatus.CLOSED && input.closedOn() == null) {
            broken.add(new FieldErrorKey("closedOn", "field.status-closed-needs-date"));
        }
        if (status != SiteStatus.CLOSED && input.closedOn() != null) {
            broken.add(new FieldErrorKey("closedOn", "field.closed-on-needs-closed"));
        }
        if (input.exemption() != null && !input.exemption().expiresOn().isAfter(input.exemption().issuedOn())) {
            broken.add(new FieldErrorKey("exemption.expiresOn", "field.exemption-expiry"));
        }
        if (!broken.isEmpty()) {
            throw ProblemException.rule(broken.toArray(FieldErrorKey[]::new));
        }
    }

    private static void apply(Site site, SiteInput input) {
        site.externalRef = input.externalRef();
        site.name = input.name();
        site.kind = input.kind();
        site.model = input.model();
        site.address = input.address();
        site.city = input.city();
        site.province = input.province();
        site.healthRegion = input.healthRegion();
        site.timeZone = input.timeZone();
        site.booths = input.booths();
        site.openedOn = input.openedOn();
        site.closedOn = input.closedOn();
        site.status = input.status() == null ? SiteStatus.ACTIVE : input.status();
        site.exemptionNumber = input.exemption() == null ? null : input.exemption().number();
        site.exemptionIssuedOn = input.exemption() == null ? null : input.exemption().issuedOn();
        site.exemptionExpiresOn = input.exemption() == null ? null : input.exemption().expiresOn();
    }
}
