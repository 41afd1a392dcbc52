package org.harbour.web;

import jakarta.ws.rs.core.EntityTag;

/** ETags come from the entity's @Version; If-Match is checked against them before any write. */
public final class ETags {

    private ETags() {
    }

    public static EntityTag of(long version) {
        return new EntityTag(Long.toString(version));
    }

    /** Throws 412 when If-Match is given and names neither the current version nor "*". */
    public static void check(String ifMatch, long currentVersion) {
        if (ifMatch == null || ifMatch.isBlank()) {
            return;
        }
        String current = Long.toString(currentVersion);
        for (String tag : ifMatch.split(",")) {
            String t = tag.trim();
            if (t.equals("*")) {
                return;
            }
            if (t.startsWith("W/")) {
                t = t.substring(2);
            }
            if (t.length() >= 2 && t.startsWith("\"") && t.endsWith("\"") && t.substring(1, t.length() - 1).equals(current)) {
                return;
            }
        }
        throw new ProblemException(412, "precondition-failed", "problem.precondition-failed.detail", "\"" + current + "\"");
    }
}
