package org.harbour.testsupport;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

import org.eclipse.microprofile.config.ConfigProvider;

/** The tests' own door to the database, as the owner role: to set up a fault or a state no API call makes. */
public final class Database {

    private Database() {
    }

    public static void asOwner(String statement) throws SQLException {
        String url = ConfigProvider.getConfig().getValue("harbour.db.url", String.class);
        try (Connection c = DriverManager.getConnection(url, "harbour_owner", "harbour_owner"); Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }
}
