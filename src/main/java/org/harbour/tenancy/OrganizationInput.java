package org.harbour.tenancy;

import java.util.List;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(name = "OrganizationInput")
public record OrganizationInput(
        @NotBlank @Pattern(regexp = "[a-z][a-z0-9-]{1,39}", message = "{harbour.slug}")
        @Schema(description = "URL name; immutable once created.", examples = "riverside") String slug,
        @NotBlank @Size(max = 200) @Schema(examples = "Riverside Harm Reduction Society") String legalNameEn,
        @NotBlank @Size(max = 200) @Schema(examples = "Société de réduction des méfaits Riverside") String legalNameFr,
        @NotEmpty @Size(max = 13) List<@NotNull @Pattern(regexp = Provinces.PATTERN, message = "{harbour.province}") String> provinces,
        @NotBlank @Size(max = 500) @Pattern(regexp = "https?://\\S+", message = "{harbour.url}")
        @Schema(description = "The OIDC issuer (iss) of the organization's tokens; discovery is read from it.",
                examples = "https://login.riverside.example/realms/riverside") String issuer,
        @NotBlank @Size(max = 200) @Schema(description = "The audience (aud) its tokens must carry.", examples = "harbour-api") String audience,
        @Schema(description = "ACTIVE when omitted.") OrganizationStatus status) {
}
