package org.harbour.network;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(name = "Measure", description = "A trend measure of the coordinator's data dictionary.")
public record MeasureView(
        @Schema(examples = "overdosesPer1000Visits") String name,
        String definition,
        @Schema(description = "What is counted.") String numerator,
        @Schema(description = "What it is divided by; null for counts and site numbers.", nullable = true) String denominator,
        @Schema(enumeration = { "COUNT", "SITES", "SHARE", "PER_1000_VISITS" }) String unit,
        @Schema(description = "The unit, in words.") String unitLabel) {
}
