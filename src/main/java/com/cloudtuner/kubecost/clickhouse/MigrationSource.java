package com.cloudtuner.kubecost.clickhouse;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

/** Where migration files come from: the jar's {@code db/migration/} or, for tests and tools, a directory. */
public final class MigrationSource {

    private MigrationSource() {
    }

    public static List<Migration> classpath() {
        try {
            List<Migration> found = new ArrayList<>();
            for (Resource r : new PathMatchingResourcePatternResolver().getResources("classpath*:db/migration/*.sql")) {
                String name = r.getFilename();
                if (name != null && Migration.isMigrationName(name)) {
                    found.add(Migration.of(name, r.getContentAsString(StandardCharsets.UTF_8)));
                }
            }
            return ordered(found);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read db/migration from the classpath", e);
        }
    }

    public static List<Migration> directory(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            List<Migration> found = new ArrayList<>();
            for (Path f : files.toList()) {
                String name = f.getFileName().toString();
                if (Migration.isMigrationName(name)) {
                    found.add(Migration.of(name, Files.readString(f)));
                }
            }
            return ordered(found);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read migrations from " + dir, e);
        }
    }

    private static List<Migration> ordered(List<Migration> migrations) {
        Map<Integer, String> seen = new HashMap<>();
        for (Migration m : migrations) {
            String other = seen.put(m.version(), m.script());
            if (other != null) {
                throw new MigrationException("two migrations have version " + m.version() + ": " + other + " and " + m.script());
            }
        }
        return migrations.stream().sorted(Comparator.comparingInt(Migration::version)).toList();
    }
}
