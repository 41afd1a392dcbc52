package org.harbour.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.eclipse.microprofile.config.ConfigProvider;
import org.harbour.testsupport.ApiTest;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

/**
 * Issue 10, point 5: the schema stays ready to be distributed by org_id with Citus (deploy/citus/distribute.sql),
 * read from the catalog of the migrated database: every tenant table's primary key (where it has one), unique
 * constraints and foreign keys to other tenant tables include org_id, and the script distributes exactly the
 * tenant tables.
 */
@QuarkusTest
class CitusReadinessTest extends ApiTest {

    @Test
    void everyTenantTableIsKeyedByItsOrganizationAndTheScriptDistributesEachOne() throws Exception {
        Set<String> tenantTables = new TreeSet<>();
        List<String> broken = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(ConfigProvider.getConfig().getValue("harbour.db.url", String.class),
                "harbour_owner", "harbour_owner")) {
            try (ResultSet rs = c.createStatement().executeQuery("""
                    SELECT c.relname FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'org_id' AND NOT a.attisdropped
                     WHERE c.relkind IN ('r', 'p') AND c.relnamespace = 'public'::regnamespace""")) {
                while (rs.next()) {
                    tenantTables.add(rs.getString(1));
                }
            }
            try (PreparedStatement q = c.prepareStatement("""
                    SELECT con.conname, con.contype, con.confrelid::regclass::text,
                           (SELECT array_agg(a.attname::text ORDER BY k.i) FROM unnest(con.conkey) WITH ORDINALITY k(n, i)
                              JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.n),
                           (SELECT array_agg(a.attname::text ORDER BY k.i) FROM unnest(con.confkey) WITH ORDINALITY k(n, i)
                              JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.n)
                      FROM pg_constraint con WHERE con.conrelid = ?::regclass AND con.contype IN ('p', 'u', 'f')""")) {
                for (String table : tenantTables) {
                    q.setString(1, table);
                    boolean primaryKey = false;
                    try (ResultSet rs = q.executeQuery()) {
                        while (rs.next()) {
                            String name = rs.getString(1);
                            String type = rs.getString(2);
                            List<String> columns = List.of((String[]) rs.getArray(4).getArray());
                            if (type.equals("p")) {
                                primaryKey = true;
                            }
                            if (!type.equals("f")) {
                                if (!columns.contains("org_id")) {
                                    broken.add(table + "." + name + " " + columns + " lacks org_id");
                                }
                                continue;
                            }
                            String referenced = rs.getString(3);
                            if (!tenantTables.contains(referenced)) {
                                continue; // a reference table (organization, service): any key will do
                            }
                            List<String> to = List.of((String[]) rs.getArray(5).getArray());
                            int at = columns.indexOf("org_id");
                            if (at < 0 || !"org_id".equals(to.get(at))) {
                                broken.add(table + "." + name + " " + columns + " -> " + referenced + to + " does not pair org_id");
                            }
                        }
                    }
                    if (!primaryKey) {
                        // Append-only working tables (the rollups' deltas) have none; Citus distributes them as they are.
                        System.out.println("Tenant table without a primary key: " + table);
                    }
                }
            }
        }
        assertTrue(broken.isEmpty(), String.join("\n", broken));

        Matcher distributed = Pattern.compile("create_distributed_table\\('(\\w+)'\\s*,\\s*'org_id'")
                .matcher(Files.readString(Path.of("deploy/citus/distribute.sql")));
        Set<String> inScript = new TreeSet<>();
        while (distributed.find()) {
            inScript.add(distributed.group(1));
        }
        assertTrue(tenantTables.size() >= 15, "tenant tables found: " + tenantTables);
        assertEquals(tenantTables, inScript, "deploy/citus/distribute.sql distributes every tenant table by org_id, and only those");
    }
}
