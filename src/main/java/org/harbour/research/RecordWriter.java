package org.harbour.research;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

/**
 * Writes rows as CSV (RFC 4180, header first) or JSON Lines, in a fixed column order, so that the same rows
 * give the same bytes. A null value is an empty CSV field and a JSON null: absent or suppressed.
 */
abstract class RecordWriter {

    protected List<String> columns;

    static RecordWriter of(String format, OutputStream out) {
        return "jsonl".equals(format) ? new Jsonl(out) : new Csv(out);
    }

    void header(List<String> columns) {
        this.columns = List.copyOf(columns);
        writeHeader();
    }

    abstract void writeHeader();

    abstract void row(Object[] values);

    abstract void finish();

    private static final class Csv extends RecordWriter {
        private final OutputStream out;
        private final StringBuilder line = new StringBuilder(256);

        Csv(OutputStream out) {
            this.out = out;
        }

        @Override
        void writeHeader() {
            row(columns.toArray());
        }

        @Override
        void row(Object[] values) {
            line.setLength(0);
            for (int i = 0; i < values.length; i++) {
                if (i > 0) {
                    line.append(',');
                }
                if (values[i] != null) {
                    field(values[i].toString());
                }
            }
            line.append("\r\n");
            try {
                out.write(line.toString().getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private void field(String value) {
            boolean quote = value.indexOf(',') >= 0 || value.indexOf('"') >= 0 || value.indexOf('\n') >= 0
                    || value.indexOf('\r') >= 0;
            if (!quote) {
                line.append(value);
                return;
            }
            line.append('"').append(value.replace("\"", "\"\"")).append('"');
        }

        @Override
        void finish() {
        }
    }

    private static final class Jsonl extends RecordWriter {
        private final OutputStream out;
        private final JsonGenerator json;

        Jsonl(OutputStream out) {
            this.out = out;
            try {
                json = new JsonFactory().createGenerator(out, JsonEncoding.UTF8);
                json.setRootValueSeparator(null);
                json.disable(JsonGenerator.Feature.FLUSH_PASSED_TO_STREAM);
                json.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        void writeHeader() {
        }

        @Override
        void row(Object[] values) {
            try {
                json.writeStartObject();
                for (int i = 0; i < values.length; i++) {
                    json.writeFieldName(columns.get(i));
                    Object v = values[i];
                    if (v == null) {
                        json.writeNull();
                    } else if (v instanceof Boolean b) {
                        json.writeBoolean(b);
                    } else if (v instanceof Long l) {
                        json.writeNumber(l);
                    } else if (v instanceof Integer n) {
                        json.writeNumber(n);
                    } else if (v instanceof Number n) {
                        json.writeNumber(n.toString());
                    } else {
                        json.writeString(v.toString());
                    }
                }
                json.writeEndObject();
                json.flush();
                out.write('\n');
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        void finish() {
            try {
                json.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
