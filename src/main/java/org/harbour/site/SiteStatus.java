package org.harbour.site;

public enum SiteStatus {
    PLANNED, ACTIVE, TEMPORARILY_CLOSED, CLOSED
}
