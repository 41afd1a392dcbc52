package org.harbour.research;

/**
 * A column of an extract as the data dictionary describes it. Descriptions, units and generalizations are
 * bundle keys (research.column.NAME, research.unit.UNIT, research.generalization.G) in English and French.
 */
record Column(String name, String type, String unit, String generalization, boolean quasiIdentifier) {

    static Column qi(String name, String generalization) {
        return new Column(name, "string", null, generalization, true);
    }

    static Column text(String name) {
        return new Column(name, "string", null, null, false);
    }

    static Column list(String name) {
        return new Column(name, "string", "list", null, false);
    }

    static Column flag(String name) {
        return new Column(name, "boolean", null, null, false);
    }

    static Column count(String name, String unit) {
        return new Column(name, "integer", unit, null, false);
    }

    Column generalizedAs(String generalization) {
        return new Column(name, type, unit, generalization, quasiIdentifier);
    }
}
