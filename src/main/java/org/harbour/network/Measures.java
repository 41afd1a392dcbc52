package org.harbour.network;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.harbour.drugcheck.DrugCheckEnums.Substance;
import org.harbour.drugcheck.SubstancesOfConcern;
import org.harbour.web.Messages;

/**
 * The coordinator's measures (DOMAIN.md, "Indicators the coordinator expects"), one share per configured
 * substance of concern. Unique clients are not among them: they cannot be added across days or sites.
 */
@ApplicationScoped
public class Measures {

    private final Map<String, Measure> byName = new LinkedHashMap<>();

    @Inject
    Measures(SubstancesOfConcern concerns) {
        List<Measure> all = new ArrayList<>(List.of(
                new Measure("visits", Measure.Unit.COUNT, null, s -> s.visitDays == 0 ? null : s.visits),
                Measure.count("overdoses", s -> s.overdoses),
                new Measure("overdosesPer1000Visits", Measure.Unit.PER_1000_VISITS, null,
                        s -> s.visitDays == 0 ? null : Measure.ratio(s.overdosesAtSites, s.visits, 1000, 2)),
                Measure.share("naloxoneShare", s -> s.overdosesNaloxone, s -> s.overdoses),
                Measure.share("emsCalledShare", s -> s.overdosesEmsCalled, s -> s.overdoses),
                Measure.share("transportedShare", s -> s.overdosesTransported, s -> s.overdoses),
                Measure.count("deaths", s -> s.deaths),
                Measure.share("debriefedWithin72hShare", s -> s.criticalDebriefed72h, s -> s.critical),
                new Measure("sitesOpen", Measure.Unit.SITES, null, s -> s.sitesOpen),
                new Measure("sitesReporting", Measure.Unit.SITES, null, s -> s.sitesReporting),
                Measure.share("completeness", s -> s.sitePeriodsReporting, s -> s.sitePeriodsOpen),
                Measure.count("drugCheckSamples", s -> s.samples)));
        for (Substance substance : concerns.all()) {
            String code = substance.name();
            all.add(new Measure("samplesWith" + pascal(code) + "Share", Measure.Unit.SHARE, code,
                    s -> Measure.ratio(s.samplesWith.getOrDefault(code, 0L), s.samples, 1, 4)));
        }
        all.forEach(m -> byName.put(m.name(), m));
    }

    static String pascal(String code) {
        StringBuilder out = new StringBuilder();
        for (String part : code.toLowerCase(Locale.ROOT).split("_")) {
            out.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
        }
        return out.toString();
    }

    Measure get(String name) {
        return byName.get(name);
    }

    List<String> names() {
        return List.copyOf(byName.keySet());
    }

    /** The data dictionary of the measures, in the caller's language. */
    List<MeasureView> dictionary(Locale locale) {
        return byName.values().stream().map(m -> {
            String key = m.substance() == null ? "measure." + m.name() : "measure.samplesWithConcernShare";
            Object substance = m.substance() == null ? null : Messages.get(locale, "substance." + m.substance());
            String denominator = Messages.get(locale, key + ".denominator", substance);
            return new MeasureView(m.name(), Messages.get(locale, key + ".definition", substance),
                    Messages.get(locale, key + ".numerator", substance), denominator.isEmpty() ? null : denominator,
                    m.unit().name(), Messages.get(locale, "measure.unit." + m.unit().name()));
        }).toList();
    }
}
