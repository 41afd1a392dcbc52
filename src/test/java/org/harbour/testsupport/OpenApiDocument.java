package org.harbour.testsupport;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.yaml.snakeyaml.Yaml;

/** The committed OpenAPI contract, read as data: the list of operations the authorization matrix walks. */
public final class OpenApiDocument {

    public record Operation(String method, String path, String operationId, Map<String, Object> definition) {
    }

    private static final List<String> METHODS = List.of("get", "post", "put", "patch", "delete");

    private OpenApiDocument() {
    }

    @SuppressWarnings("unchecked")
    public static List<Operation> operations() {
        Map<String, Object> document;
        try (Reader reader = Files.newBufferedReader(Path.of("openapi", "openapi.yaml"))) {
            document = new Yaml().load(reader);
        } catch (IOException e) {
            throw new IllegalStateException("openapi/openapi.yaml cannot be read", e);
        }
        List<Operation> operations = new ArrayList<>();
        Map<String, Map<String, Object>> paths = (Map<String, Map<String, Object>>) document.get("paths");
        for (Map.Entry<String, Map<String, Object>> path : paths.entrySet()) {
            for (Map.Entry<String, Object> entry : path.getValue().entrySet()) {
                if (METHODS.contains(entry.getKey())) {
                    Map<String, Object> op = (Map<String, Object>) entry.getValue();
                    operations.add(new Operation(entry.getKey().toUpperCase(), path.getKey(), (String) op.get("operationId"), op));
                }
            }
        }
        return operations;
    }
}
