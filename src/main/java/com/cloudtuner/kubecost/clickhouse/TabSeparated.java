package com.cloudtuner.kubecost.clickhouse;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** ClickHouse's TabSeparated text format: one row per line, fields split by tabs, escaped with backslashes. */
final class TabSeparated {

    /** How ClickHouse writes NULL in this format. */
    static final String NULL = "\\N";

    private TabSeparated() {
    }

    /** One line of {@code TabSeparatedWithNames}, its fields read by column name. */
    public static final class Row {
        private final Map<String, Integer> columns;
        private final String[] fields;

        Row(Map<String, Integer> columns, String[] fields) {
            this.columns = columns;
            this.fields = fields;
        }

        /** The column positions of a header line. */
        static Map<String, Integer> header(String line) {
            String[] names = fields(line);
            Map<String, Integer> columns = new HashMap<>(names.length * 2);
            for (int i = 0; i < names.length; i++) {
                columns.put(names[i], i);
            }
            return columns;
        }

        public String string(String column) {
            Integer i = columns.get(column);
            if (i == null || i >= fields.length) {
                throw new IllegalArgumentException("no column " + column + " in the answer");
            }
            return fields[i];
        }

        public long integer(String column) {
            return Long.parseLong(string(column));
        }

        public double decimal(String column) {
            return Double.parseDouble(string(column));
        }

        /** A Nullable column: null for SQL NULL. */
        public Double nullableDecimal(String column) {
            String v = string(column);
            return v.equals(NULL) ? null : Double.parseDouble(v);
        }

        public boolean flag(String column) {
            return !string(column).equals("0");
        }
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
