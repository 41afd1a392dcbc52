package org.harbour.tenancy;

/** Canadian provinces and territories as ISO 3166-2:CA codes. */
public final class Provinces {
    public static final String PATTERN = "CA-(AB|BC|MB|NB|NL|NS|NT|NU|ON|PE|QC|SK|YT)";

    private Provinces() {
    }
}
