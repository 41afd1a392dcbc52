package org.harbour.cluster;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

import io.quarkus.runtime.StartupEvent;

/**
 * What one instance tells the others, through PostgreSQL's LISTEN/NOTIFY: the only place instances
 * coordinate besides the tables themselves. A notice is sent in the sender's transaction, so it reaches
 * every instance (this one too) only if that transaction commits, and it is observed as a
 * {@link ClusterNotice} CDI event on the listener's thread: observers must be quick and must not block.
 *
 * <p>The listener holds one connection of its own (LISTEN is per session: a pooled connection would lose
 * it). When that connection breaks (a failover, a restart of the server) notices sent meanwhile are lost:
 * once it is back, a {@link Channel#RESYNC} notice tells every observer to drop what it may have missed.
 */
@ApplicationScoped
public class ClusterNotices {

    private static final Logger LOG = Logger.getLogger(ClusterNotices.class);

    /** PostgreSQL channels; a payload is at most 8,000 bytes (PostgreSQL's limit), kept far below it. */
    public enum Channel {
        /** An organization was created or changed: payload, its slug. */
        REGISTRY("harbour_registry"),
        /** A network alert changed: payload, the alert as JSON. */
        ALERT("harbour_alert"),
        /** An organization's webhook deliveries are due: payload, its slug. */
        WEBHOOK("harbour_webhook"),
        /** Not a PostgreSQL channel: the listener (re)connected, and notices may have been missed before. */
        RESYNC(null);

        final String name;

        Channel(String name) {
            this.name = name;
        }

        static Channel of(String name) {
            for (Channel c : values()) {
                if (name.equals(c.name)) {
                    return c;
                }
            }
            return null;
        }
    }

    @Inject
    EntityManager entityManager;
    @Inject
    Event<ClusterNotice> notices;

    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String url;
    @ConfigProperty(name = "quarkus.datasource.username")
    String user;
    @ConfigProperty(name = "quarkus.datasource.password")
    String password;
    /** How often the listener checks that its connection still answers, and waits at most before reconnecting. */
    @ConfigProperty(name = "harbour.cluster.listener-check", defaultValue = "PT2S")
    Duration check;

    private volatile boolean running = true;
    private volatile Connection connection;
    private Thread listener;

    /** Sends a notice when the current transaction commits (nothing if it rolls back). */
    public void publish(Channel channel, String payload) {
        entityManager.createNativeQuery("SELECT pg_notify(:channel, :payload)").setParameter("channel", channel.name)
                .setParameter("payload", payload).getSingleResult();
    }

    void start(@Observes StartupEvent started) {
        listener = new Thread(this::listen, "cluster-notices");
        listener.setDaemon(true);
        listener.start();
    }

    @PreDestroy
    void stop() {
        running = false;
        if (listener != null) {
            listener.interrupt();
        }
        close();
    }

    private void listen() {
        long backoff = 100;
        while (running) {
            long connectedAt = System.nanoTime();
            try {
                connect();
                notices.fire(new ClusterNotice(Channel.RESYNC, ""));
                receive();
            } catch (SQLException | RuntimeException e) {
                if (running) {
                    LOG.warnf("Cluster notices: connection lost (%s); reconnecting", e.getMessage());
                }
            } finally {
                close();
            }
            // A connection that lasted is retried at once; one refused or cut again and again (a failover under
            // way), less and less often, up to the check period: each RESYNC drops the registry everywhere.
            backoff = System.nanoTime() - connectedAt > TimeUnit.SECONDS.toNanos(10) ? 100 : Math.min(backoff * 2, check.toMillis());
            sleep(backoff);
        }
    }

    private void connect() throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", user);
        properties.setProperty("password", password);
        properties.setProperty("ApplicationName", "harbour-notices");
        properties.setProperty("connectTimeout", "5");
        properties.setProperty("tcpKeepAlive", "true");
        // A server gone without closing the connection (a partition) is given up on, not waited for for hours.
        properties.setProperty("socketTimeout", String.valueOf(check.toSeconds() * 2 + 5));
        Connection c = DriverManager.getConnection(url, properties);
        connection = c;
        try (Statement s = c.createStatement()) {
            for (Channel channel : Channel.values()) {
                if (channel.name != null) {
                    s.execute("LISTEN " + channel.name);
                }
            }
        }
    }

    /** Until the connection fails: waits for notices, and checks the connection each time none came. */
    private void receive() throws SQLException {
        PGConnection pg = connection.unwrap(PGConnection.class);
        while (running) {
            PGNotification[] received = pg.getNotifications((int) check.toMillis());
            if (received == null || received.length == 0) {
                try (Statement s = connection.createStatement()) {
                    s.setQueryTimeout((int) Math.max(1, check.toSeconds()));
                    s.execute("SELECT 1");
                }
                continue;
            }
            for (PGNotification n : received) {
                Channel channel = Channel.of(n.getName());
                if (channel == null) {
                    continue;
                }
                try {
                    notices.fire(new ClusterNotice(channel, n.getParameter()));
                } catch (RuntimeException e) {
                    LOG.errorf(e, "A cluster notice on %s failed", n.getName());
                }
            }
        }
    }

    private void close() {
        Connection c = connection;
        connection = null;
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // already broken
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
