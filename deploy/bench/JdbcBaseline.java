import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The baseline of the import benchmark: the same incident rows, and one audit row each as the API writes,
 * inserted with plain JDBC batches of 500 into the same tables, as the application's role under RLS. With "csv DIR",
 * it writes the same rows as incident.csv and audit.csv in DIR instead, for the ceiling: COPY, which PostgreSQL
 * refuses under row-level security, so bench.sh runs it as the superuser.
 * Usage: java -cp CLASSPATH JdbcBaseline.java JDBC_URL ORG SITE_ID FILE.jsonl [csv DIR]
 */
public class JdbcBaseline {

    public static void main(String[] args) throws Exception {
        String url = args[0];
        String org = args[1];
        UUID site = UUID.fromString(args[2]);
        List<String> lines = Files.readAllLines(Path.of(args[3]));
        ObjectMapper json = new ObjectMapper();
        if (args.length > 5 && args[4].equals("csv")) {
            csv(Path.of(args[5]), org, site, lines, json);
            return;
        }
        long start = System.nanoTime();
        int rows = 0;
        try (Connection c = DriverManager.getConnection(url, "harbour_app", "harbour_app")) {
            c.setAutoCommit(false);
            PreparedStatement tenant = c.prepareStatement("select set_config('harbour.org', ?, true)");
            PreparedStatement incident = c.prepareStatement("insert into incident (org_id, id, external_ref, site_id, occurred_at, "
                    + "location, kind, substances, mode, naloxone_doses, outcome, version) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)");
            PreparedStatement audit = c.prepareStatement("insert into audit_entry (org_id, subject, client_id, action, entity, "
                    + "entity_id, changes) values (?, 'bench', 'bench', 'CREATE', 'incident', ?, ?::jsonb)");
            Iterator<String> it = lines.iterator();
            while (it.hasNext()) {
                tenant.setString(1, org);
                tenant.execute();
                for (int i = 0; i < 500 && it.hasNext(); i++) {
                    JsonNode n = json.readTree(it.next());
                    UUID id = UUID.randomUUID();
                    incident.setString(1, org);
                    incident.setObject(2, id);
                    incident.setString(3, "JDBC-" + n.get("externalRef").asText());
                    incident.setObject(4, site);
                    incident.setTimestamp(5, Timestamp.from(Instant.parse(n.get("occurredAt").asText())));
                    incident.setString(6, n.get("location").asText());
                    incident.setString(7, n.get("kind").asText());
                    incident.setArray(8, c.createArrayOf("text", new Object[] { n.get("substances").get(0).asText() }));
                    incident.setString(9, n.get("mode").asText());
                    incident.setInt(10, n.get("response").get("naloxoneDoses").asInt());
                    incident.setString(11, n.get("outcome").asText());
                    incident.addBatch();
                    audit.setString(1, org);
                    audit.setString(2, id.toString());
                    audit.setString(3, n.toString());
                    audit.addBatch();
                    rows++;
                }
                incident.executeBatch();
                audit.executeBatch();
                c.commit();
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("%d %.3f%n", rows, seconds);
    }

    private static void csv(Path dir, String org, UUID site, List<String> lines, ObjectMapper json) throws Exception {
        StringBuilder incidents = new StringBuilder();
        StringBuilder audits = new StringBuilder();
        for (String line : lines) {
            JsonNode n = json.readTree(line);
            UUID id = UUID.randomUUID();
            incidents.append(org).append(',').append(id).append(",COPY-").append(n.get("externalRef").asText()).append(',')
                    .append(site).append(',').append(n.get("occurredAt").asText()).append(',').append(n.get("location").asText())
                    .append(',').append(n.get("kind").asText()).append(",{").append(n.get("substances").get(0).asText()).append("},")
                    .append(n.get("mode").asText()).append(',').append(n.get("response").get("naloxoneDoses").asInt()).append(',')
                    .append(n.get("outcome").asText()).append(",0\n");
            audits.append(org).append(",bench,bench,CREATE,incident,").append(id).append(",\"")
                    .append(n.toString().replace("\"", "\"\"")).append("\"\n");
        }
        Files.writeString(dir.resolve("incident.csv"), incidents);
        Files.writeString(dir.resolve("audit.csv"), audits);
    }
}
