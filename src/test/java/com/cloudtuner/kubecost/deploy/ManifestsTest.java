package com.cloudtuner.kubecost.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.cloudtuner.kubecost.cli.Command;
import com.cloudtuner.kubecost.cli.CommandLine;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SeccompProfile;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The manifests in k8s/, read into fabric8's typed Kubernetes model (an unknown or misspelled field
 * fails the read), checked for what a platform team expects of a batch job: a hardened pod, bounded
 * resources, cleanup after the run, no service account token, configuration the worker actually
 * reads, and an image and arguments that fit the Dockerfile and the command line.
 *
 * <p>Environment variables: the set the worker reads is derived from the code
 * ({@link EnvNamesTheCodeReads}: application.properties placeholders plus Spring Boot's relaxed
 * binding onto the {@code @ConfigurationProperties} records), and each variable the manifests set
 * must also be in the configuration table (docs/configuration.md), so an operator can look it up.
 * Deriving from the code, not from the documentation alone, is what catches a documented variable
 * that nothing reads.
 */
class ManifestsTest {

    private static final Path ROOT = Path.of(System.getProperty("basedir", "")).toAbsolutePath();
    private static final Path K8S = ROOT.resolve("k8s");
    private static final String NAME = "kubecost-worker";
    /** Far after any date in the manifests, so that a backfill's --to is never clamped. */
    private static final Clock LATER = Clock.fixed(Instant.parse("2100-01-01T00:00:00Z"), ZoneOffset.UTC);

    private static Map<String, HasMetadata> byFile;
    private static ParsedDockerfile dockerfile;

    /** What kustomization.yaml may hold; any other key fails the read. */
    record Kustomization(String apiVersion, String kind, List<String> resources) {
    }

    @BeforeAll
    static void readManifests() throws IOException {
        byFile = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(K8S)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                if (!f.getFileName().toString().equals("kustomization.yaml")) {
                    List<JsonNode> docs = StrictKubernetesYaml.documents(StrictKubernetesYaml.read(f));
                    assertThat(docs).as(f + " holds one object").hasSize(1);
                    byFile.put(f.getFileName().toString(), StrictKubernetesYaml.object(docs.get(0)));
                }
            }
        }
        dockerfile = ParsedDockerfile.read(ROOT.resolve("Dockerfile"));
    }

    @Test
    void everyManifestIsATypedKubernetesObject() {
        Map<String, String> kinds = new LinkedHashMap<>();
        byFile.forEach((file, object) -> kinds.put(file, object.getKind()));
        assertThat(kinds).containsExactlyInAnyOrderEntriesOf(Map.of(
                "backfill-job.yaml", "Job",
                "configmap.yaml", "ConfigMap",
                "cronjob.yaml", "CronJob",
                "secret.example.yaml", "Secret",
                "serviceaccount.yaml", "ServiceAccount"));
        byFile.values().forEach(o -> assertThat(o.getMetadata().getName()).as(o.getKind()).startsWith("kubecost-"));
    }

    @Test
    void aMisspelledFieldFailsTheRead() {
        String original = StrictKubernetesYaml.read(K8S.resolve("cronjob.yaml"));
        assertThat(original).contains("readOnlyRootFilesystem");
        String yaml = original.replace("readOnlyRootFilesystem", "readOnlyRootFileSystem");
        assertThatThrownBy(() -> StrictKubernetesYaml.object(StrictKubernetesYaml.documents(yaml).get(0)))
                .hasMessageContaining("readOnlyRootFileSystem");
    }

    @Test
    void bothPodsRunHardened() {
        int uid = Integer.parseInt(dockerfileUser()[0]);
        pods().forEach((name, pod) -> {
            PodSecurityContext podContext = pod.getSecurityContext();
            assertThat(podContext).as(name + " pod securityContext").isNotNull();
            assertThat(podContext.getRunAsNonRoot()).as(name + " runAsNonRoot").isTrue();
            assertThat(podContext.getRunAsUser()).as(name + " runAsUser = the image's USER").isEqualTo((long) uid);
            assertThat(pod.getAutomountServiceAccountToken()).as(name + " automountServiceAccountToken").isFalse();
            assertThat(pod.getServiceAccountName()).as(name + " serviceAccountName").isEqualTo(NAME);
            assertThat(pod.getContainers()).as(name + " containers").isNotEmpty();
            for (Container c : pod.getContainers()) {
                String where = name + " container " + c.getName();
                SecurityContext sc = c.getSecurityContext();
                assertThat(sc).as(where + " securityContext").isNotNull();
                assertThat(sc.getAllowPrivilegeEscalation()).as(where + " allowPrivilegeEscalation").isFalse();
                assertThat(sc.getReadOnlyRootFilesystem()).as(where + " readOnlyRootFilesystem").isTrue();
                assertThat(sc.getCapabilities()).as(where + " capabilities").isNotNull();
                assertThat(sc.getCapabilities().getDrop()).as(where + " capabilities.drop").containsExactly("ALL");
                assertThat(sc.getCapabilities().getAdd()).as(where + " capabilities.add").isNullOrEmpty();
                assertThat(sc.getRunAsNonRoot()).as(where + " must not override runAsNonRoot").isNotEqualTo(Boolean.FALSE);
                assertThat(sc.getPrivileged()).as(where + " privileged").isNotEqualTo(Boolean.TRUE);
                // the container's seccomp profile wins over the pod's
                SeccompProfile seccomp = sc.getSeccompProfile() != null ? sc.getSeccompProfile() : podContext.getSeccompProfile();
                assertThat(seccomp).as(where + " seccompProfile").isNotNull();
                assertThat(seccomp.getType()).as(where + " seccompProfile.type").isEqualTo("RuntimeDefault");
                assertWritableTmp(where, pod, c);
            }
        });
    }

    /** A read-only root leaves the JVM needing a writable java.io.tmpdir: /tmp from an emptyDir. */
    private static void assertWritableTmp(String where, PodSpec pod, Container c) {
        VolumeMount tmp = c.getVolumeMounts().stream().filter(m -> m.getMountPath().equals("/tmp")).findFirst().orElse(null);
        assertThat(tmp).as(where + " mounts /tmp").isNotNull();
        assertThat(tmp.getReadOnly()).as(where + " /tmp writable").isNotEqualTo(Boolean.TRUE);
        Volume volume = pod.getVolumes().stream().filter(v -> v.getName().equals(tmp.getName())).findFirst().orElse(null);
        assertThat(volume).as(where + " volume " + tmp.getName()).isNotNull();
        assertThat(volume.getEmptyDir()).as(where + " /tmp is an emptyDir").isNotNull();
    }

    @Test
    void bothPodsRequestAndLimitCpuAndMemory() {
        pods().forEach((name, pod) -> {
            for (Container c : pod.getContainers()) {
                String where = name + " container " + c.getName();
                assertThat(c.getResources()).as(where + " resources").isNotNull();
                Map<String, Quantity> requests = c.getResources().getRequests();
                Map<String, Quantity> limits = c.getResources().getLimits();
                assertThat(requests).as(where + " requests").containsKeys("cpu", "memory");
                assertThat(limits).as(where + " limits").containsKeys("cpu", "memory");
                for (String resource : List.of("cpu", "memory")) {
                    assertThat(requests.get(resource).getNumericalAmount())
                            .as(where + " " + resource + " request <= limit")
                            .isPositive()
                            .isLessThanOrEqualTo(limits.get(resource).getNumericalAmount());
                }
            }
        });
    }

    @Test
    void bothJobsCleanUpAfterThemselvesAndDoNotRetryBlindly() {
        jobSpecs().forEach((name, spec) -> {
            assertThat(spec.getTtlSecondsAfterFinished()).as(name + " ttlSecondsAfterFinished").isNotNull().isPositive();
            assertThat(spec.getBackoffLimit()).as(name + " backoffLimit").isZero();
            assertThat(spec.getTemplate().getSpec().getRestartPolicy()).as(name + " restartPolicy").isEqualTo("Never");
        });
        CronJob cron = (CronJob) byFile.get("cronjob.yaml");
        assertThat(cron.getSpec().getConcurrencyPolicy()).isEqualTo("Forbid");
        assertThat(cron.getSpec().getSchedule()).isEqualTo("15 * * * *");
    }

    @Test
    void theServiceAccountMountsNoToken() {
        ServiceAccount sa = (ServiceAccount) byFile.get("serviceaccount.yaml");
        assertThat(sa.getMetadata().getName()).isEqualTo(NAME);
        assertThat(sa.getAutomountServiceAccountToken()).isFalse();
    }

    @Test
    void everyEnvironmentVariableTheManifestsSetIsOneTheWorkerReads() {
        EnvNamesTheCodeReads code = EnvNamesTheCodeReads.of(ROOT.resolve("src/main/resources/application.properties"));
        Set<String> documented = DocumentedEnvNames.in(ROOT.resolve("docs/configuration.md"));
        Set<String> set = envNamesSet();
        assertThat(set).as("variables the manifests set").contains("THANOS_URL", "CLICKHOUSE_URL", "CLICKHOUSE_DATABASE",
                "CLICKHOUSE_USER", "CLICKHOUSE_PASSWORD");
        assertThat(set).as("variables the worker does not read (placeholders: %s; bound properties: %s)",
                code.placeholders(), code.boundProperties()).allMatch(code::reads);
        assertThat(set).as("variables missing from the configuration table in docs/configuration.md").isSubsetOf(documented);
    }

    /** Every name a container of either pod gets: env entries, and the keys of the ConfigMaps and Secrets it takes whole. */
    private static Set<String> envNamesSet() {
        Set<String> names = new TreeSet<>();
        pods().forEach((name, pod) -> {
            for (Container c : pod.getContainers()) {
                c.getEnv().stream().map(EnvVar::getName).forEach(names::add);
                for (EnvFromSource from : c.getEnvFrom()) {
                    assertThat(from.getPrefix()).as(name + " envFrom prefix").isNullOrEmpty();
                    if (from.getConfigMapRef() != null) {
                        names.addAll(configMap(from.getConfigMapRef().getName()).getData().keySet());
                    }
                    if (from.getSecretRef() != null) {
                        names.addAll(secretKeys(secret(from.getSecretRef().getName())));
                    }
                }
            }
        });
        return names;
    }

    @Test
    void credentialsComeFromTheSecretOnly() {
        ConfigMap config = configMap(NAME);
        assertThat(config.getData().keySet()).as("ConfigMap keys that look like credentials")
                .noneMatch(k -> k.matches(".*(PASSWORD|TOKEN|USER).*"));
        assertThat(secretKeys(secret(NAME))).contains("CLICKHOUSE_USER", "CLICKHOUSE_PASSWORD");
        pods().forEach((name, pod) -> pod.getContainers().forEach(c -> {
            assertThat(c.getEnv()).as(name + ": literal values that look like credentials")
                    .noneMatch(e -> e.getValue() != null && e.getName().matches(".*(PASSWORD|TOKEN).*"));
            assertThat(c.getEnvFrom()).as(name + " takes the ConfigMap and the Secret").extracting(
                    f -> f.getConfigMapRef() != null ? "ConfigMap " + f.getConfigMapRef().getName()
                            : "Secret " + f.getSecretRef().getName())
                    .containsExactlyInAnyOrder("ConfigMap " + NAME, "Secret " + NAME);
        }));
    }

    @Test
    void theImageAndItsEntrypointAreTheDockerfiles() {
        ParsedDockerfile.Stage runtime = dockerfile.runtime();
        String title = runtime.labels().get("org.opencontainers.image.title");
        assertThat(title).as("Dockerfile LABEL org.opencontainers.image.title").isEqualTo(NAME);
        List<String> entrypoint = runtime.execForm("ENTRYPOINT");
        assertThat(entrypoint).as("the JVM sizes its heap from the container's memory limit")
                .anyMatch(a -> a.matches("-XX:MaxRAMPercentage=\\d+(\\.\\d+)?"));
        assertThat(CommandLine.parse(runtime.execForm("CMD").toArray(String[]::new), LATER).command())
                .as("the image's default arguments").isInstanceOf(Command.Hourly.class);
        String[] user = dockerfileUser();
        Set<String> images = new TreeSet<>();
        pods().forEach((name, pod) -> {
            assertThat(pod.getSecurityContext().getRunAsGroup()).as(name + " runAsGroup = the image's group")
                    .isEqualTo(user.length > 1 ? Long.valueOf(user[1]) : null);
            for (Container c : pod.getContainers()) {
                assertThat(c.getCommand()).as(name + ": a command would replace the image's ENTRYPOINT").isNullOrEmpty();
                images.add(c.getImage());
                String repository = c.getImage().replaceAll("[:@].*$", "");
                assertThat(repository.substring(repository.lastIndexOf('/') + 1)).as(name + " image name").isEqualTo(title);
            }
        });
        assertThat(images).as("the CronJob and the backfill Job run the same image").hasSize(1);
    }

    @Test
    void theArgumentsAreCommandsTheWorkerAccepts() {
        Map<String, Command> commands = new LinkedHashMap<>();
        pods().forEach((name, pod) -> commands.put(name,
                CommandLine.parse(pod.getContainers().get(0).getArgs().toArray(String[]::new), LATER).command()));
        assertThat(commands.get("cronjob.yaml")).isInstanceOf(Command.Hourly.class);
        assertThat(commands.get("backfill-job.yaml")).isInstanceOfSatisfying(Command.Backfill.class, b -> {
            assertThat(b.window().start()).isBefore(b.window().end());
            assertThat(b.dryRun()).as("an example backfill writes").isFalse();
        });
    }

    @Test
    void theKustomizationAppliesWhatShouldAlwaysExistAndNothingElse() {
        Kustomization k = kustomization();
        assertThat(k.kind()).isEqualTo("Kustomization");
        assertThat(k.resources()).allMatch(r -> Files.isRegularFile(K8S.resolve(r)), "exists in k8s/");
        // The Secret would overwrite real credentials with placeholders; the one-off Job would run again.
        assertThat(k.resources()).containsExactlyInAnyOrder("serviceaccount.yaml", "configmap.yaml", "cronjob.yaml");
    }

    @Test
    void kustomizeRendersTheStandingResources() throws Exception {
        assumeTrue(onPath("kubectl"), "kubectl is not installed; the render is checked where it is");
        Path out = Files.createTempFile("kustomize-", ".yaml");
        try {
            Process p = new ProcessBuilder("kubectl", "kustomize", K8S.toString())
                    .redirectErrorStream(true).redirectOutput(out.toFile()).start();
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("kubectl kustomize finished").isTrue();
            String rendered = Files.readString(out);
            assertThat(p.exitValue()).as("kubectl kustomize k8s/:\n" + rendered).isZero();
            List<String> kinds = new ArrayList<>();
            for (JsonNode doc : StrictKubernetesYaml.documents(rendered)) {
                kinds.add(StrictKubernetesYaml.object(doc).getKind()); // rendered objects are typed strictly too
            }
            assertThat(kinds).containsExactlyInAnyOrder("ServiceAccount", "ConfigMap", "CronJob");
        } finally {
            Files.deleteIfExists(out);
        }
    }

    private static Kustomization kustomization() {
        List<JsonNode> docs = StrictKubernetesYaml.documents(StrictKubernetesYaml.read(K8S.resolve("kustomization.yaml")));
        return StrictKubernetesYaml.as(docs.get(0), Kustomization.class);
    }

    private static Map<String, PodSpec> pods() {
        Map<String, PodSpec> pods = new LinkedHashMap<>();
        jobSpecs().forEach((name, spec) -> pods.put(name, spec.getTemplate().getSpec()));
        return pods;
    }

    private static Map<String, JobSpec> jobSpecs() {
        Map<String, JobSpec> specs = new LinkedHashMap<>();
        specs.put("cronjob.yaml", ((CronJob) byFile.get("cronjob.yaml")).getSpec().getJobTemplate().getSpec());
        specs.put("backfill-job.yaml", ((Job) byFile.get("backfill-job.yaml")).getSpec());
        return specs;
    }

    private static ConfigMap configMap(String name) {
        return byFile.values().stream().filter(o -> o instanceof ConfigMap && o.getMetadata().getName().equals(name))
                .map(ConfigMap.class::cast).findFirst()
                .orElseThrow(() -> new AssertionError("no ConfigMap named " + name + " in k8s/"));
    }

    private static Secret secret(String name) {
        return byFile.values().stream().filter(o -> o instanceof Secret && o.getMetadata().getName().equals(name))
                .map(Secret.class::cast).findFirst()
                .orElseThrow(() -> new AssertionError("no Secret named " + name + " in k8s/"));
    }

    private static Set<String> secretKeys(Secret secret) {
        Set<String> keys = new TreeSet<>();
        if (secret.getData() != null) {
            keys.addAll(secret.getData().keySet());
        }
        if (secret.getStringData() != null) {
            keys.addAll(secret.getStringData().keySet());
        }
        return keys;
    }

    /** The image's USER as {uid} or {uid, gid}; numeric, or Kubernetes could not verify runAsNonRoot. */
    private static String[] dockerfileUser() {
        String user = dockerfile.runtime().last("USER").orElseThrow(() -> new AssertionError("the image sets no USER")).arguments();
        assertThat(user).as("the image's USER is numeric and not root").matches("[1-9]\\d*(:\\d+)?");
        return user.split(":");
    }

    static boolean onPath(String program) {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
                .anyMatch(dir -> !dir.isEmpty() && Files.isExecutable(Path.of(dir, program)));
    }
}
