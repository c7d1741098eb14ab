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
import io.fabric8.kubernetes.api.model.Namespace;
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
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The manifests in k8s/, read into fabric8's typed Kubernetes model (an unknown or misspelled field
 * fails the read), checked for what a platform team expects of a batch job: a hardened pod, bounded
 * resources, cleanup after the run, no service account token, configuration the worker actually
 * reads, and an image and arguments that fit the Dockerfile and the command line.
 *
 * <p>The pods checked are the CronJob's and those of every Job the documentation tells an operator
 * to make from it (a backfill, {@code check}, {@code gaps}: {@link DocumentedClusterRuns} carries
 * the documented commands out with bash against a stand-in kubectl), so what is pasted in the
 * cluster is held to the same rules. The image and the namespace are set once, in
 * kustomization.yaml; the CronJob is checked as kustomize renders it (namespace and image put in),
 * that rendering compared with kubectl's own where kubectl is installed.
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

    /** A Kubernetes object name that may also be a label value (a Job's name is its pods' job-name label). */
    private static final String DNS_1123_LABEL = "[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?";

    private static Map<String, HasMetadata> byFile;
    private static ParsedDockerfile dockerfile;
    /** The CronJob as the kustomization renders it: the object `kubectl create job --from=cronjob/...` reads. */
    private static JsonNode renderedCronJob;
    private static DocumentedClusterRuns.Outcome documented;

    /** What kustomization.yaml may hold; any other key fails the read. */
    record Kustomization(String apiVersion, String kind, String namespace, List<String> resources, List<Image> images) {
    }

    /** An entry of the kustomization's images: the image name in the manifests and what replaces it. */
    record Image(String name, String newName, String newTag, String digest) {
        String reference() {
            return newName + (digest != null ? "@" + digest : ":" + newTag);
        }
    }

    @BeforeAll
    static void readManifests(@TempDir Path work) throws IOException {
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
        renderedCronJob = rendered(K8S.resolve("cronjob.yaml"));
        documented = DocumentedClusterRuns.run(ROOT, documents(), renderedCronJob, work);
    }

    /**
     * A manifest of the kustomization as kustomize renders it with this kustomization's two
     * transformers: {@code namespace:} on the object, {@code images:} on each container whose image
     * is the entry's name. kustomizeRendersTheStandingResources holds this to kubectl's rendering.
     */
    private static JsonNode rendered(Path manifest) {
        Kustomization k = kustomization();
        ObjectNode object = (ObjectNode) StrictKubernetesYaml.documents(StrictKubernetesYaml.read(manifest)).get(0).deepCopy();
        if (k.namespace() != null && !object.path("kind").asString().equals("Namespace")) {
            ((ObjectNode) object.path("metadata")).put("namespace", k.namespace());
        }
        for (JsonNode container : object.findValues("containers").stream().flatMap(c -> c.valueStream()).toList()) {
            for (Image image : k.images() == null ? List.<Image>of() : k.images()) {
                if (container.path("image").asString().equals(image.name())) {
                    ((ObjectNode) container).put("image", image.reference());
                }
            }
        }
        return object;
    }

    /** The documents that may tell an operator what to run: README.md and docs/*.md. */
    private static List<Path> documents() throws IOException {
        List<Path> docs = new ArrayList<>(List.of(ROOT.resolve("README.md")));
        try (Stream<Path> files = Files.list(ROOT.resolve("docs"))) {
            files.filter(p -> p.toString().endsWith(".md")).sorted().forEach(docs::add);
        }
        return docs;
    }

    @Test
    void everyManifestIsATypedKubernetesObject() {
        Map<String, String> kinds = new LinkedHashMap<>();
        byFile.forEach((file, object) -> kinds.put(file, object.getKind()));
        assertThat(kinds).containsExactlyInAnyOrderEntriesOf(Map.of(
                "namespace.yaml", "Namespace",
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
    void everyPodRunsHardened() {
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
    void everyPodRequestsAndLimitsCpuAndMemory() {
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
    void everyJobCleansUpAfterItselfAndDoesNotRetryBlindly() {
        jobSpecs().forEach((name, spec) -> {
            assertThat(spec.getTtlSecondsAfterFinished()).as(name + " ttlSecondsAfterFinished").isNotNull().isPositive();
            assertThat(spec.getBackoffLimit()).as(name + " backoffLimit").isZero();
            assertThat(spec.getTemplate().getSpec().getRestartPolicy()).as(name + " restartPolicy").isEqualTo("Never");
        });
        CronJob cron = (CronJob) byFile.get("cronjob.yaml");
        assertThat(cron.getSpec().getConcurrencyPolicy()).isEqualTo("Forbid");
        assertThat(cron.getSpec().getSchedule()).isEqualTo("15 * * * *");
        assertThat(cron.getSpec().getJobTemplate().getSpec().getActiveDeadlineSeconds()).as("the hourly run ends before the next one").isPositive();
        // A Job made from the CronJob with other arguments is a backfill, check or gaps, not an hourly
        // run: it must not inherit the hourly deadline (a month's backfill outlasts 55 minutes, let alone
        // the 5-minute cadence's 280 s), nor the CronJob as its owner (whose history limits would delete it,
        // and its log, after three hourly runs rather than after its own ttlSecondsAfterFinished).
        for (DocumentedClusterRuns.Run run : documented.runs()) {
            if (run.patch() != null) {
                Job job = job(run);
                assertThat(job.getSpec().getActiveDeadlineSeconds()).as(run.where() + " " + run.name() + " activeDeadlineSeconds").isNull();
                assertThat(job.getMetadata().getOwnerReferences()).as(run.where() + " " + run.name() + " ownerReferences").isNullOrEmpty();
            }
        }
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
        renderedPods().forEach((name, pod) -> {
            assertThat(pod.getSecurityContext().getRunAsGroup()).as(name + " runAsGroup = the image's group")
                    .isEqualTo(user.length > 1 ? Long.valueOf(user[1]) : null);
            for (Container c : pod.getContainers()) {
                assertThat(c.getCommand()).as(name + ": a command would replace the image's ENTRYPOINT").isNullOrEmpty();
                images.add(c.getImage());
                String repository = c.getImage().replaceAll("[:@].*$", "");
                assertThat(repository.substring(repository.lastIndexOf('/') + 1)).as(name + " image name").isEqualTo(title);
            }
        });
        assertThat(images).as("the CronJob and every Job made from it run the image set in kustomization.yaml")
                .containsExactly(kustomization().images().get(0).reference());
    }

    @Test
    void theImageIsSetInOnePlaceThatReachesEveryWorkload() {
        Kustomization k = kustomization();
        assertThat(k.images()).as("kustomization.yaml images:").hasSize(1);
        Image image = k.images().get(0);
        assertThat(image.newName()).as("images[0].newName").isNotBlank();
        assertThat(image.newTag() != null ^ image.digest() != null).as("images[0]: newTag or digest, one of them").isTrue();
        // The manifests name the image only by the entry's name, which kustomize replaces: no second place holds a registry or tag.
        byFile.forEach((file, object) -> {
            List<JsonNode> containers = StrictKubernetesYaml.documents(StrictKubernetesYaml.read(K8S.resolve(file))).get(0)
                    .findValues("containers").stream().flatMap(JsonNode::valueStream).toList();
            if (!containers.isEmpty()) {
                assertThat(k.resources()).as(file + " has containers: the kustomization must reach it").contains(file);
            }
            containers.forEach(c -> assertThat(c.path("image").asString()).as(file + " container " + c.path("name").asString()
                    + " image (the name images: replaces)").isEqualTo(image.name()));
        });
        assertThat(byFile.values()).as("workloads in k8s/").filteredOn(o -> o instanceof CronJob || o instanceof Job).hasSize(1);
        // Jobs made from the CronJob take its image: in the cluster, the one kustomize rendered.
        documented.runs().forEach(run -> job(run).getSpec().getTemplate().getSpec().getContainers().forEach(c -> assertThat(c.getImage())
                .as(run.where() + " " + run.name()).isEqualTo(image.reference())));
    }

    @Test
    void everyObjectIsInTheNamespaceSetInTheKustomization() {
        String namespace = kustomization().namespace();
        assertThat(namespace).as("kustomization.yaml namespace:").isNotNull().matches(DNS_1123_LABEL);
        Namespace ns = (Namespace) byFile.get("namespace.yaml");
        assertThat(ns.getMetadata().getName()).as("namespace.yaml creates the kustomization's namespace").isEqualTo(namespace);
        assertThat(ns.getMetadata().getLabels()).as("the pods meet the restricted Pod Security Standard; the namespace enforces it")
                .containsEntry("pod-security.kubernetes.io/enforce", "restricted");
        byFile.forEach((file, object) -> {
            String set = object.getMetadata().getNamespace();
            if (object instanceof Namespace) {
                assertThat(set).as(file + ": a Namespace has none").isNull();
            } else if (kustomization().resources().contains(file)) {
                assertThat(set).as(file + ": the kustomization sets it (one place)").isNull();
                assertThat(rendered(K8S.resolve(file)).path("metadata").path("namespace").asString()).as(file + " rendered").isEqualTo(namespace);
            } else {
                assertThat(set).as(file + " is created without the kustomization: it names the namespace").isEqualTo(namespace);
            }
        });
        documented.runs().forEach(run -> assertThat(run.namespace()).as(run.where() + " kubectl create job -n").isEqualTo(namespace));
    }

    @Test
    void theDocumentedKubectlCommandsTargetTheNamespaceAndObjectsThatExist() throws IOException {
        String namespace = kustomization().namespace();
        String cronJob = byFile.get("cronjob.yaml").getMetadata().getName();
        assertThat(documented.runs()).as("documented in-cluster runs").isNotEmpty();
        for (DocumentedClusterRuns.Run run : documented.runs()) {
            String where = run.where() + " " + run.name();
            assertThat(run.name()).as(where + ": a Job name (DNS-1123 label, at most 63 characters)").matches(DNS_1123_LABEL);
            assertThat(run.fromCronJob()).as(where + " --from").isEqualTo("cronjob/" + cronJob);
            StrictKubernetesYaml.object(run.job()); // the Job created is typed strictly, like the manifests
        }
        Set<String> created = new TreeSet<>();
        documented.runs().forEach(r -> created.add(r.where() + " " + r.name()));
        for (DocumentedClusterRuns.Call call : documented.calls()) {
            List<String> argv = call.argv();
            String n = DocumentedClusterRuns.option(argv, "-n", "--namespace");
            assertThat(n).as(call.where() + ": kubectl " + String.join(" ", argv) + " -n").isIn(null, namespace);
            if (argv.contains("logs")) {
                assertThat(n).as(call.where() + ": kubectl logs -n").isEqualTo(namespace);
                String target = argv.stream().filter(a -> a.startsWith("job/")).findFirst().orElse("");
                assertThat(created).as(call.where() + ": kubectl logs " + target + " follows a Job the block created")
                        .contains(call.where() + " " + target.replaceFirst("^job/", ""));
            }
        }
        // -n in every kubectl command of the documents' code, run here or not (a Secret, a rotation)
        Pattern namespaced = Pattern.compile("kubectl\\b[^\\n`]*?\\s(?:-n\\s+|--namespace[= ])([^\\s`]+)");
        for (Path doc : documents()) {
            Matcher m = namespaced.matcher(Files.readString(doc));
            while (m.find()) {
                assertThat(m.group(1)).as(ROOT.relativize(doc) + ": " + m.group()).isEqualTo(namespace);
            }
        }
    }

    @Test
    void theReadmeCreatesTheNamespaceAndSecretBeforeAnythingThatStartsAPod() {
        List<String> commands = StrictKubernetesYaml.read(ROOT.resolve("README.md")).lines().map(String::strip)
                .filter(l -> l.startsWith("kubectl ")).toList();
        int namespace = indexOf(commands, "kubectl apply -f k8s/namespace.yaml");
        int secret = indexOf(commands, "kubectl create secret generic " + NAME + " ");
        int apply = indexOf(commands, "kubectl apply -k k8s/");
        int firstJob = indexOf(commands, "kubectl create job ");
        assertThat(namespace).as("README: kubectl apply -f k8s/namespace.yaml").isNotNegative();
        assertThat(List.of(namespace, secret, apply, firstJob)).as("README's order: namespace, Secret, apply, first Job " + commands)
                .doesNotContain(-1).isSorted();
    }

    private static int indexOf(List<String> lines, String prefix) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith(prefix)) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void theArgumentsAreCommandsTheWorkerAccepts() {
        Map<String, Command> commands = new LinkedHashMap<>();
        pods().forEach((name, pod) -> commands.put(name,
                CommandLine.parse(pod.getContainers().get(0).getArgs().toArray(String[]::new), LATER).command()));
        assertThat(commands.get("cronjob.yaml")).isInstanceOf(Command.Hourly.class);
        commands.forEach((name, command) -> {
            if (command instanceof Command.Backfill b) {
                assertThat(b.window().start()).as(name).isBefore(b.window().end());
                assertThat(b.dryRun()).as(name + ": an example backfill writes").isFalse();
            }
        });
        // Each document gives, for the cluster, the commands its readers are sent there to run.
        Map<String, Set<Class<?>>> kinds = new TreeMap<>();
        for (DocumentedClusterRuns.Run run : documented.runs()) {
            if (run.patch() != null) {
                kinds.computeIfAbsent(run.where().replaceAll(":\\d+$", ""), d -> new java.util.HashSet<>())
                        .add(commands.get(run.where() + " " + run.name()).getClass());
            }
        }
        assertThat(kinds.get("README.md")).as("README.md: in-cluster runs with arguments")
                .contains(Command.Backfill.class, Command.Check.class, Command.Gaps.class);
        assertThat(kinds.get("docs/operator-tools.md")).as("docs/operator-tools.md").contains(Command.Check.class, Command.Gaps.class);
        assertThat(kinds.get("docs/runbook.md")).as("docs/runbook.md").contains(Command.Backfill.class);
    }

    @Test
    void theKustomizationAppliesWhatShouldAlwaysExistAndNothingElse() {
        Kustomization k = kustomization();
        assertThat(k.kind()).isEqualTo("Kustomization");
        assertThat(k.resources()).allMatch(r -> Files.isRegularFile(K8S.resolve(r)), "exists in k8s/");
        // The Secret would overwrite real credentials with placeholders; the one-off Job would run again.
        assertThat(k.resources()).containsExactlyInAnyOrder("namespace.yaml", "serviceaccount.yaml", "configmap.yaml", "cronjob.yaml");
    }

    @Test
    void kustomizeRendersTheStandingResources() throws Exception {
        assumeTrue(onPath("kubectl"), "kubectl is not installed; the render is checked where it is");
        List<String> kinds = new ArrayList<>();
        Kustomization k = kustomization();
        for (JsonNode doc : StrictKubernetesYaml.documents(kustomize(K8S))) {
            HasMetadata object = StrictKubernetesYaml.object(doc); // rendered objects are typed strictly too
            kinds.add(object.getKind());
            assertThat(object.getMetadata().getNamespace()).as(object.getKind() + " namespace")
                    .isEqualTo(object instanceof Namespace ? null : k.namespace());
            doc.findValues("containers").stream().flatMap(JsonNode::valueStream).forEach(c -> assertThat(c.path("image").asString())
                    .as(object.getKind() + " image").isEqualTo(k.images().get(0).reference()));
            if (object instanceof CronJob) {
                assertThat(doc).as("this test's rendering of the CronJob, which documented Jobs are made from").isEqualTo(renderedCronJob);
            }
        }
        assertThat(kinds).containsExactlyInAnyOrder("Namespace", "ServiceAccount", "ConfigMap", "CronJob");
    }

    /** What the kustomization in {@code dir} renders, by kubectl. */
    private static String kustomize(Path dir) throws IOException, InterruptedException {
        Path out = Files.createTempFile("kustomize-", ".yaml");
        try {
            Process p = new ProcessBuilder("kubectl", "kustomize", dir.toString()).redirectErrorStream(true).redirectOutput(out.toFile())
                    .start();
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("kubectl kustomize finished").isTrue();
            String rendered = Files.readString(out);
            assertThat(p.exitValue()).as("kubectl kustomize " + dir + ":\n" + rendered).isZero();
            return rendered;
        } finally {
            Files.deleteIfExists(out);
        }
    }

    /** The Component k8s/sharded: what kustomization.yaml there may hold. */
    record Component(String apiVersion, String kind, List<Patch> patches) {
    }

    record Patch(String path) {
    }

    @Test
    void theShardedComponentRunsOnePodPerShardAndTellsEveryPodTheCount() {
        Component component = StrictKubernetesYaml.as(StrictKubernetesYaml.documents(StrictKubernetesYaml.read(
                K8S.resolve("sharded/kustomization.yaml"))).get(0), Component.class);
        assertThat(component.kind()).isEqualTo("Component");
        assertThat(component.patches()).extracting(Patch::path).containsExactly("shards.yaml");
        CronJob patch = (CronJob) StrictKubernetesYaml.object(StrictKubernetesYaml.documents(StrictKubernetesYaml.read(
                K8S.resolve("sharded/shards.yaml"))).get(0));
        assertShardedJob("k8s/sharded/shards.yaml", patch.getSpec().getJobTemplate().getSpec());
    }

    /**
     * What the kustomization's comment tells an operator to do, done: its {@code components:} lines
     * uncommented in a copy of k8s/. The CronJob then runs as the shards, and differs from the
     * standing one in nothing else.
     */
    @Test
    void uncommentingTheComponentRendersTheCronJobAsShardsAndChangesNothingElse(@TempDir Path copy) throws Exception {
        assumeTrue(onPath("kubectl"), "kubectl is not installed; the render is checked where it is");
        try (Stream<Path> files = Files.walk(K8S)) {
            for (Path f : files.toList()) {
                Files.copy(f, copy.resolve(K8S.relativize(f).toString()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
        String text = Files.readString(copy.resolve("kustomization.yaml"));
        assertThat(text).as("k8s/kustomization.yaml offers the component, commented out").contains("\n# components:\n#   - sharded\n");
        Files.writeString(copy.resolve("kustomization.yaml"), text.replace("\n# components:\n#   - sharded\n", "\ncomponents:\n  - sharded\n"));

        List<JsonNode> cronJobs = StrictKubernetesYaml.documents(kustomize(copy)).stream()
                .filter(d -> d.path("kind").asString().equals("CronJob")).toList();
        assertThat(cronJobs).hasSize(1);
        CronJob sharded = (CronJob) StrictKubernetesYaml.object(cronJobs.get(0));
        assertShardedJob("the rendered CronJob", sharded.getSpec().getJobTemplate().getSpec());

        ObjectNode rest = (ObjectNode) cronJobs.get(0).deepCopy();
        ObjectNode job = (ObjectNode) rest.path("spec").path("jobTemplate").path("spec");
        job.remove(List.of("completionMode", "completions", "parallelism", "backoffLimitPerIndex"));
        job.put("backoffLimit", renderedCronJob.path("spec").path("jobTemplate").path("spec").path("backoffLimit").asInt());
        ((ObjectNode) job.path("template").path("spec").path("containers").get(0)).remove("env");
        assertThat(rest).as("the sharded CronJob but for the shards").isEqualTo(renderedCronJob);
    }

    /**
     * An Indexed Job of N pods, all at once, each told N (WORKER_SHARD_COUNT; its index comes from
     * JOB_COMPLETION_INDEX), where a failed shard does not fail the others.
     */
    private static void assertShardedJob(String where, JobSpec job) {
        assertThat(job.getCompletionMode()).as(where + " completionMode").isEqualTo("Indexed");
        Container worker = job.getTemplate().getSpec().getContainers().stream().filter(c -> c.getName().equals("worker")).findFirst()
                .orElseThrow(() -> new AssertionError(where + ": no container named worker"));
        Map<String, String> env = new TreeMap<>();
        worker.getEnv().forEach(e -> env.put(e.getName(), e.getValue()));
        assertThat(env).as(where + " env").containsOnlyKeys("WORKER_SHARD_COUNT");
        int count = Integer.parseInt(env.get("WORKER_SHARD_COUNT"));
        assertThat(count).as(where + " WORKER_SHARD_COUNT").isGreaterThan(1);
        assertThat(job.getCompletions()).as(where + " completions = WORKER_SHARD_COUNT").isEqualTo(count);
        assertThat(job.getParallelism()).as(where + " parallelism = completions").isEqualTo(count);
        // backoffLimit 0 would fail the Job at the first failed pod and stop the shards still running
        assertThat(job.getBackoffLimit()).as(where + " backoffLimit").isNull();
        assertThat(job.getBackoffLimitPerIndex()).as(where + " backoffLimitPerIndex").isZero();
        assertThat(EnvNamesTheCodeReads.of(ROOT.resolve("src/main/resources/application.properties")).reads("WORKER_SHARD_COUNT"))
                .as("the worker reads WORKER_SHARD_COUNT").isTrue();
        assertThat(DocumentedEnvNames.in(ROOT.resolve("docs/configuration.md"))).contains("WORKER_SHARD_COUNT");
    }

    private static Kustomization kustomization() {
        List<JsonNode> docs = StrictKubernetesYaml.documents(StrictKubernetesYaml.read(K8S.resolve("kustomization.yaml")));
        return StrictKubernetesYaml.as(docs.get(0), Kustomization.class);
    }

    /** The CronJob's pod as in cronjob.yaml, and the pod of each Job the documents make from it (rendered). */
    private static Map<String, PodSpec> pods() {
        Map<String, PodSpec> pods = new LinkedHashMap<>();
        jobSpecs().forEach((name, spec) -> pods.put(name, spec.getTemplate().getSpec()));
        return pods;
    }

    /** The same pods, the CronJob's as the kustomization renders it (its image put in). */
    private static Map<String, PodSpec> renderedPods() {
        Map<String, PodSpec> pods = pods();
        pods.put("cronjob.yaml", ((CronJob) StrictKubernetesYaml.object(renderedCronJob)).getSpec().getJobTemplate().getSpec()
                .getTemplate().getSpec());
        return pods;
    }

    private static Map<String, JobSpec> jobSpecs() {
        Map<String, JobSpec> specs = new LinkedHashMap<>();
        specs.put("cronjob.yaml", ((CronJob) byFile.get("cronjob.yaml")).getSpec().getJobTemplate().getSpec());
        documented.runs().forEach(run -> specs.put(run.where() + " " + run.name(), job(run).getSpec()));
        return specs;
    }

    private static Job job(DocumentedClusterRuns.Run run) {
        return (Job) StrictKubernetesYaml.object(run.job());
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
