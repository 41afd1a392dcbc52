package org.harbour.network;

import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(name = "Trends", description = "Measures per combination of the dimensions asked for.")
public record TrendView(
        @Schema(description = "The measures of each row, in order.", examples = "[\"visits\",\"overdoses\"]") List<String> measures,
        @Schema(description = "The dimensions of each row, in order (empty: one row for the whole network).",
                examples = "[\"month\",\"province\"]") List<String> by,
        @Schema(description = "First day of the period asked for.", format = "date", examples = "2025-01-01") String from,
        @Schema(description = "Last day of the period asked for.", format = "date", examples = "2025-12-31") String to,
        @Schema(description = "One row per combination: each period of the range, times the values of the other dimension that "
                + "have sites or data.", implementation = TrendRow[].class) List<Map<String, Object>> rows,
        @Schema(description = "What the reader must know to read the figures, in the caller's language.") List<String> notes) {

    /** The shape of a row, for the contract: dimension values and measure values, keyed by their names. */
    @Schema(name = "TrendRow", type = SchemaType.OBJECT, additionalProperties = Schema.True.class,
            description = "Dimension values (strings; null for a site without a health region) and measure values (numbers, "
                    + "or null when there is no data for them: nothing reported, or a share of nothing).",
            examples = "{\"month\":\"2025-01\",\"province\":\"CA-ON\",\"visits\":1234,\"overdoses\":5,\"overdosesPer1000Visits\":4.05}")
    public record TrendRow() {
    }
}
