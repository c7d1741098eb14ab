package com.cloudtuner.kubecost.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.cloudtuner.kubecost.cli.CommandLine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The image, checked without a Docker engine by carrying out the Dockerfile's own instructions in a
 * directory that stands for the container's file system (see {@link StageSandbox}): the build stage
 * builds the jar with its Maven command offline from only what it copies, the layers stage
 * extracts the layers the runtime stage copies, and the runtime's ENTRYPOINT, with container
 * arguments appended as Docker appends them, runs the worker. What stays unchecked: pulling the base
 * images, BuildKit's cache mount, and file ownership inside the image.
 */
class ImageIT {

    private static final Path ROOT = Path.of(System.getProperty("basedir", "")).toAbsolutePath();
    private static final Pattern LAYER_IN_INDEX = Pattern.compile("^- \"([^\"]+)\":$");

    @TempDir
    static Path container;
    private static ParsedDockerfile dockerfile;
    private static StageSandbox sandbox;

    @BeforeAll
    static void carryOutTheBuildAndLayersStages() {
        dockerfile = ParsedDockerfile.read(ROOT.resolve("Dockerfile"));
        sandbox = new StageSandbox(ROOT, container);
        sandbox.run(dockerfile.stage("build"), Duration.ofMinutes(10));
        sandbox.run(dockerfile.stage("layers"), Duration.ofMinutes(2));
        sandbox.run(dockerfile.runtime(), Duration.ofMinutes(1));
    }

    @Test
    void theBuildStageBuildsTheJarTheProjectBuilds() throws IOException {
        // The project's own jar (failsafe runs after package) against the one the image would get:
        // a COPY missing from the build stage (db/, whose migrations the pom packages) shows here.
        Map<String, Long> project = entries(ROOT.resolve("target/kubecost-worker.jar"));
        Map<String, Long> image = entries(sandbox.host("/src/target/kubecost-worker.jar"));
        assertThat(image).as("entries and CRCs of the jar the build stage makes").containsExactlyInAnyOrderEntriesOf(project);
        assertThat(image).containsKey("BOOT-INF/classes/db/migration/V1__k8s_expenses.sql");
    }

    private static Map<String, Long> entries(Path jar) throws IOException {
        Map<String, Long> entries = new TreeMap<>();
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            zip.stream().filter(e -> !e.isDirectory()).forEach(e -> entries.put(e.getName(), e.getCrc()));
        }
        return entries;
    }

    @Test
    void theBuildStageCopiesOnlyWhatTheBuildContextLetsThrough() throws IOException {
        // .dockerignore starts from "*" and lets paths back in with "!": every COPY from the context needs one.
        List<String> ignore = Files.readAllLines(ROOT.resolve(".dockerignore")).stream()
                .map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        assertThat(ignore).first().isEqualTo("*");
        List<String> allowed = ignore.stream().filter(l -> l.startsWith("!")).map(l -> l.substring(1).replaceAll("/$", "")).toList();
        for (ParsedDockerfile.Instruction copy : dockerfile.stage("build").all("COPY")) {
            String[] words = copy.arguments().split("\\s+");
            for (int i = 0; i < words.length - 1; i++) {
                String source = words[i].replaceAll("/$", "");
                assertThat(allowed).as("COPY " + source + " from the build context").anyMatch(a -> source.equals(a) || source.startsWith(a + "/"));
            }
        }
    }

    @Test
    void theLayersStageExtractsTheJarsLayersAndTheRuntimeCopiesEachInTheirOrder() throws IOException {
        Path jar = sandbox.host("/layers/app.jar");
        List<String> indexed = new ArrayList<>();
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            String index = new String(zip.getInputStream(zip.getEntry("BOOT-INF/layers.idx")).readAllBytes());
            for (String line : index.lines().toList()) {
                Matcher m = LAYER_IN_INDEX.matcher(line);
                if (m.matches()) {
                    indexed.add(m.group(1));
                }
            }
        }
        assertThat(indexed).as("layers.idx").contains("dependencies", "spring-boot-loader", "application");
        assertThat(indexed.indexOf("dependencies")).as("dependencies before the application").isLessThan(indexed.indexOf("application"));

        Path extracted = sandbox.host("/layers/extracted");
        try (Stream<Path> dirs = Files.list(extracted)) {
            assertThat(dirs.map(d -> d.getFileName().toString())).isSubsetOf(indexed).contains("dependencies", "application");
        }
        // an application jar whose manifest names its libraries, each layer holding its part of them
        assertThat(extracted.resolve("dependencies/lib")).isNotEmptyDirectory();
        assertThat(extracted.resolve("application/app.jar")).isRegularFile();

        List<String> copied = new ArrayList<>();
        for (ParsedDockerfile.Instruction copy : dockerfile.runtime().all("COPY")) {
            Matcher m = Pattern.compile("--from=layers\\s+/layers/extracted/([^/]+)/\\s+\\./?").matcher(copy.arguments());
            assertThat(m.matches()).as("runtime COPY " + copy.arguments() + " copies one layer").isTrue();
            copied.add(m.group(1));
        }
        assertThat(copied).as("one COPY (image layer) per jar layer, least often changed first").isEqualTo(indexed);
    }

    @Test
    void theEntrypointRunsTheWorkersHelp() {
        StageSandbox.Outcome help = runImage("--help");

        assertThat(help.exitCode()).as(help.stderr()).isZero();
        assertThat(help.stdout()).isEqualTo(CommandLine.USAGE);
    }

    @Test
    void containerArgumentsReachTheWorker() {
        // Refused before any server is needed: proves each argument arrives, in order, as the worker's own.
        StageSandbox.Outcome backfill = runImage("backfill", "--from=2025-10-08", "--to=2025-10-01");

        assertThat(backfill.exitCode()).as(backfill.stdout() + backfill.stderr()).isEqualTo(2);
        assertThat(backfill.stderr()).contains("--from 2025-10-08T00:00:00Z is not before --to 2025-10-01T00:00:00Z");
    }

    @Test
    void theTrainingRunLeavesAClassDataSharingArchiveTheEntrypointMaps() throws IOException {
        Path archive = sandbox.host(runtime().workdir()).resolve("app.jsa");
        assertThat(archive).isRegularFile();
        assertThat(Files.size(archive)).as("classes archived").isGreaterThan(1 << 20);
        assertThat(runtime().execForm("ENTRYPOINT")).contains("-XX:SharedArchiveFile=/app/app.jsa");
        // -Xshare:on makes the JVM refuse to start unless it maps the archive
        StageSandbox.Outcome help = runImage(List.of("-Xshare:on"), "--help");
        assertThat(help.exitCode()).as(help.stderr()).isZero();
        assertThat(help.stdout()).isEqualTo(CommandLine.USAGE);
    }

    /** An absolute path of the image, alone or as an option's value, as the sandbox holds it. */
    private static String inSandbox(String word) {
        int eq = word.indexOf("=/");
        if (word.startsWith("/")) {
            return sandbox.host(word).toString();
        }
        return eq < 0 ? word : word.substring(0, eq + 1) + sandbox.host(word.substring(eq + 1));
    }

    private static ParsedDockerfile.Stage runtime() {
        return dockerfile.runtime();
    }

    /** Like {@code docker run IMAGE args...}: the ENTRYPOINT, then the arguments, in the image's WORKDIR. */
    private static StageSandbox.Outcome runImage(String... args) {
        return runImage(List.of(), args);
    }

    /** {@link #runImage(String...)} with JVM options added to the ENTRYPOINT's (as JAVA_TOOL_OPTIONS would). */
    private static StageSandbox.Outcome runImage(List<String> jvmOptions, String... args) {
        ParsedDockerfile.Stage runtime = dockerfile.runtime();
        List<String> command = new ArrayList<>();
        for (String word : runtime.execForm("ENTRYPOINT")) {
            command.add(word.equals("java") ? StageSandbox.javaBinary() : inSandbox(word));
            if (word.equals("java")) {
                command.addAll(jvmOptions);
            }
        }
        command.addAll(List.of(args));
        return StageSandbox.exec(command, sandbox.host(runtime.workdir()), Duration.ofMinutes(2));
    }
}
