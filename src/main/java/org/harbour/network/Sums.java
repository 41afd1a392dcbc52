package org.harbour.network;

import java.util.HashMap;
import java.util.Map;

/**
 * What the rollups of one trend row add up to: every measure is computed from these summed numerators and
 * denominators, never from averaged shares. {@code rollupRows} 0 means no site of the row reported anything.
 */
final class Sums {
    long rollupRows;
    long visitDays;
    long visits;
    long overdoses;
    long overdosesAtSites;
    long overdosesNaloxone;
    long overdosesEmsCalled;
    long overdosesTransported;
    long deaths;
    long critical;
    long criticalDebriefed72h;
    long samples;
    long sitesOpen;
    long sitePeriodsOpen;
    long sitesReporting;
    long sitePeriodsReporting;
    final Map<String, Long> samplesWith = new HashMap<>();
}
