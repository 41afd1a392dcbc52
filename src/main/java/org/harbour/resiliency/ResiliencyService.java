package org.harbour.resiliency;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import org.harbour.audit.AuditEntry;
import org.harbour.audit.AuditLog;
import org.harbour.web.ETags;
import org.harbour.web.ProblemException;
import org.harbour.web.ProblemException.FieldErrorKey;
import org.harbour.web.Saved;

import io.quarkus.panache.common.Sort;

@ApplicationScoped
public class ResiliencyService {

    static final String ENTITY = "resiliency-month";
    static final int MIN_RESPONDENTS = 5;

    @Inject
    AuditLog audit;

    @Inject
    EntityManager entityManager;

    @Transactional
    public Saved<ResiliencyView.Team> put(String team, YearMonth month, ResiliencyInput input, String ifMatch) {
        if (input.pulse() != null && input.pulse().respondents() < MIN_RESPONDENTS) {
            throw ProblemException.rule(new FieldErrorKey("pulse.respondents", "field.pulse-too-few", MIN_RESPONDENTS));
        }
        ResiliencyMonth row = ResiliencyMonth.<ResiliencyMonth> findByIdOptional(new ResiliencyMonth.Key(team, month.atDay(1)))
                .orElse(null);
        boolean created = row == null;
        ResiliencyView.Team before = null;
        if (created) {
            row = new ResiliencyMonth();
            row.team = team;
            row.month = month.atDay(1);
        } else {
            ETags.check(ifMatch, row.version);
            if (row.trainings.equals(input.trainings()) && java.util.Objects.equals(row.pulse, input.pulse())) {
                return new Saved<>(view(row), Saved.Outcome.UNCHANGED, row.version);
            }
            before = view(row);
        }
        row.trainings = List.copyOf(input.trainings());
        row.pulse = input.pulse();
        row.persistAndFlush();
        ResiliencyView.Team after = view(row);
        audit.record(created ? AuditEntry.Action.CREATE : AuditEntry.Action.UPDATE, ENTITY, team + "/" + month, before, after);
        return new Saved<>(after, created ? Saved.Outcome.CREATED : Saved.Outcome.UPDATED, row.version);
    }

    /** Months from..to inclusive: the teams' records next to the incidents of the month. */
    @Transactional
    public ResiliencyView months(YearMonth from, YearMonth to) {
        if (to.isBefore(from) || from.plusMonths(36).isBefore(to)) {
            throw ProblemException.rule(new FieldErrorKey("to", "field.period"));
        }
        Map<YearMonth, List<ResiliencyView.Team>> teams = new TreeMap<>();
        for (YearMonth m = from; !m.isAfter(to); m = m.plusMonths(1)) {
            teams.put(m, new ArrayList<>());
        }
        ResiliencyMonth.<ResiliencyMonth> list("month >= ?1 and month <= ?2", Sort.by("month").and("team"), from.atDay(1), to.atDay(1))
                .forEach(r -> teams.get(YearMonth.from(r.month)).add(view(r)));
        Map<YearMonth, ResiliencyView.Incidents> incidents = new TreeMap<>();
        // Native SQL under row-level security: the current organization's incidents only.
        @SuppressWarnings("unchecked")
        List<Object[]> rows = entityManager.createNativeQuery("""
                SELECT to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM') AS month,
                       count(*) FILTER (WHERE kind = 'OVERDOSE'),
                       count(*) FILTER (WHERE kind IN ('OVERDOSE', 'DRUG_EMERGENCY') OR outcome = 'DEATH'),
                       count(*) FILTER (WHERE (kind IN ('OVERDOSE', 'DRUG_EMERGENCY') OR outcome = 'DEATH')
                                          AND debrief_held AND debrief_at <= occurred_at + interval '72 hours')
                FROM incident WHERE occurred_at >= :from AND occurred_at < :to GROUP BY 1""")
                .setParameter("from", from.atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC))
                .setParameter("to", to.plusMonths(1).atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC))
                .getResultList();
        for (Object[] r : rows) {
            long critical = ((Number) r[2]).longValue();
            long debriefed = ((Number) r[3]).longValue();
            incidents.put(YearMonth.parse((String) r[0]), new ResiliencyView.Incidents(((Number) r[1]).longValue(), critical,
                    debriefed, critical == 0 ? null : BigDecimal.valueOf(debriefed).divide(BigDecimal.valueOf(critical), 3,
                            RoundingMode.HALF_UP)));
        }
        List<ResiliencyView.Month> months = new ArrayList<>();
        teams.forEach((m, t) -> months.add(new ResiliencyView.Month(m.toString(), t,
                incidents.getOrDefault(m, new ResiliencyView.Incidents(0, 0, 0, null)))));
        return new ResiliencyView(months);
    }

    private static ResiliencyView.Team view(ResiliencyMonth r) {
        return new ResiliencyView.Team(r.team, r.trainings, r.pulse, r.version);
    }

}
