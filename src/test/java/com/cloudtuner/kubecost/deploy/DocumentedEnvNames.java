package com.cloudtuner.kubecost.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The "environment" column of the configuration table (docs/configuration.md): the variables an operator is told about. */
final class DocumentedEnvNames {

    private static final Pattern BACKTICKED_NAME = Pattern.compile("`([A-Z][A-Z0-9_]*)`");

    private DocumentedEnvNames() {
    }

    static Set<String> in(Path document) {
        List<String> lines;
        try {
            lines = Files.readAllLines(document);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int section = lines.indexOf("# Configuration");
        if (section < 0) {
            throw new AssertionError(document + " has no '# Configuration' section");
        }
        int header = section + 1;
        while (header < lines.size() && !lines.get(header).startsWith("|")) {
            header++;
        }
        List<String> columns = cells(lines.get(header));
        int column = columns.indexOf("environment");
        if (column < 0) {
            throw new AssertionError("the configuration table has no 'environment' column: " + lines.get(header));
        }
        Set<String> names = new TreeSet<>();
        for (int i = header + 2; i < lines.size() && lines.get(i).startsWith("|"); i++) { // +2: skip |---|
            Matcher m = BACKTICKED_NAME.matcher(cells(lines.get(i)).get(column));
            while (m.find()) {
                names.add(m.group(1));
            }
        }
        return names;
    }

    private static List<String> cells(String row) {
        String inner = row.strip().replaceAll("^\\|", "").replaceAll("\\|$", "");
        return Arrays.stream(inner.split("\\|", -1)).map(String::strip).toList();
    }
}
