package org.harbour.research;

import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.harbour.web.Cursors;
import org.harbour.web.Page;
import org.harbour.web.ProblemException;

import io.quarkus.panache.common.Sort;

/** The network administrator's side of research: approving projects, suspending them, rotating their keys. */
@ApplicationScoped
public class ResearchProjects {

    static final int MAX_WINDOW_YEARS = 10;

    @Inject
    ProjectKeys keys;
    @Inject
    ResearchAudit audit;
    @Inject
    JsonWebToken token;

    @ConfigProperty(name = "harbour.network.time-zone")
    ZoneId zone;

    LocalDate today() {
        return LocalDate.now(zone);
    }

    /** The caller's subject: what a project lists as its researchers and what the audit records. */
    String subject() {
        String sub = token.getSubject();
        return sub == null ? "" : sub;
    }

    @Transactional
    public ResearchProjectView create(ResearchProjectInput input) {
        ResearchProject p = new ResearchProject();
        p.id = UUID.randomUUID();
        p.title = input.title();
        p.purpose = input.purpose();
        p.researchers = input.researchers().stream().distinct().toList();
        p.datasets = input.datasets().stream().distinct().toList();
        p.fromMonth = YearMonth.parse(input.from()).atDay(1);
        p.toMonth = YearMonth.parse(input.to()).atDay(1);
        List<ProblemException.FieldErrorKey> broken = new java.util.ArrayList<>();
        org.harbour.web.DateBounds.check(p.fromMonth, "from", broken);
        org.harbour.web.DateBounds.check(p.toMonth, "to", broken);
        org.harbour.web.DateBounds.check(input.expiresOn(), "expiresOn", broken);
        if (!broken.isEmpty()) {
            throw ProblemException.rule(broken.toArray(ProblemException.FieldErrorKey[]::new));
        }
        if (p.toMonth.isBefore(p.fromMonth)) {
            throw ProblemException.rule(new ProblemException.FieldErrorKey("to", "field.research.to-before-from"));
        }
        YearMonth from = YearMonth.from(p.fromMonth);
        // Jobs count every site-week of the window: ten years at most.
        if (from.plusYears(MAX_WINDOW_YEARS).isBefore(YearMonth.from(p.toMonth).plusMonths(1))) {
            throw ProblemException.rule(new ProblemException.FieldErrorKey("to", "field.research.window-too-long", MAX_WINDOW_YEARS));
        }
        if (!Windows.quarterAligned(from, YearMonth.from(p.toMonth))) {
            throw ProblemException.rule(new ProblemException.FieldErrorKey(Windows.startsQuarter(from) ? "to" : "from",
                    "field.research.quarter-aligned"));
        }
        // A summary table over the same incidents as a row-level file would count the rows the file suppressed.
        if (p.datasets.contains(Dataset.SUMMARY.wire) && p.datasets.contains(Dataset.INCIDENTS.wire)) {
            throw ProblemException.rule(new ProblemException.FieldErrorKey("datasets", "field.research.summary-with-incidents"));
        }
        if (input.expiresOn().isBefore(today())) {
            throw ProblemException.rule(new ProblemException.FieldErrorKey("expiresOn", "field.research.expired"));
        }
        p.k = input.k() == null ? 10 : input.k();
        p.expiresOn = input.expiresOn();
        p.keepSiteIdentity = Boolean.TRUE.equals(input.keepSiteIdentity());
        p.status = ResearchProject.Status.ACTIVE;
        p.keyCiphertext = keys.newSecret();
        p.keyRotatedAt = java.time.Instant.now();
        p.persistAndFlush();
        audit.record(p.id, null, subject(), ResearchAuditEntry.Action.PROJECT_CREATED,
                Map.of("title", p.title, "researchers", p.researchers, "datasets", p.datasets, "k", p.k,
                        "expiresOn", p.expiresOn.toString(), "keepSiteIdentity", p.keepSiteIdentity));
        return ResearchProjectView.of(p, today());
    }

    @Transactional
    public ResearchProjectView get(UUID id) {
        return ResearchProjectView.of(find(id), today());
    }

    @Transactional
    public Page<ResearchProjectView> list(int limit, String cursor) {
        List<ResearchProject> rows = cursor == null
                ? ResearchProject.<ResearchProject> findAll(Sort.by("id")).range(0, limit).list()
                : ResearchProject.<ResearchProject> find("id > ?1", Sort.by("id"), Cursors.decode(cursor, UUID::fromString))
                        .range(0, limit).list();
        LocalDate today = today();
        return Page.of(rows, limit, p -> ResearchProjectView.of(p, today), p -> p.id.toString());
    }

    @Transactional
    public ResearchProjectView setStatus(UUID id, ResearchProject.Status status) {
        ResearchProject p = find(id);
        if (p.status != status) {
            p.status = status;
            p.persistAndFlush();
            audit.record(p.id, null, subject(), status == ResearchProject.Status.SUSPENDED
                    ? ResearchAuditEntry.Action.PROJECT_SUSPENDED : ResearchAuditEntry.Action.PROJECT_REACTIVATED, null);
        }
        return ResearchProjectView.of(p, today());
    }

    /** A new secret: every pseudonym of the project changes; files already made keep the old ones. */
    @Transactional
    public ResearchProjectView rotateKey(UUID id) {
        ResearchProject p = find(id);
        p.keyCiphertext = keys.newSecret();
        p.keyRotatedAt = java.time.Instant.now();
        p.persistAndFlush();
        audit.record(p.id, null, subject(), ResearchAuditEntry.Action.KEY_ROTATED, null);
        return ResearchProjectView.of(p, today());
    }

    @Transactional
    public Page<ResearchAuditView> audit(UUID id, int limit, String cursor) {
        find(id);
        List<ResearchAuditEntry> rows = cursor == null
                ? ResearchAuditEntry.<ResearchAuditEntry> find("projectId", Sort.descending("id"), id).range(0, limit).list()
                : ResearchAuditEntry.<ResearchAuditEntry> find("projectId = ?1 and id < ?2", Sort.descending("id"), id,
                        Cursors.decode(cursor, Long::valueOf)).range(0, limit).list();
        return Page.of(rows, limit, ResearchAuditView::of, e -> e.id.toString());
    }

    /** The projects the caller belongs to. */
    @Transactional
    public List<ResearchProjectView> mine() {
        LocalDate today = today();
        return ResearchProject.<ResearchProject> find("array_contains(researchers, ?1)", Sort.by("id"), subject()).range(0, 200).stream()
                .map(p -> ResearchProjectView.of(p, today)).toList();
    }

    /** A project the caller belongs to; any other is answered 404, as if it did not exist. */
    @Transactional(Transactional.TxType.MANDATORY)
    ResearchProject member(UUID id) {
        ResearchProject p = ResearchProject.findById(id);
        if (p == null || !p.researchers.contains(subject())) {
            throw ProblemException.notFound();
        }
        return p;
    }

    /** Suspended or expired: 403 with the reason. */
    void requireOpen(ResearchProject p) {
        if (p.status == ResearchProject.Status.SUSPENDED) {
            throw new ProblemException(403, "project-closed", "problem.project-closed.suspended");
        }
        if (p.expired(today())) {
            throw new ProblemException(403, "project-closed", "problem.project-closed.expired", p.expiresOn.toString());
        }
    }

    private static ResearchProject find(UUID id) {
        return ResearchProject.<ResearchProject> findByIdOptional(id).orElseThrow(ProblemException::notFound);
    }
}
