package org.harbour.resiliency;

import java.math.BigDecimal;
import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(name = "Resiliency", description = "Per month: each team's trainings and pulse, next to the organization's incidents and "
        + "how many of the critical ones (overdoses, drug emergencies, deaths) were debriefed within 72 hours.")
public record ResiliencyView(List<Month> months) {

    @Schema(name = "ResiliencyMonth")
    public record Month(@Schema(examples = "2026-10") String month, List<Team> teams, Incidents incidents) {
    }

    @Schema(name = "ResiliencyTeam")
    public record Team(String team, List<ResiliencyInput.Training> trainings, ResiliencyInput.Pulse pulse, long version) {
    }

    @Schema(name = "ResiliencyIncidents", description = "Months are calendar months in UTC.")
    public record Incidents(long overdoses, long critical, long debriefedWithin72h,
            @Schema(description = "debriefedWithin72h / critical; absent without critical incidents.") BigDecimal debriefRate) {
    }
}
