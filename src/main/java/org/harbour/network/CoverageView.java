package org.harbour.network;

import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonInclude;

@Schema(name = "Coverage", description = "Services of the network's active sites, per province or health region.")
public record CoverageView(
        @Schema(enumeration = { "province", "healthRegion" }) String by,
        @Schema(description = "The instant the open-now counts are judged at.", format = "date-time") String at,
        List<Row> rows) {

    @Schema(name = "CoverageRow")
    public record Row(
            String province,
            @JsonInclude(JsonInclude.Include.NON_NULL)
            @Schema(description = "With by=healthRegion; absent for the sites of the province that name no region.") String healthRegion,
            @Schema(description = "Active sites.") int sitesOpen,
            @Schema(description = "Active sites offering each service of the taxonomy, by code.") Map<String, Integer> services,
            @Schema(description = "Sites with women-only hours (slots for WOMEN).") int womenOnlyHours,
            @Schema(description = "Sites with trans-only hours (slots for TRANS).") int transOnlyHours,
            @Schema(description = "Sites with hours for women and trans people only.") int womenAndTransHours,
            @Schema(description = "Sites with youth hours.") int youthHours,
            @Schema(description = "Sites open 24 hours a day, every day, to all.") int open24Hours,
            @Schema(description = "Sites open at the instant for each audience (ALL: hours open to everyone), each judged in its "
                    + "own time zone.") Map<String, Integer> openNow) {
    }
}
