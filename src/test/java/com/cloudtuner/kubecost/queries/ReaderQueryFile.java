package com.cloudtuner.kubecost.queries;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * One file of db/queries/: a header of comment lines documenting the query, then one SELECT with
 * clickhouse-driver's {@code %(name)s} parameters, which the REST API passes to
 * {@code Client.execute(sql, params)}, and names of external tables it sends.
 */
public record ReaderQueryFile(Path path, String text) {

    static final Path DIRECTORY = Path.of(System.getProperty("basedir", "")).toAbsolutePath().resolve("db/queries");
    private static final Pattern PARAMETER = Pattern.compile("%\\((\\w+)\\)s");

    static List<ReaderQueryFile> all() {
        try (Stream<Path> files = Files.list(DIRECTORY)) {
            return files.filter(f -> f.toString().endsWith(".sql")).sorted().map(ReaderQueryFile::read).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static ReaderQueryFile named(String fileName) {
        return read(DIRECTORY.resolve(fileName));
    }

    private static ReaderQueryFile read(Path path) {
        try {
            return new ReaderQueryFile(path, Files.readString(path));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String name() {
        return path.getFileName().toString();
    }

    /** The comment lines before the statement. */
    String header() {
        return text.lines().takeWhile(l -> l.startsWith("--")).collect(Collectors.joining("\n"));
    }

    /** The statement without whole-line comments and without its closing semicolon. */
    public String statement() {
        String sql = text.lines().filter(l -> !l.strip().startsWith("--")).collect(Collectors.joining("\n")).strip();
        return sql.endsWith(";") ? sql.substring(0, sql.length() - 1).strip() : sql;
    }

    Set<String> parameters() {
        Set<String> names = new TreeSet<>();
        Matcher m = PARAMETER.matcher(statement());
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }
}
