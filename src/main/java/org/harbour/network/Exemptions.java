package org.harbour.network;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.agroal.api.AgroalDataSource;
import io.quarkus.agroal.DataSource;

/** Exemptions to renew: of sites not closed, expired ones first, then the soonest; days counted in each site's zone. */
@ApplicationScoped
public class Exemptions {

    @Inject
    @DataSource("network")
    AgroalDataSource database;

    List<ExemptionView> due(int withinDays, List<String> provinces, List<String> organizations) {
        List<ExemptionView> due = new ArrayList<>();
        try (Connection c = database.getConnection(); PreparedStatement st = c.prepareStatement("""
                SELECT * FROM (
                    SELECT s.org_id, o.legal_name_en, o.legal_name_fr, s.id, s.name, s.kind, s.province, s.status,
                           s.exemption_number, s.exemption_expires_on,
                           s.exemption_expires_on - (now() AT TIME ZONE s.time_zone)::date AS days_left
                      FROM site s JOIN organization o ON o.slug = s.org_id
                     WHERE s.exemption_expires_on IS NOT NULL AND s.status <> 'CLOSED'
                       AND (cardinality(?::text[]) = 0 OR s.province = ANY (?::text[]))
                       AND (cardinality(?::text[]) = 0 OR s.org_id = ANY (?::text[]))) d
                 WHERE days_left <= ?
                 ORDER BY days_left < 0 DESC, exemption_expires_on, org_id, id""")) {
            java.sql.Array p = c.createArrayOf("text", provinces.toArray());
            java.sql.Array o = c.createArrayOf("text", organizations.toArray());
            st.setArray(1, p);
            st.setArray(2, p);
            st.setArray(3, o);
            st.setArray(4, o);
            st.setInt(5, withinDays);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    int daysLeft = rs.getInt(11);
                    due.add(new ExemptionView(rs.getString(1), rs.getString(2), rs.getString(3), rs.getObject(4, UUID.class),
                            rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9),
                            rs.getObject(10, java.time.LocalDate.class).toString(), daysLeft, daysLeft < 0));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("exemption query failed", e);
        }
        return due;
    }
}
