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
     * Network paths where a member's own token is verified by its organization's issuer: the shared notes
     * and alerts, which members may read, and the coordinator's paths, where a member is then refused by
     * role (403) rather than by signature. Network roles count only from the network realm ({@link RealmRoles}).
     */
    public static boolean isSharedNetworkPath(String path) {
        return path != null && path.startsWith("/v1/network/");
    }

    public static boolean isNetworkPath(String path) {
        return path != null && (path.startsWith("/v1/admin/") || path.startsWith("/v1/network/")
                || path.startsWith("/v1/research/") || path.equals("/v1/admin"));
    }
}
