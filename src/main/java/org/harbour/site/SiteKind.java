package org.harbour.site;

/** What kind of place the service runs in (DOMAIN.md). */
public enum SiteKind {
    /** Supervised consumption site under a federal exemption. */
    SCS,
    /** Overdose prevention site under a provincial or class exemption. */
    OPS,
    MOBILE,
    /** In supportive housing, an SRO or a shelter. */
    HOUSING,
    /** For inpatients, including those at risk of leaving against medical advice. */
    HOSPITAL,
    PARAMEDIC,
    /** A dispensing point, such as a hydromorphone vending machine. */
    DISPENSING
}
