package org.harbour.offering;

import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(name = "OfferingInput", description = "What a site offers of one service, and when. An empty schedule means by arrangement.")
public record OfferingInput(
        @NotNull @Size(max = 50) List<@Valid @NotNull ScheduleSlot> schedule,
        @Size(max = 2000) String notes) {
}
