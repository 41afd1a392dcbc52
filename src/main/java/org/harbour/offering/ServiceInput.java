package org.harbour.offering;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(name = "ServiceInput")
public record ServiceInput(
        @NotBlank @Pattern(regexp = "[A-Z][A-Z0-9_]{2,59}", message = "{harbour.service-code}")
        @Schema(description = "Stable code: never renamed, never reused.", examples = "OVERDOSE_RESPONSE_TRAINING") String code,
        @NotNull ServiceCategory category,
        CheckingMethod method,
        @NotBlank @Size(max = 200) String nameEn,
        @NotBlank @Size(max = 200) String nameFr) {
}
