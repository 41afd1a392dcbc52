package org.harbour.research;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.agroal.api.AgroalDataSource;

/**
 * Extract files live in PostgreSQL, in chunks of 1 MiB: any instance can stream any file, a file survives
 * the instance that made it, and no instance ever holds a whole one.
 */
@ApplicationScoped
public class ExtractFiles {

    static final int CHUNK = 1 << 20;

    @Inject
    AgroalDataSource db;

    /** Forgets what an interrupted attempt had written. */
    void discard(UUID extract) throws SQLException {
        try (Connection c = db.getConnection(); PreparedStatement q = c.prepareStatement(
                "DELETE FROM research_extract_chunk WHERE extract_id = ?")) {
            q.setObject(1, extract);
            q.executeUpdate();
        }
    }

    OutputStream writer(UUID extract) {
        return new ChunkWriter(extract);
    }

    /** Copies the file to the stream, one chunk read at a time. */
    public void copy(UUID extract, OutputStream out) throws IOException {
        int seq = 0;
        while (true) {
            byte[] chunk;
            try (Connection c = db.getConnection(); PreparedStatement q = c.prepareStatement(
                    "SELECT data FROM research_extract_chunk WHERE extract_id = ? AND seq = ?")) {
                q.setObject(1, extract);
                q.setInt(2, seq);
                try (ResultSet rs = q.executeQuery()) {
                    if (!rs.next()) {
                        return;
                    }
                    chunk = rs.getBytes(1);
                }
            } catch (SQLException e) {
                throw new IOException("the extract file could not be read", e);
            }
            out.write(chunk);
            seq++;
        }
    }

    private final class ChunkWriter extends OutputStream {
        private final UUID extract;
        private final byte[] buffer = new byte[CHUNK];
        private int used;
        private int seq;

        ChunkWriter(UUID extract) {
            this.extract = extract;
        }

        @Override
        public void write(int b) {
            if (used == CHUNK) {
                store();
            }
            buffer[used++] = (byte) b;
        }

        @Override
        public void write(byte[] bytes, int offset, int length) {
            while (length > 0) {
                if (used == CHUNK) {
                    store();
                }
                int n = Math.min(length, CHUNK - used);
                System.arraycopy(bytes, offset, buffer, used, n);
                used += n;
                offset += n;
                length -= n;
            }
        }

        @Override
        public void close() {
            if (used > 0) {
                store();
            }
        }

        private void store() {
            try (Connection c = db.getConnection(); PreparedStatement q = c.prepareStatement(
                    "INSERT INTO research_extract_chunk (extract_id, seq, data) VALUES (?, ?, ?)")) {
                q.setObject(1, extract);
                q.setInt(2, seq++);
                q.setBytes(3, used == CHUNK ? buffer : java.util.Arrays.copyOf(buffer, used));
                q.executeUpdate();
            } catch (SQLException e) {
                throw new UncheckedIOException(new IOException("the extract file could not be stored", e));
            }
            used = 0;
        }
    }
}
