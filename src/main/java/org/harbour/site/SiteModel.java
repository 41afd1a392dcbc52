package org.harbour.site;

public enum SiteModel {
    STANDALONE, INTEGRATED
}
