package org.harbour.research;

import java.time.YearMonth;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.harbour.web.Messages;
import org.harbour.web.ProblemException;
import org.harbour.web.ProblemException.FieldErrorKey;

/** A researcher's side: asking for extracts of their projects, following them, and reading what they made. */
@ApplicationScoped
public class ExtractJobs {

    @Inject
    ResearchProjects projects;
    @Inject
    ResearchAudit audit;

    /** Jobs a researcher may have waiting or running in a project at once. */
    @ConfigProperty(name = "harbour.research.pending-per-researcher", defaultValue = "3")
    int pendingLimit;

    /** Extracts a researcher may ask for in a project in 24 hours. */
    @ConfigProperty(name = "harbour.research.extracts-per-day", defaultValue = "20")
    int dailyLimit;

    @Transactional
    public ExtractView request(UUID projectId, ExtractRequest input, Locale locale) {
        ResearchProject p = projects.member(projectId);
        projects.requireOpen(p);
        // Requests of one project one at a time, so that the count of pending jobs below cannot be raced past.
        ResearchProject.getEntityManager().lock(p, jakarta.persistence.LockModeType.PESSIMISTIC_WRITE);
        Dataset dataset = Dataset.of(input.dataset()).orElseThrow();
        if (!p.datasets.contains(dataset.wire)) {
            throw ProblemException.rule(new FieldErrorKey("dataset", "field.research.dataset-not-approved"));
        }
        YearMonth from = YearMonth.parse(input.from());
        YearMonth to = YearMonth.parse(input.to());
        if (to.isBefore(from)) {
            throw ProblemException.rule(new FieldErrorKey("to", "field.research.to-before-from"));
        }
        YearMonth first = YearMonth.from(p.fromMonth);
        YearMonth last = YearMonth.from(p.toMonth);
        if (from.isBefore(first) || to.isAfter(last)) {
            throw ProblemException.rule(new FieldErrorKey(from.isBefore(first) ? "from" : "to", "field.research.outside-window",
                    first.toString(), last.toString()));
        }
        if (!Windows.quarterAligned(from, to)) {
            throw ProblemException.rule(new FieldErrorKey(Windows.startsQuarter(from) ? "to" : "from", "field.research.quarter-aligned"));
        }
        String grain = input.grain() == null ? "month" : input.grain();
        if (dataset == Dataset.RESILIENCY && !"month".equals(grain)) {
            throw ProblemException.rule(new FieldErrorKey("grain", "field.research.resiliency-monthly"));
        }
        if (dataset == Dataset.SUMMARY) {
            if (input.rows() == null || input.columns() == null) {
                throw ProblemException.rule(new FieldErrorKey(input.rows() == null ? "rows" : "columns", "field.research.summary-dimensions"));
            }
            if (input.rows().equals(input.columns())) {
                throw ProblemException.rule(new FieldErrorKey("columns", "field.research.summary-same-dimension"));
            }
            // Two tables over different windows, or sharing a margin, or transposed, could be subtracted from each other.
            if (!from.equals(first) || !to.equals(last)) {
                throw ProblemException.rule(new FieldErrorKey(from.equals(first) ? "to" : "from", "field.research.summary-whole-window",
                        first.toString(), last.toString()));
            }
        } else if (input.rows() != null || input.columns() != null) {
            throw ProblemException.rule(new FieldErrorKey(input.rows() != null ? "rows" : "columns", "field.research.summary-only"));
        }
        // The first extract of a dataset fixes its grain and, for a summary, its layout: files at two grains could
        // be subtracted from each other (a quarter minus its published months gives the hidden one).
        Extract earlier = Extract.<Extract> find("projectId = ?1 and dataset = ?2 and status <> ?3 order by requestedAt", p.id,
                dataset.wire, Extract.Status.FAILED).firstResult();
        if (earlier != null && !earlier.grain.equals(grain)) {
            throw ProblemException.rule(new FieldErrorKey("grain", "field.research.grain-fixed", earlier.grain));
        }
        if (earlier != null && dataset == Dataset.SUMMARY
                && !(earlier.summaryRows.equals(input.rows()) && earlier.summaryColumns.equals(input.columns()))) {
            throw ProblemException.rule(new FieldErrorKey("rows", "field.research.summary-layout-fixed", earlier.summaryRows,
                    earlier.summaryColumns));
        }
        String subject = projects.subject();
        long pending = Extract.count("projectId = ?1 and requestedBy = ?2 and status in ?3", p.id, subject,
                java.util.List.of(Extract.Status.QUEUED, Extract.Status.RUNNING));
        if (pending >= pendingLimit) {
            throw new ProblemException(429, "too-many-extracts", "problem.too-many-extracts.detail", pendingLimit);
        }
        // Files are kept: a day's requests are bounded too, so that no one fills the database by asking again and again.
        long today = Extract.count("projectId = ?1 and requestedBy = ?2 and requestedAt > ?3", p.id, subject,
                java.time.Instant.now().minus(java.time.Duration.ofDays(1)));
        if (today >= dailyLimit) {
            throw new ProblemException(429, "too-many-extracts", "problem.too-many-extracts.daily", dailyLimit);
        }
        Extract e = new Extract();
        e.id = UUID.randomUUID();
        e.projectId = p.id;
        e.requestedBy = subject;
        e.dataset = dataset.wire;
        e.format = input.format();
        e.fromMonth = from.atDay(1);
        e.toMonth = to.atDay(1);
        e.grain = grain;
        e.summaryRows = input.rows();
        e.summaryColumns = input.columns();
        e.status = Extract.Status.QUEUED;
        e.requestedAt = java.time.Instant.now();
        e.persist();
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("dataset", e.dataset);
        parameters.put("format", e.format);
        parameters.put("from", from.toString());
        parameters.put("to", to.toString());
        parameters.put("grain", grain);
        if (e.summaryRows != null) {
            parameters.put("rows", e.summaryRows);
            parameters.put("columns", e.summaryColumns);
        }
        parameters.put("k", p.k);
        audit.record(p.id, e.id, subject, ResearchAuditEntry.Action.EXTRACT_REQUESTED, parameters);
        return view(e, locale);
    }

    @Transactional
    public ExtractView get(UUID projectId, UUID extractId, Locale locale) {
        return view(find(projects.member(projectId), extractId), locale);
    }

    @Transactional
    public DataDictionary.Dictionary dictionary(UUID projectId, UUID extractId, Locale locale) {
        Extract e = ready(find(projects.member(projectId), extractId));
        return DataDictionary.of(e, locale);
    }

    /** Checks that the file may be downloaded now and audits the download; the caller then streams it. */
    @Transactional
    public Extract download(UUID projectId, UUID extractId) {
        ResearchProject p = projects.member(projectId);
        projects.requireOpen(p);
        Extract e = ready(find(p, extractId));
        audit.record(p.id, e.id, projects.subject(), ResearchAuditEntry.Action.DOWNLOADED,
                Map.of("dataset", e.dataset, "rows", e.rows, "sha256", e.sha256));
        return e;
    }

    private static Extract ready(Extract e) {
        if (e.status != Extract.Status.READY) {
            throw new ProblemException(409, "extract-not-ready", "problem.extract-not-ready.detail", e.status.name());
        }
        return e;
    }

    private static Extract find(ResearchProject p, UUID extractId) {
        Extract e = Extract.findById(extractId);
        if (e == null || !e.projectId.equals(p.id)) {
            throw ProblemException.notFound();
        }
        return e;
    }

    static ExtractView view(Extract e, Locale locale) {
        long expected = e.expectedRows == null ? 0 : e.expectedRows;
        int percent = e.status == Extract.Status.READY ? 100
                : expected == 0 ? 0 : (int) Math.min(99, e.progressRows * 100 / expected);
        return new ExtractView(e.id, e.projectId, e.dataset, e.format, YearMonth.from(e.fromMonth).toString(),
                YearMonth.from(e.toMonth).toString(), e.grain, e.summaryRows, e.summaryColumns, e.status,
                e.reason == null ? null : Messages.get(locale, "research.reason." + e.reason),
                new ExtractView.Progress(percent, e.progressRows), e.rows, e.suppressedRows, e.suppressedCells, e.generalizations,
                e.sha256, e.bytes, e.requestedAt, e.finishedAt);
    }
}
