package org.harbour.research;

import java.util.Arrays;
import java.util.Optional;

/** What a project may extract; the wire names are lower case with dashes. */
public enum Dataset {
    INCIDENTS("incidents"), VISITS("visits"), DRUG_CHECKS("drug-checks"), RESILIENCY("resiliency"), SUMMARY("summary");

    public final String wire;

    Dataset(String wire) {
        this.wire = wire;
    }

    public static Optional<Dataset> of(String wire) {
        return Arrays.stream(values()).filter(d -> d.wire.equals(wire)).findFirst();
    }
}
