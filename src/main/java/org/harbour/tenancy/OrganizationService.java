package org.harbour.tenancy;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.harbour.audit.AuditLog;
import org.harbour.cluster.ClusterNotices;
import org.harbour.audit.NetworkAuditEntry;
import org.harbour.web.Cursors;
import org.harbour.web.ETags;
import org.harbour.web.Page;
import org.harbour.web.ProblemException;
import org.harbour.web.PublicUrls;

import io.quarkus.panache.common.Sort;

/** The organization registry's rules: unique slugs, one organization per issuer, immutable slug. */
@ApplicationScoped
public class OrganizationService {

    private static final String ENTITY = "organization";

    @Inject
    AuditLog audit;
    @Inject
    ClusterNotices notices;

    @ConfigProperty(name = "harbour.network.issuer")
    String networkIssuer;

    /** Development and tests run their identity provider on this machine, over plain http. */
    @ConfigProperty(name = "harbour.registry.allow-loopback-issuers", defaultValue = "false")
    boolean allowLoopbackIssuers;

    @Transactional
    public OrganizationView create(OrganizationInput input) {
        if (Organization.findByIdOptional(input.slug()).isPresent()) {
            throw ProblemException.conflict("problem.conflict.slug");
        }
        Organization org = new Organization();
        org.slug = input.slug();
        apply(org, input);
        org.persistAndFlush();
        OrganizationView created = OrganizationView.of(org);
        audit.recordNetwork(NetworkAuditEntry.Action.CREATE, ENTITY, org.slug, null, created);
        notices.publish(ClusterNotices.Channel.REGISTRY, org.slug);
        return created;
    }

    @Transactional
    public OrganizationView get(String slug) {
        return OrganizationView.of(find(slug));
    }

    @Transactional
    public Page<OrganizationView> list(OrganizationStatus status, int limit, String cursor) {
        StringBuilder query = new StringBuilder("1 = 1");
        java.util.Map<String, Object> params = new java.util.HashMap<>();
        if (status != null) {
            query.append(" and status = :status");
            params.put("status", status);
        }
        if (cursor != null) {
            query.append(" and slug > :after");
            params.put("after", Cursors.decode(cursor));
        }
        List<Organization> rows = Organization.<Organization> find(query.toString(), Sort.by("slug"), params)
                .range(0, limit).list();
        return Page.of(rows, limit, OrganizationView::of, o -> o.slug);
    }

    @Transactional
    public OrganizationView update(String slug, OrganizationInput input, String ifMatch) {
        Organization org = find(slug);
        ETags.check(ifMatch, org.version);
        if (!slug.equals(input.slug())) {
            throw ProblemException.rule(new ProblemException.FieldErrorKey("slug", "field.slug-immutable"));
        }
        OrganizationView before = OrganizationView.of(org);
        apply(org, input);
        org.persistAndFlush();
        OrganizationView after = OrganizationView.of(org);
        audit.recordNetwork(NetworkAuditEntry.Action.UPDATE, ENTITY, slug, before, after);
        notices.publish(ClusterNotices.Channel.REGISTRY, org.slug);
        return after;
    }

    @Transactional
    public OrganizationView setStatus(String slug, OrganizationStatus status) {
        Organization org = find(slug);
        OrganizationView before = OrganizationView.of(org);
        org.status = status;
        org.persistAndFlush();
        OrganizationView after = OrganizationView.of(org);
        audit.recordNetwork(status == OrganizationStatus.ACTIVE ? NetworkAuditEntry.Action.REACTIVATE
                : NetworkAuditEntry.Action.SUSPEND, ENTITY, slug, before, after);
        notices.publish(ClusterNotices.Channel.REGISTRY, org.slug);
        return after;
    }

    private void apply(Organization org, OrganizationInput input) {
        // The service fetches discovery and keys from the issuer: it must be a public https address, and never
        // the network realm, whose tokens carry network roles.
        java.net.URI issuer = PublicUrls.check(input.issuer(), "issuer", allowLoopbackIssuers);
        if (issuer.getRawQuery() != null || issuer.getRawFragment() != null) {
            throw ProblemException.rule(new ProblemException.FieldErrorKey("issuer", "field.public-url"));
        }
        if (comparable(issuer).equals(comparable(java.net.URI.create(networkIssuer)))) {
            throw ProblemException.rule(new ProblemException.FieldErrorKey("issuer", "field.issuer-network"));
        }
        boolean issuerTaken = Organization.count("issuer = ?1 and slug <> ?2", input.issuer(), org.slug) > 0;
        if (issuerTaken) {
            throw ProblemException.conflict("problem.conflict.issuer");
        }
        org.legalNameEn = input.legalNameEn();
        org.legalNameFr = input.legalNameFr();
        org.provinces = List.copyOf(input.provinces());
        org.issuer = input.issuer();
        org.audience = input.audience();
        org.status = input.status() == null ? OrganizationStatus.ACTIVE : input.status();
    }

    /** An issuer as it compares: scheme and host in lower case, the default port dropped, the path normalized. */
    private static String comparable(java.net.URI uri) {
        java.net.URI normal = uri.normalize();
        int port = normal.getPort() == -1 || normal.getPort() == ("https".equalsIgnoreCase(normal.getScheme()) ? 443 : 80)
                ? -1 : normal.getPort();
        String path = normal.getRawPath() == null ? "" : normal.getRawPath().replaceAll("/+$", "");
        return normal.getScheme().toLowerCase(java.util.Locale.ROOT) + "://" + normal.getHost().toLowerCase(java.util.Locale.ROOT)
                + (port == -1 ? "" : ":" + port) + path;
    }

    private static Organization find(String slug) {
        return Organization.<Organization> findByIdOptional(slug).orElseThrow(ProblemException::notFound);
    }
}
