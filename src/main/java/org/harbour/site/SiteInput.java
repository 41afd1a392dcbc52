package org.harbour.site;

import java.time.LocalDate;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.harbour.tenancy.Provinces;

@Schema(name = "SiteInput", description = "A site as a member system posts it. The organization comes from the URL and token, never from the body.")
public record SiteInput(
        @Size(min = 1, max = 100) @Pattern(regexp = "\\p{Graph}[\\p{Graph} ]*", message = "{harbour.external-ref}")
        @Schema(description = "The organization's own reference: posting the same one again returns the existing site (200) instead of a duplicate.",
                examples = "SITE-0042") String externalRef,
        @NotBlank @Size(max = 200) @Schema(examples = "Riverside Harbour Street") String name,
        @NotNull SiteKind kind,
        @NotNull SiteModel model,
        @Size(max = 300) @Schema(examples = "120 Harbour St") String address,
        @NotBlank @Size(max = 100) @Schema(examples = "Toronto") String city,
        @NotNull @Pattern(regexp = Provinces.PATTERN, message = "{harbour.province}") @Schema(examples = "CA-ON") String province,
        @Size(max = 200) @Schema(examples = "Toronto Region") String healthRegion,
        @NotBlank @Size(max = 64) @Schema(description = "IANA time zone: the site's local dates and hours are in it.", examples = "America/Toronto") String timeZone,
        @PositiveOrZero @Max(500) @Schema(description = "Number of consumption booths.", examples = "8") Integer booths,
        @Schema(examples = "2019-05-01") LocalDate openedOn,
        @Schema(description = "Only for a CLOSED site.") LocalDate closedOn,
        @Schema(description = "ACTIVE when omitted.") SiteStatus status,
        @Valid ExemptionInput exemption) {

    @Schema(name = "Exemption", description = "The exemption the site operates under (federal for SCS, provincial or class for OPS).")
    public record ExemptionInput(
            @NotBlank @Size(max = 100) @Schema(examples = "S-56.1-2024-017") String number,
            @NotNull LocalDate issuedOn,
            @NotNull LocalDate expiresOn) {
    }
}
