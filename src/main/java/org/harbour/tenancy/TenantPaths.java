package org.harbour.tenancy;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Where the tenant is read from: the organization slug in /v1/orgs/{org}/..., and nowhere else. */
public final class TenantPaths {

    private static final Pattern ORG_PATH = Pattern.compile("^/v1/orgs/([^/]+)(/.*)?$");

    private TenantPaths() {
    }

    public static Optional<String> orgSlug(String path) {
        if (path == null) {
            return Optional.empty();
        }
        Matcher m = ORG_PATH.matcher(path);
        return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
    }

    /**
     * Network paths that members' own tokens may call too (the shared notes): they are verified by the
     * issuer the token names, when it is the network's or a registered organization's.
     */
    public static boolean isSharedNetworkPath(String path) {
        return path != null && (path.equals("/v1/network/notes") || path.startsWith("/v1/network/notes/")
                || path.equals("/v1/network/alerts") || path.startsWith("/v1/network/alerts/"));
    }

    public static boolean isNetworkPath(String path) {
        return path != null && (path.startsWith("/v1/admin/") || path.startsWith("/v1/network/")
                || path.startsWith("/v1/research/") || path.equals("/v1/admin"));
    }
}
