package org.harbour.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/**
 * Issue 10, point 4: each overlay of deploy/k8s, rendered by kubectl kustomize (Debian's kubectl, installed by
 * deploy/local/deps.sh), holds what a cluster operator expects of the API's deployment.
 */
class KubernetesManifestsTest {

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void theRenderedOverlayIsSafeToRun(String overlay) throws Exception {
        List<JsonNode> objects = render(overlay);
        String namespace = overlay.equals("prod") ? "harbour" : "harbour-dev";
        for (JsonNode o : objects) {
            assertEquals(namespace, o.at("/metadata/namespace").asText(), o.at("/kind").asText() + " " + o.at("/metadata/name").asText());
        }

        JsonNode api = one(objects, "Deployment", "harbour-api");
        JsonNode pod = api.at("/spec/template/spec");
        JsonNode container = pod.at("/containers/0");
        assertEquals("/q/health/ready", container.at("/readinessProbe/httpGet/path").asText());
        assertEquals("/q/health/live", container.at("/livenessProbe/httpGet/path").asText());
        for (String resource : List.of("/resources/requests/cpu", "/resources/requests/memory", "/resources/limits/cpu",
                "/resources/limits/memory")) {
            assertFalse(container.at(resource).isMissingNode(), resource);
        }
        assertTrue(pod.at("/securityContext/runAsNonRoot").asBoolean(), "non-root");
        assertTrue(container.at("/securityContext/readOnlyRootFilesystem").asBoolean(), "read-only root filesystem");
        assertFalse(container.at("/securityContext/allowPrivilegeEscalation").asBoolean(true), "no privilege escalation");
        assertEquals("0", api.at("/spec/strategy/rollingUpdate/maxUnavailable").asText(), "a rollout takes no replica away first");
        assertTrue(pod.at("/terminationGracePeriodSeconds").asInt() >= 25, "room for the shutdown delay and the requests under way");

        // Secrets by reference only, in every container of every Deployment.
        for (JsonNode deployment : all(objects, "Deployment")) {
            for (JsonNode c : deployment.at("/spec/template/spec/containers")) {
                for (JsonNode env : c.path("env")) {
                    String name = env.path("name").asText();
                    if (name.matches(".*(PASSWORD|SECRET|KEY|DB_URL|DB_READ_URL).*")) {
                        assertTrue(env.path("value").isMissingNode(), name + " is a literal");
                        assertFalse(env.at("/valueFrom/secretKeyRef/name").isMissingNode(), name + " comes from a Secret");
                    }
                }
            }
        }

        JsonNode hpa = one(objects, "HorizontalPodAutoscaler", "harbour-api");
        assertEquals("harbour-api", hpa.at("/spec/scaleTargetRef/name").asText());
        assertTrue(hpa.at("/spec/minReplicas").asInt() <= hpa.at("/spec/maxReplicas").asInt());
        JsonNode pdb = one(objects, "PodDisruptionBudget", "harbour-api");
        assertEquals("harbour-api", pdb.at("/spec/selector/matchLabels/app.kubernetes.io~1name").asText());
        if (overlay.equals("prod")) {
            assertEquals(3, api.at("/spec/replicas").asInt());
            assertEquals(2, pdb.at("/spec/minAvailable").asInt(), "two replicas stay through a drain");
            assertTrue(all(objects, "Secret").isEmpty(), "production secrets come from the operator's store, not from these files");
        }

        // The API reaches PostgreSQL, Keycloak, DNS and public https, nothing else.
        JsonNode policy = one(objects, "NetworkPolicy", "harbour-api");
        assertEquals(Set.of("Ingress", "Egress"), texts(policy.at("/spec/policyTypes")));
        Set<String> ports = new TreeSet<>();
        for (JsonNode rule : policy.at("/spec/egress")) {
            rule.path("ports").forEach(p -> ports.add(p.path("port").asText()));
            for (JsonNode to : rule.path("to")) {
                if (to.at("/ipBlock/cidr").asText().equals("0.0.0.0/0")) {
                    assertEquals("443", rule.at("/ports/0/port").asText(), "anywhere only on https");
                    assertTrue(texts(to.at("/ipBlock/except")).containsAll(Set.of("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16",
                            "169.254.0.0/16")), "never private addresses");
                }
            }
        }
        assertEquals(Set.of("5432", "8080", "53", "443"), ports);

        JsonNode keycloak = one(objects, "Deployment", "keycloak");
        assertTrue(keycloak.at("/spec/template/spec/containers/0/args").toString().contains("--import-realm"));
        String realms = keycloak.at("/spec/template/spec/volumes/0/configMap/name").asText();
        JsonNode realmMap = one(objects, "ConfigMap", realms);
        assertTrue(realmMap.at("/data/network-realm.json").asText().contains("\"realm\""), "the network realm is imported");
        assertEquals("ExternalName", one(objects, "Service", "harbour-postgres").at("/spec/type").asText());
    }

    private static List<JsonNode> render(String overlay) throws IOException, InterruptedException {
        Process kubectl = new ProcessBuilder("kubectl", "kustomize", "--load-restrictor", "LoadRestrictionsNone",
                "deploy/k8s/overlays/" + overlay).redirectErrorStream(false).start();
        byte[] out = kubectl.getInputStream().readAllBytes();
        String errors = new String(kubectl.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(kubectl.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, kubectl.exitValue(), errors);
        List<JsonNode> objects = new ArrayList<>();
        try (MappingIterator<JsonNode> docs = new YAMLMapper().readerFor(JsonNode.class).readValues(out)) {
            while (docs.hasNext()) {
                objects.add(docs.next());
            }
        }
        return objects;
    }

    private static List<JsonNode> all(List<JsonNode> objects, String kind) {
        return objects.stream().filter(o -> o.path("kind").asText().equals(kind)).toList();
    }

    private static JsonNode one(List<JsonNode> objects, String kind, String name) {
        List<JsonNode> found = all(objects, kind).stream().filter(o -> o.at("/metadata/name").asText().equals(name)).toList();
        assertEquals(1, found.size(), kind + " " + name);
        return found.get(0);
    }

    private static Set<String> texts(JsonNode array) {
        Set<String> values = new TreeSet<>();
        array.forEach(v -> values.add(v.asText()));
        return values;
    }
}
