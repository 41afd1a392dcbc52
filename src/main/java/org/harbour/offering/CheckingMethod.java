package org.harbour.offering;

/** Drug-checking methods: a drug-checking service names the one it uses. */
public enum CheckingMethod {
    FTIR, FENTANYL_TEST_STRIP, BENZODIAZEPINE_TEST_STRIP, XYLAZINE_TEST_STRIP, MASS_SPECTROMETRY
}
