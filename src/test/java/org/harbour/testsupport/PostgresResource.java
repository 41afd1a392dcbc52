package org.harbour.testsupport;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/** A real PostgreSQL for the tests, from the system binaries, through the same script as make run. */
public class PostgresResource implements QuarkusTestResourceLifecycleManager {

    static final Path DIR = Path.of("target", "pg-test").toAbsolutePath();
    private int port;

    @Override
    public Map<String, String> start() {
        port = freePort();
        run("start", DIR.toString(), Integer.toString(port), "fast");
        return Map.of("harbour.db.url", url(port));
    }

    @Override
    public void stop() {
        run("stop", DIR.toString());
    }

    public static String url(int port) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/harbour";
    }

    private static void run(String... args) {
        String[] command = new String[args.length + 2];
        command[0] = "bash";
        command[1] = "deploy/local/postgres.sh";
        System.arraycopy(args, 0, command, 2, args.length);
        try {
            Process p = new ProcessBuilder(command).inheritIO().start();
            if (p.waitFor() != 0) {
                throw new IllegalStateException("deploy/local/postgres.sh " + String.join(" ", args) + " failed");
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
