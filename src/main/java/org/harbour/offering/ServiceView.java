package org.harbour.offering;

import java.util.Locale;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(name = "Service")
public record ServiceView(
        @Schema(examples = "SUPERVISED_INHALATION") String code, ServiceCategory category,
        @Schema(description = "For drug checking: the method.") CheckingMethod method,
        @Schema(description = "The name in the language of Accept-Language (en or fr).") String name,
        String nameEn, String nameFr) {

    static ServiceView of(Service s, Locale locale) {
        return new ServiceView(s.code, s.category, s.method, Locale.FRENCH.getLanguage().equals(locale.getLanguage()) ? s.nameFr : s.nameEn,
                s.nameEn, s.nameFr);
    }
}
