package org.harbour.drugcheck;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.harbour.drugcheck.DrugCheckEnums.Substance;
import org.harbour.drugcheck.DrugCheckEnums.StripResult;

/**
 * Which findings raise a network alert (configurable; defaults from DOMAIN.md): some substances always,
 * a benzodiazepine in an opioid sample, fentanyl and the like in a stimulant sample. A negative or
 * invalid strip finds nothing.
 */
@ApplicationScoped
public class SubstancesOfConcern {

    @ConfigProperty(name = "harbour.drugcheck.concern.always", defaultValue = "CARFENTANIL,NITAZENE,XYLAZINE,MEDETOMIDINE")
    List<Substance> always;

    @ConfigProperty(name = "harbour.drugcheck.concern.in-opioid", defaultValue = "BENZODIAZEPINE")
    List<Substance> inOpioid;

    @ConfigProperty(name = "harbour.drugcheck.concern.in-stimulant",
            defaultValue = "FENTANYL,FENTANYL_ANALOGUE,CARFENTANIL,NITAZENE")
    List<Substance> inStimulant;

    /** Every substance that can be of concern, in a stable order (the coordinator's measures follow it). */
    public Set<Substance> all() {
        Set<Substance> all = EnumSet.noneOf(Substance.class);
        all.addAll(always);
        all.addAll(inOpioid);
        all.addAll(inStimulant);
        return all;
    }

    public Set<Substance> in(DrugCheckEnums.Expected expected, List<DrugCheckInput.Result> results) {
        Set<Substance> concerns = EnumSet.noneOf(Substance.class);
        for (DrugCheckInput.Result result : results) {
            if (result.stripResult() == StripResult.NEGATIVE || result.stripResult() == StripResult.INVALID) {
                continue;
            }
            Substance s = result.substance();
            if (always.contains(s) || (expected.opioid() && inOpioid.contains(s)) || (expected.stimulant() && inStimulant.contains(s))) {
                concerns.add(s);
            }
        }
        return concerns;
    }
}
