package org.harbour.tenancy;

public enum OrganizationStatus {
    ACTIVE, SUSPENDED
}
