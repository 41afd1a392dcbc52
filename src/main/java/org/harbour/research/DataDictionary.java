package org.harbour.research;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.harbour.web.Messages;

import com.fasterxml.jackson.databind.JsonNode;

/** Every column of an extract described in English or French, with what was done to it. */
final class DataDictionary {

    private static final Map<String, Column> COLUMNS = new HashMap<>();

    static {
        for (Column c : List.of(Column.qi("organization", "pseudonym"), Column.qi("site", "pseudonym"),
                Column.qi("province", null), Column.qi("siteKind", "kind"), Column.qi("period", "month"), Column.qi("team", "pseudonym"),
                Column.text("location"), Column.text("kind"), Column.list("substances"), Column.text("mode"),
                new Column("naloxoneDoses", "string", "doses", "banded", false), Column.text("naloxoneRoute"),
                Column.flag("oxygen"), Column.flag("rescueBreathing"), Column.flag("bagValveMask"),
                Column.flag("peerNaloxoneBeforeStaff"), Column.flag("emsCalled"), Column.flag("emsAttended"),
                Column.flag("policeAttended"), Column.text("outcome"), Column.flag("flailingInSmallSpace"),
                Column.flag("debriefedWithin72h"), Column.text("expected"), Column.text("sampleKind"), Column.list("methods"),
                Column.list("substancesFound"), Column.list("concerns"), Column.count("daysReported", "days"),
                new Column("uniqueClientsBusiestDay", "integer", "people", "non-additive", false),
                Column.count("respondents", "people"), new Column("compassionSatisfaction", "number", "proqol", null, false),
                new Column("burnout", "number", "proqol", null, false),
                new Column("secondaryTraumaticStress", "number", "proqol", null, false),
                Column.count("trainingSessions", "sessions"), Column.count("trainingAttendees", "people"),
                Column.count("total", "incidents"))) {
            COLUMNS.put(c.name(), c);
        }
        for (String visitCount : ExtractRunner.VISIT_COUNTS) {
            COLUMNS.put(visitCount, Column.count(visitCount, "visits"));
        }
    }

    @Schema(name = "DataDictionaryEntry", description = "One column of an extract; unit and generalization only where they apply.")
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
    public record Entry(String name, String description, @Schema(description = "string, integer, number or boolean.") String type,
            @Schema(description = "What a number counts, if it is one.") String unit,
            @Schema(description = "What was done to the value before it was written.") String generalization,
            boolean quasiIdentifier) {
    }

    @Schema(name = "DataDictionary")
    public record Dictionary(String dataset, @Schema(description = "How rows are protected, in the caller's language.") String protection,
            List<Entry> columns) {
    }

    private DataDictionary() {
    }

    static Dictionary of(Extract extract, Locale locale) {
        boolean summary = Dataset.SUMMARY.wire.equals(extract.dataset);
        List<Entry> entries = extract.header.stream().map(name -> {
            Column c = COLUMNS.get(name);
            String applied = c != null && c.quasiIdentifier() ? applied(name, extract.generalizations) : null;
            if (!summary) {
                return entry(locale, applied == null ? c : c.generalizedAs(applied), name);
            }
            if (name.equals(extract.header.get(0))) {
                return entry(locale, c.generalizedAs(applied), name);
            }
            return new Entry(name, "total".equals(name) ? Messages.get(locale, "research.column.summary-total")
                    : Messages.get(locale, "research.column.summary-cell", Messages.get(locale, "research.dimension." + extract.summaryColumns), name),
                    "integer", Messages.get(locale, "research.unit.incidents"), Messages.get(locale, "research.generalization.under-k"),
                    false);
        }).toList();
        return new Dictionary(extract.dataset, Messages.get(locale, "research.protection." + extract.dataset), entries);
    }

    /** What the extract records it did to a quasi-identifier, if it records it. */
    private static String applied(String column, JsonNode generalizations) {
        JsonNode value = generalizations == null ? null : generalizations.get(column);
        return value == null ? null : value.asText();
    }

    private static Entry entry(Locale locale, Column c, String name) {
        return new Entry(name, Messages.get(locale, "research.column." + name), c.type(),
                c.unit() == null ? null : Messages.get(locale, "research.unit." + c.unit()),
                c.generalization() == null ? null : Messages.get(locale, "research.generalization." + c.generalization()),
                c.quasiIdentifier());
    }
}
