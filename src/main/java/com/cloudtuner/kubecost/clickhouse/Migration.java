package com.cloudtuner.kubecost.clickhouse;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One versioned migration file, {@code V<version>__<description>.sql}. Its statements are separated
 * by a semicolon at the end of a line; {@code --} comment lines are dropped. ClickHouse DDL is not
 * transactional, so every statement must be safe to run twice ({@code IF NOT EXISTS}): a runner
 * that dies half-way re-runs the whole file next time.
 */
public record Migration(int version, String script, String sql, String checksum) {

    private static final Pattern NAME = Pattern.compile("V(\\d+)__([A-Za-z0-9_]+)\\.sql");

    public static boolean isMigrationName(String fileName) {
        return NAME.matcher(fileName).matches();
    }

    public static Migration of(String fileName, String content) {
        Matcher m = NAME.matcher(fileName);
        if (!m.matches()) {
            throw new MigrationException("not a migration file name (V<n>__<name>.sql): " + fileName);
        }
        String normalized = content.replace("\r\n", "\n");
        return new Migration(Integer.parseInt(m.group(1)), fileName, normalized, sha256(normalized));
    }

    public List<String> statements() {
        return Arrays.stream(sql.split(";[ \\t]*(?:\\n|$)"))
                .map(s -> s.lines().filter(l -> !l.strip().startsWith("--")).reduce("", (a, b) -> a + b + "\n").strip())
                .filter(s -> !s.isEmpty())
                .toList();
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JRE has SHA-256", e);
        }
    }
}
