package org.harbour.imports;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Reads an import one record at a time, never the whole body: JSON Lines line by line (a malformed line
 * is rejected alone), or the elements of a JSON array (a syntax error ends the reading there).
 */
abstract class LineReader implements AutoCloseable {

    /** A record read, or why it could not be. */
    record Read(int number, JsonNode node, String malformed) {
    }

    /** The next record, or null at the end. */
    abstract Read next() throws IOException;

    @Override
    public abstract void close() throws IOException;

    static LineReader jsonLines(InputStream in, ObjectMapper json, int maxLineChars) {
        return new JsonLines(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)), json, maxLineChars);
    }

    static LineReader jsonArray(InputStream in, ObjectMapper json) throws IOException {
        return new JsonArray(json.getFactory().createParser(in), json);
    }

    private static final class JsonLines extends LineReader {
        private final BufferedReader reader;
        private final ObjectMapper json;
        private final int maxLineChars;
        private int number;

        JsonLines(BufferedReader reader, ObjectMapper json, int maxLineChars) {
            this.reader = reader;
            this.json = json;
            this.maxLineChars = maxLineChars;
        }

        @Override
        Read next() throws IOException {
            String line;
            do {
                line = reader.readLine();
                number++;
                if (line == null) {
                    return null;
                }
            } while (line.isBlank());
            if (line.length() > maxLineChars) {
                return new Read(number, null, "line-too-long");
            }
            try {
                return new Read(number, json.readTree(line), null);
            } catch (JsonProcessingException e) {
                return new Read(number, null, "malformed-line");
            }
        }

        @Override
        public void close() throws IOException {
            reader.close();
        }
    }

    private static final class JsonArray extends LineReader {
        private final JsonParser parser;
        private final ObjectMapper json;
        private int number;
        private boolean done;

        JsonArray(JsonParser parser, ObjectMapper json) {
            this.parser = parser;
            this.json = json;
        }

        @Override
        Read next() throws IOException {
            if (done) {
                return null;
            }
            number++;
            try {
                if (number == 1 && parser.nextToken() != JsonToken.START_ARRAY) {
                    done = true;
                    return new Read(number, null, "not-an-array");
                }
                JsonToken token = parser.nextToken();
                if (token == JsonToken.END_ARRAY || token == null) {
                    done = true;
                    return null;
                }
                return new Read(number, json.readTree(parser), null);
            } catch (JsonProcessingException e) {
                done = true;
                return new Read(number, null, "malformed-element");
            }
        }

        @Override
        public void close() throws IOException {
            parser.close();
        }
    }
}
