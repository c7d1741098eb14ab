package com.cloudtuner.kubecost.clickhouse;

import java.util.ArrayList;
import java.util.List;

/** ClickHouse's TabSeparated text format: one row per line, fields split by tabs, escaped with backslashes. */
final class TabSeparated {

    /** How ClickHouse writes NULL in this format. */
    static final String NULL = "\\N";

    private TabSeparated() {
    }

    /** The fields of one line, unescaped; NULL stays {@value #NULL}. */
    static String[] fields(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\t') {
                out.add(field.toString());
                field.setLength(0);
            } else if (c == '\\' && i + 1 < line.length()) {
                char e = line.charAt(++i);
                switch (e) {
                    case 'n' -> field.append('\n');
                    case 't' -> field.append('\t');
                    case 'r' -> field.append('\r');
                    case 'b' -> field.append('\b');
                    case 'f' -> field.append('\f');
                    case '0' -> field.append('\0');
                    case 'N' -> field.append(NULL); // only ever a whole field
                    default -> field.append(e);     // \\ \' and any other escaped character
                }
            } else {
                field.append(c);
            }
        }
        out.add(field.toString());
        return out.toArray(String[]::new);
    }
}
