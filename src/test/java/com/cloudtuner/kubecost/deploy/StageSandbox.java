package com.cloudtuner.kubecost.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Carries out a Dockerfile stage's WORKDIR, COPY and RUN instructions on this machine, with the
 * container's file system mapped into a directory ({@code /src} becomes {@code root/src}), so that a
 * test without a Docker engine runs the image's own commands. RUN takes one plain command (no shell
 * operators): {@code java} is this JVM's, {@code mvn} runs offline against the local repository,
 * and {@code --mount} flags are dropped (a cache mount of ~/.m2 is what the local repository is).
 */
final class StageSandbox {

    record Outcome(int exitCode, String stdout, String stderr) {
    }

    private final Path context;
    private final Path root;
    private Path workdir;

    StageSandbox(Path context, Path root) {
        this.context = context;
        this.root = root;
        this.workdir = root;
    }

    /** The host path of a container path. */
    Path host(String containerPath) {
        return containerPath.startsWith("/") ? root.resolve(containerPath.substring(1)) : workdir.resolve(containerPath);
    }

    void run(ParsedDockerfile.Stage stage, Duration runTimeout) {
        for (ParsedDockerfile.Instruction i : stage.instructions()) {
            switch (i.keyword()) {
                case "WORKDIR" -> {
                    workdir = host(i.arguments());
                    mkdirs(workdir);
                }
                case "COPY" -> copy(i.arguments());
                case "RUN" -> {
                    Outcome o = exec(command(i.arguments()), workdir, runTimeout);
                    if (o.exitCode() != 0) {
                        throw new AssertionError("RUN " + i.arguments() + " exited " + o.exitCode() + "\n" + tail(o.stdout()) + tail(o.stderr()));
                    }
                }
                case "LABEL", "USER", "ENTRYPOINT", "CMD" -> { } // metadata of the image, nothing to carry out
                default -> throw new AssertionError("StageSandbox cannot carry out " + i.keyword() + "; teach it");
            }
        }
    }

    /** {@code COPY [--from=stage] SRC... DEST}; a source from another stage is a container path of this same root. */
    private void copy(String arguments) {
        List<String> words = new ArrayList<>(Arrays.asList(arguments.split("\\s+")));
        boolean fromStage = words.get(0).startsWith("--from=");
        if (fromStage) {
            words.remove(0);
        }
        String dest = words.remove(words.size() - 1);
        for (String src : words) {
            Path from = fromStage ? host(src) : context.resolve(src);
            Path to = host(dest);
            if (Files.isDirectory(from)) {
                copyTree(from, to); // as Docker does: the directory's contents go into the destination
            } else if (dest.endsWith("/") || dest.equals(".")) {
                copyFile(from, to.resolve(from.getFileName().toString()));
            } else {
                copyFile(from, to);
            }
        }
    }

    /** The RUN command as arguments, with this machine's java and an offline mvn. */
    List<String> command(String run) {
        if (run.matches(".*(&&|\\|\\||[;|<>$`]).*")) {
            throw new AssertionError("StageSandbox runs single commands only: " + run);
        }
        List<String> args = new ArrayList<>();
        for (String word : run.strip().split("\\s+")) {
            if (args.isEmpty() && word.startsWith("--mount=")) {
                continue;
            }
            args.add(word);
        }
        if (args.get(0).equals("java")) {
            args.set(0, javaBinary());
        } else if (args.get(0).equals("mvn")) {
            args.set(0, mvnBinary());
            args.add(1, "-o");
        }
        return args;
    }

    static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static String mvnBinary() {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
                .filter(dir -> !dir.isEmpty())
                .map(dir -> Path.of(dir, "mvn"))
                .filter(Files::isExecutable)
                .findFirst().map(Path::toString)
                .orElseThrow(() -> new AssertionError("mvn is not on PATH; ImageIT runs the Dockerfile's Maven command with it"));
    }

    static Outcome exec(List<String> command, Path directory, Duration timeout) {
        try {
            Path out = Files.createTempFile("stage-out-", ".log");
            Path err = Files.createTempFile("stage-err-", ".log");
            try {
                Process p = new ProcessBuilder(command).directory(directory.toFile())
                        .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
                if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    throw new AssertionError(String.join(" ", command) + " did not finish within " + timeout);
                }
                return new Outcome(p.exitValue(), Files.readString(out), Files.readString(err));
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static String tail(String text) {
        List<String> lines = text.lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size())) + "\n";
    }

    private static void mkdirs(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void copyFile(Path from, Path to) {
        try {
            Files.createDirectories(to.getParent());
            Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("COPY " + from + " " + to, e);
        }
    }

    private static void copyTree(Path from, Path to) {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : files.toList()) {
                Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    copyFile(f, target);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("COPY " + from + " " + to, e);
        }
    }
}
