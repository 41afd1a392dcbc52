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

    /** Forgets what an earlier attempt had written, while the job is still claimed with this token. */
    void discard(UUID extract, String claim) throws SQLException {
        try (Connection c = db.getConnection(); PreparedStatement q = c.prepareStatement("""
                DELETE FROM research_extract_chunk
                 WHERE extract_id = ? AND EXISTS (SELECT 1 FROM research_extract WHERE id = ? AND claimed_by = ? FOR SHARE)""")) {
            q.setObject(1, extract);
            q.setObject(2, extract);
            q.setString(3, claim);
            q.executeUpdate();
        }
    }

    /** Chunks are stored only while the job is still claimed with this token: a job taken over writes nothing more. */
    OutputStream writer(UUID extract, String claim) {
        return new ChunkWriter(extract, claim);
    }

    /** Copies the file to the stream, one chunk read at a time, up to the size recorded when the job completed. */
    public void copy(UUID extract, long size, OutputStream out) throws IOException {
        int seq = 0;
        long copied = 0;
        while (copied < size) {
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
            int n = (int) Math.min(chunk.length, size - copied);
            out.write(chunk, 0, n);
            copied += n;
            seq++;
        }
    }

    private final class ChunkWriter extends OutputStream {
        private final UUID extract;
        private final String claim;
        private final byte[] buffer = new byte[CHUNK];
        private int used;
        private int seq;

        ChunkWriter(UUID extract, String claim) {
            this.extract = extract;
            this.claim = claim;
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
            // FOR SHARE waits for a concurrent claim of the job and then sees its new token.
            try (Connection c = db.getConnection(); PreparedStatement q = c.prepareStatement("""
                    INSERT INTO research_extract_chunk (extract_id, seq, data)
                    SELECT ?, ?, ? WHERE EXISTS (SELECT 1 FROM research_extract WHERE id = ? AND claimed_by = ? FOR SHARE)""")) {
                q.setObject(1, extract);
                q.setInt(2, seq++);
                q.setBytes(3, used == CHUNK ? buffer : java.util.Arrays.copyOf(buffer, used));
                q.setObject(4, extract);
                q.setString(5, claim);
                if (q.executeUpdate() == 0) {
                    throw new UncheckedIOException(new IOException("the job was taken over by another instance"));
                }
            } catch (SQLException e) {
                throw new UncheckedIOException(new IOException("the extract file could not be stored", e));
            }
            used = 0;
        }
    }
}
