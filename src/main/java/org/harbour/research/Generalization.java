package org.harbour.research;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One node of the generalization lattice of the person-level datasets: the period (the grain asked for,
 * then coarser), the site kind (or its group) and the organization (kept or left out). Sites keep their
 * pseudonym when the project allows it; provinces are never coarsened.
 */
record Generalization(Periods period, boolean kindGroup, boolean organizationRemoved) {

    /** The nodes from the least to the most general: coarsen period and kind before dropping the organization. */
    static List<Generalization> lattice(Periods finest) {
        List<Generalization> nodes = new ArrayList<>();
        for (Periods p : Periods.values()) {
            if (p.ordinal() < finest.ordinal()) {
                continue;
            }
            for (boolean group : new boolean[] {false, true}) {
                for (boolean removed : new boolean[] {false, true}) {
                    nodes.add(new Generalization(p, group, removed));
                }
            }
        }
        nodes.sort(Comparator.comparingInt((Generalization g) -> g.cost(finest)).thenComparing(g -> g.organizationRemoved)
                .thenComparingInt(g -> g.period.ordinal()));
        return nodes;
    }

    private int cost(Periods finest) {
        return (period.ordinal() - finest.ordinal()) + (kindGroup ? 1 : 0) + (organizationRemoved ? 2 : 0);
    }

    /** The node an earlier extract described (its generalizations), if it names one. */
    static Generalization of(com.fasterxml.jackson.databind.JsonNode applied) {
        if (applied == null || !applied.hasNonNull("period") || !applied.hasNonNull("siteKind") || !applied.hasNonNull("organization")) {
            return null;
        }
        return new Generalization(Periods.of(applied.get("period").asText()), "group".equals(applied.get("siteKind").asText()),
                "removed".equals(applied.get("organization").asText()));
    }

    /** What the extract's status and audit say was done. */
    Map<String, String> describe() {
        Map<String, String> applied = new LinkedHashMap<>();
        applied.put("period", period.wire);
        applied.put("siteKind", kindGroup ? "group" : "kind");
        applied.put("organization", organizationRemoved ? "removed" : "pseudonym");
        return applied;
    }

    /** Site kinds grouped by how the service reaches people. */
    static String kindGroup(String kind) {
        if (kind == null) {
            return null;
        }
        return switch (kind) {
            case "SCS", "OPS" -> "SUPERVISED_SITE";
            case "MOBILE", "PARAMEDIC" -> "MOBILE_OR_PARAMEDIC";
            default -> "EMBEDDED_IN_ANOTHER_SERVICE";
        };
    }
}
