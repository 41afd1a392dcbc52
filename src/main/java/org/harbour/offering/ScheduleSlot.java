package org.harbour.offering;

import java.time.DayOfWeek;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.Set;

import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonFormat;

/**
 * A weekly opening, in the site's local time. A slot whose closing time is not after its opening time
 * runs overnight into the next day (22:00-06:00 on FRIDAY is open until Saturday 06:00); allDay is
 * open the whole of each of its days.
 */
@Schema(name = "ScheduleSlot")
public record ScheduleSlot(
        @NotEmpty @Size(max = 7) @Schema(description = "The days the slot starts on.", examples = "[\"MONDAY\",\"TUESDAY\"]") Set<@NotNull DayOfWeek> days,
        @JsonFormat(pattern = "HH:mm") @Schema(type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.STRING,
                examples = "08:00", description = "Local opening time; absent when allDay.") LocalTime opens,
        @JsonFormat(pattern = "HH:mm") @Schema(type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.STRING,
                examples = "16:00", description = "Local closing time; before or equal to opens for an overnight slot.") LocalTime closes,
        @Schema(description = "Open all day (24 h) on each of its days.") boolean allDay,
        @Schema(description = "ALL when absent.") Audience audience) {

    public Audience audienceOrAll() {
        return audience == null ? Audience.ALL : audience;
    }

    /** Whether the slot is open at this local date and time. */
    public boolean isOpen(LocalDateTime local) {
        DayOfWeek today = local.getDayOfWeek();
        LocalTime time = local.toLocalTime();
        if (allDay) {
            return days.contains(today);
        }
        if (opens.isBefore(closes)) {
            return days.contains(today) && !time.isBefore(opens) && time.isBefore(closes);
        }
        // Overnight: the evening part belongs to today's slot, the early morning to yesterday's.
        return (days.contains(today) && !time.isBefore(opens)) || (days.contains(today.minus(1)) && time.isBefore(closes));
    }
}
