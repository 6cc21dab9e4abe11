package dev.ccaasfailover;

import dev.ccaasfailover.config.FailoverConfig;
import dev.ccaasfailover.testsupport.RunningMiddleware;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

import java.io.IOException;
import java.io.StringReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * deploy/kubernetes.yaml against what it names: the ConfigMaps of routes and mappings are the repository's files,
 * every environment variable is a configuration key or a secret placeholder of application.properties, every
 * secret key is in the example Secret, every mount, port, probe path, service account and role exists, and the
 * configuration the manifest gives loads. No cluster here: what is checked is what a typo or a renamed key breaks.
 */
class KubernetesManifestsTest {

    static final Path MANIFEST = Path.of("deploy/kubernetes.yaml");
    static final Path SECRETS = Path.of("deploy/kubernetes-secrets.example.yaml");
    static final Path DOCKERFILE = Path.of("deploy/Dockerfile");
    /** Everything below this line in the manifest is written from routes/ and mappings/. */
    static final String GENERATED = "# ---- Generated from routes/ and mappings/ by KubernetesManifestsTest: edit the files, not this part ----";
    static final Pattern ENV_PLACEHOLDER = Pattern.compile("\\{\\{env:([A-Z0-9_]+):");

    static List<Map<String, Object>> docs;
    static Map<String, Object> deployment;
    static Map<String, Object> container;
    static Properties properties;

    @BeforeAll
    static void load() throws IOException {
        docs = yamlDocuments(Files.readString(MANIFEST));
        deployment = only("Deployment", "ccaas-failover");
        container = list(map(map(map(deployment, "spec"), "template"), "spec"), "containers").get(0);
        properties = new Properties();
        try (var in = Files.newBufferedReader(Path.of("application.properties"), StandardCharsets.UTF_8)) {
            properties.load(in);
        }
    }

    @Test
    void theRoutesAndMappingsConfigMapsAreTheRepositorysFilesVerbatim() throws IOException {
        String manifest = Files.readString(MANIFEST);
        int cut = manifest.indexOf(GENERATED);
        assertThat(cut).as("the manifest's generated part starts with: " + GENERATED).isPositive();
        String expected = manifest.substring(0, cut) + generated();
        if (!expected.equals(manifest)) {
            Path fresh = Path.of("target", "kubernetes.yaml");
            Files.createDirectories(fresh.getParent());
            Files.writeString(fresh, expected);
            fail("routes/ or mappings/ changed: the ConfigMaps in " + MANIFEST + " differ from them; " + fresh
                    + " has the manifest with fresh ConfigMaps: cp " + fresh + " " + MANIFEST);
        }
        // and a YAML parser reads back exactly the files (block scalars keep every byte)
        assertThat(data(only("ConfigMap", "ccaas-failover-routes"))).isEqualTo(files(Path.of("routes"), ".camel.yaml"));
        assertThat(data(only("ConfigMap", "ccaas-failover-mappings"))).isEqualTo(files(Path.of("mappings"), ".yaml"));
    }

    @Test
    void theMountsPutRoutesAndMappingsWhereTheApplicationReadsThem() throws IOException {
        String workdir = dockerfile("WORKDIR").get(0);
        Map<String, String> mountPaths = new HashMap<>();
        for (Map<String, Object> m : list(container, "volumeMounts")) {
            mountPaths.put((String) m.get("name"), (String) m.get("mountPath"));
        }
        Map<String, String> configMapOfVolume = new HashMap<>();
        for (Map<String, Object> v : list(map(map(map(deployment, "spec"), "template"), "spec"), "volumes")) {
            if (v.containsKey("configMap")) {
                configMapOfVolume.put((String) v.get("name"), (String) map(v, "configMap").get("name"));
            } else {
                assertThat(v).as("volume " + v.get("name")).containsKey("emptyDir");
            }
        }
        assertThat(mountPaths.keySet()).as("every mount names a volume").isSubsetOf(
                list(map(map(map(deployment, "spec"), "template"), "spec"), "volumes").stream().map(v -> (String) v.get("name")).toList());
        configMapOfVolume.values().forEach(name -> only("ConfigMap", name));
        // Application.routesIncludePattern reads routes/ in the working directory; failover.mappings.dir is relative
        assertThat(mountPaths.get("routes")).isEqualTo(workdir + "/routes");
        assertThat(configMapOfVolume.get("routes")).isEqualTo("ccaas-failover-routes");
        assertThat(mountPaths.get("mappings")).isEqualTo(workdir + "/" + properties.getProperty("failover.mappings.dir"));
        assertThat(configMapOfVolume.get("mappings")).isEqualTo("ccaas-failover-mappings");
        // the image carries the same folders, so a pod without the mounts runs the built-in copies
        assertThat(dockerfile("COPY")).contains("routes /app/routes", "mappings /app/mappings");
    }

    @Test
    void everyEnvironmentVariableIsAConfigurationKeyOrASecretPlaceholder() {
        Map<String, String> keyOfEnv = new HashMap<>();
        properties.stringPropertyNames().forEach(k -> keyOfEnv.put(envName(k), k));
        Set<String> placeholders = secretPlaceholders();

        Map<String, Object> config = data(only("ConfigMap", (String) map(list(container, "envFrom").get(0), "configMapRef").get("name")));
        for (String env : config.keySet()) {
            assertThat(keyOfEnv).as(env + " in the ConfigMap is no key of application.properties").containsKey(env);
        }
        for (Map<String, Object> e : list(container, "env")) {
            String name = (String) e.get("name");
            Map<String, Object> from = map(e, "valueFrom");
            if (from.containsKey("secretKeyRef")) {
                assertThat(placeholders).as(name + " from the Secret is read by no {{env:" + name + ":}} in application.properties")
                        .contains(name);
            } else {
                assertThat(keyOfEnv).as(name + " is no key of application.properties").containsKey(name);
            }
        }
    }

    @Test
    void everySecretTheConfigurationReadsComesFromTheExampleSecret() throws IOException {
        List<Map<String, Object>> secretDocs = yamlDocuments(Files.readString(SECRETS));
        assertThat(secretDocs).hasSize(1);
        Map<String, Object> secret = secretDocs.get(0);
        assertThat(secret.get("kind")).isEqualTo("Secret");
        Set<String> exampleKeys = map(secret, "stringData").keySet();

        Map<String, String> keyOfEnv = new TreeMap<>();
        for (Map<String, Object> e : list(container, "env")) {
            Map<String, Object> ref = map(map(e, "valueFrom"), "secretKeyRef");
            if (ref != null) {
                assertThat(ref.get("name")).isEqualTo(map(secret, "metadata").get("name"));
                keyOfEnv.put((String) e.get("name"), (String) ref.get("key"));
            }
        }
        assertThat(keyOfEnv.keySet()).as("every {{env:...}} secret of application.properties is set from the Secret")
                .containsExactlyInAnyOrderElementsOf(secretPlaceholders());
        assertThat(new TreeSet<>(keyOfEnv.values())).as("the example Secret has exactly the keys the Deployment reads")
                .isEqualTo(new TreeSet<>(exampleKeys));
        assertThat(Files.readString(MANIFEST)).as("no secret value in the manifest").doesNotContain("kind: Secret");
    }

    @Test
    void portsProbesAndTheServiceAgreeWithTheConfiguration() throws IOException {
        Map<String, Integer> ports = new HashMap<>();
        for (Map<String, Object> p : list(container, "ports")) {
            ports.put((String) p.get("name"), (Integer) p.get("containerPort"));
        }
        assertThat(ports).containsEntry("http", Integer.parseInt(properties.getProperty("camel.server.port")))
                .containsEntry("management", Integer.parseInt(properties.getProperty("camel.management.port")));
        assertThat(dockerfile("EXPOSE").get(0).split(" ")).containsExactlyInAnyOrder(
                ports.values().stream().map(String::valueOf).toArray(String[]::new));
        for (String probe : List.of("readinessProbe", "livenessProbe")) {
            Map<String, Object> get = map(map(container, probe), "httpGet");
            assertThat(ports).as(probe + " port").containsKey((String) get.get("port"));
            assertThat(get.get("port")).as(probe + ": health lives on the management port").isEqualTo("management");
        }
        Map<String, Object> service = only("Service", "ccaas-failover");
        for (Map<String, Object> p : list(map(service, "spec"), "ports")) {
            assertThat(ports).as("Service targetPort").containsKey((String) p.get("targetPort"));
        }
        assertThat(list(map(service, "spec"), "ports")).as("the management port stays out of the Service")
                .noneMatch(p -> "management".equals(p.get("targetPort")));
        assertThat(map(map(service, "spec"), "selector")).isEqualTo(map(map(map(map(deployment, "spec"), "template"), "metadata"), "labels"));
    }

    /** The kubelet sends no token: the probe paths must answer a running instance without one. */
    @Test
    void theProbePathsAnswerARunningInstanceWithoutAToken() throws Exception {
        try (RunningMiddleware app = RunningMiddleware.start(Map.of("camel.main.shutdownTimeout", "2"))) {
            for (String probe : List.of("readinessProbe", "livenessProbe")) {
                String path = (String) map(map(container, probe), "httpGet").get("path");
                HttpResponse<String> answer = app.get(path, null);
                assertThat(answer.statusCode()).as(probe + " " + path + ": " + answer.body()).isEqualTo(200);
            }
        }
    }

    @Test
    void theLeaseRbacAndTheClusterSettingsFitTogether() {
        Map<String, Object> podSpec = map(map(map(deployment, "spec"), "template"), "spec");
        String account = (String) podSpec.get("serviceAccountName");
        only("ServiceAccount", account);
        Map<String, Object> binding = only("RoleBinding", "ccaas-failover-leader-election");
        assertThat(list(binding, "subjects")).anyMatch(s -> account.equals(s.get("name")) && "ServiceAccount".equals(s.get("kind")));
        Map<String, Object> role = only("Role", (String) map(binding, "roleRef").get("name"));
        assertThat(list(role, "rules")).anyMatch(r -> ((List<?>) r.get("apiGroups")).contains("coordination.k8s.io")
                && ((List<?>) r.get("resources")).contains("leases")
                && ((List<?>) r.get("verbs")).containsAll(List.of("get", "create", "update")));

        Map<String, Object> config = data(only("ConfigMap", "ccaas-failover-config"));
        assertThat(config.get("FAILOVER_CLUSTER_KIND")).isEqualTo("kubernetes");
        int replicas = (Integer) map(deployment, "spec").get("replicas");
        int quorum = Integer.parseInt((String) config.get("FAILOVER_HEALTH_QUORUM"));
        int maxUnavailable = (Integer) map(only("PodDisruptionBudget", "ccaas-failover"), "spec").get("maxUnavailable");
        assertThat(replicas - maxUnavailable).as("a drain never leaves fewer replicas than the quorum").isGreaterThanOrEqualTo(quorum);
        assertThat(replicas - 1).as("one pod lost still leaves a quorum").isGreaterThanOrEqualTo(quorum);
    }

    /** The manifest's configuration, with any secret values, passes the start-up checks. */
    @Test
    void theConfigurationTheManifestGivesLoads() {
        Map<String, Object> config = data(only("ConfigMap", "ccaas-failover-config"));
        Map<String, String> env = new HashMap<>();
        config.forEach((k, v) -> env.put(k, String.valueOf(v)));
        env.put("FAILOVER_HEALTH_INSTANCE_ID", "ccaas-failover-6d5f9c7b4-x2x9q");
        env.put("FAILOVER_CLUSTER_KUBERNETES_NAMESPACE", "contact-center");
        secretPlaceholders().forEach(name -> env.put(name, "secret-value-of-" + name.toLowerCase(Locale.ROOT)));
        FailoverConfig loaded = FailoverConfig.load(key -> {
            String value = env.getOrDefault(envName(key), properties.getProperty(key));
            if (value == null) {
                return null;
            }
            Matcher m = ENV_PLACEHOLDER.matcher(value);
            return m.find() ? env.getOrDefault(m.group(1), "") : value;
        });
        assertThat(loaded.health().quorum()).isEqualTo(2);
        assertThat(loaded.store().kind().name()).isEqualTo("DYNAMODB");
    }

    // ---- the generated part -------------------------------------------------------------------------------------

    static String generated() throws IOException {
        StringBuilder out = new StringBuilder(GENERATED).append('\n');
        configMap(out, "ccaas-failover-routes", files(Path.of("routes"), ".camel.yaml"),
                "the Camel YAML routes (/app/routes)");
        configMap(out, "ccaas-failover-mappings", files(Path.of("mappings"), ".yaml"),
                "the mapping tables (/app/mappings): the repository's example ids; put your site's in before the first apply");
        return out.toString();
    }

    private static void configMap(StringBuilder out, String name, Map<String, String> files, String what) {
        out.append("# ").append(what).append('\n');
        out.append("---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ").append(name).append("\ndata:\n");
        files.forEach((file, text) -> {
            if (text.startsWith(" ") || text.startsWith("\n")) {
                throw new IllegalStateException(file + " starts with white space: a block scalar needs an indentation indicator");
            }
            // clip (|) keeps one final newline, strip (|-) none, keep (|+) several
            String chomp = !text.endsWith("\n") ? "-" : text.endsWith("\n\n") ? "+" : "";
            out.append("  ").append(file).append(": |").append(chomp).append('\n');
            for (String line : text.split("\n", -1)) {
                out.append(line.isEmpty() ? "" : "    " + line).append('\n');
            }
            out.setLength(out.length() - 1); // split gave one empty string after the last newline
        });
    }

    static Map<String, String> files(Path dir, String suffix) throws IOException {
        try (Stream<Path> list = Files.list(dir)) {
            Map<String, String> files = new TreeMap<>();
            for (Path p : list.filter(p -> p.getFileName().toString().endsWith(suffix)).toList()) {
                files.put(p.getFileName().toString(), Files.readString(p, StandardCharsets.UTF_8));
            }
            return files;
        }
    }

    // ---- reading -----------------------------------------------------------------------------------------------

    /** Upper case, dots and dashes as underscores: how Camel's properties component reads a key from the environment. */
    static String envName(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    static Set<String> secretPlaceholders() {
        Set<String> names = new TreeSet<>();
        for (String key : properties.stringPropertyNames()) {
            Matcher m = ENV_PLACEHOLDER.matcher(properties.getProperty(key));
            while (m.find()) {
                names.add(m.group(1));
            }
        }
        return names;
    }

    static List<String> dockerfile(String instruction) throws IOException {
        return Files.readAllLines(DOCKERFILE).stream().filter(l -> l.startsWith(instruction + " "))
                .map(l -> l.substring(instruction.length() + 1).trim()).collect(Collectors.toList());
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> yamlDocuments(String text) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Object doc : new Load(LoadSettings.builder().setAllowDuplicateKeys(false).build()).loadAllFromReader(new StringReader(text))) {
            if (doc != null) {
                out.add((Map<String, Object>) doc);
            }
        }
        return out;
    }

    static Map<String, Object> only(String kind, String name) {
        List<Map<String, Object>> found = docs.stream()
                .filter(d -> kind.equals(d.get("kind")) && name.equals(map(d, "metadata").get("name"))).toList();
        assertThat(found).as(kind + " " + name + " in " + MANIFEST).hasSize(1);
        return found.get(0);
    }

    static Map<String, Object> data(Map<String, Object> configMap) {
        Map<String, Object> data = map(configMap, "data");
        return data == null ? Map.of() : new LinkedHashMap<>(data);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Map<String, Object> parent, String key) {
        return parent == null ? null : (Map<String, Object>) parent.get(key);
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> list(Map<String, Object> parent, String key) {
        return (List<Map<String, Object>>) parent.get(key);
    }
}
