package org.harbour.tenancy;

/** Role names as the identity providers issue them. */
public final class Roles {
    public static final String ORG_ADMIN = "org-admin";
    public static final String REPORTER = "reporter";
    public static final String VIEWER = "viewer";
    public static final String COORDINATOR = "coordinator";
    public static final String RESEARCHER = "researcher";
    public static final String NETWORK_ADMIN = "network-admin";

    private Roles() {
    }
}
