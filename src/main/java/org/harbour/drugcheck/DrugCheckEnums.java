package org.harbour.drugcheck;

import java.util.Set;

public final class DrugCheckEnums {

    private DrugCheckEnums() {
    }

    /** What the sample was sold or expected as. */
    public enum Expected {
        FENTANYL, HEROIN, OPIOID_OTHER, METHAMPHETAMINE, COCAINE, CRACK, STIMULANT_OTHER, BENZODIAZEPINE, MDMA, KETAMINE,
        UNKNOWN;

        boolean opioid() {
            return Set.of(FENTANYL, HEROIN, OPIOID_OTHER).contains(this);
        }

        boolean stimulant() {
            return Set.of(METHAMPHETAMINE, COCAINE, CRACK, STIMULANT_OTHER, MDMA).contains(this);
        }
    }

    public enum SampleKind {
        DRUG, USED_EQUIPMENT
    }

    /** What was found. */
    public enum Substance {
        FENTANYL, FENTANYL_ANALOGUE, CARFENTANIL, NITAZENE, HEROIN, OPIOID_OTHER, XYLAZINE, MEDETOMIDINE, BENZODIAZEPINE,
        METHAMPHETAMINE, COCAINE, STIMULANT_OTHER, KETAMINE, MDMA, CAFFEINE, CUTTING_AGENT, OTHER
    }

    public enum Abundance {
        PRIMARY, TRACE
    }

    public enum StripResult {
        POSITIVE, NEGATIVE, INVALID
    }
}
