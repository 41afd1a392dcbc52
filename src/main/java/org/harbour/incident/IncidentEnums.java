package org.harbour.incident;

/** The coded values of an incident (DOMAIN.md). */
public final class IncidentEnums {

    private IncidentEnums() {
    }

    public enum Location {
        INSIDE, OUTSIDE_NEARBY, HOUSING_UNIT, WASHROOM, OUTREACH
    }

    public enum Kind {
        OVERDOSE, DRUG_EMERGENCY, MEDICAL_OTHER, BEHAVIOURAL, STAFF_INJURY, NEEDLESTICK, OTHER
    }

    public enum Substance {
        FENTANYL, OTHER_OPIOID, METHAMPHETAMINE, COCAINE, OTHER_STIMULANT, BENZODIAZEPINE, XYLAZINE, ALCOHOL, OTHER, UNKNOWN
    }

    public enum Mode {
        INJECTION, INHALATION, INTRANASAL, ORAL, UNKNOWN
    }

    public enum NaloxoneRoute {
        INTRAMUSCULAR, INTRANASAL, INTRAVENOUS
    }

    public enum Outcome {
        RESOLVED_ON_SITE, TRANSPORTED, REFUSED_TRANSPORT, DEATH, UNKNOWN
    }

    /** Why a field was left empty, as ambulance records say it. */
    public enum EmptyReason {
        NOT_ASSESSED, NOT_APPLICABLE, UNKNOWN
    }

    public enum DebriefKind {
        /** Right after the event. */
        HOT,
        /** Later, planned. */
        FORMAL,
        /** A support meeting with one person. */
        INDIVIDUAL
    }
}
