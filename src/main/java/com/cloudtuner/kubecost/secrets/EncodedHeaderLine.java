package com.cloudtuner.kubecost.secrets;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;

/**
 * A header line {@code Name: value} as an upstream may encode it in base64: alone, and inside a
 * longer encoded text (a whole request), where it may start at any of the three bytes of a 3-byte
 * group. For each start, the groups wholly inside the line encode to the same characters whatever
 * surrounds them, and those are its forms; the at most two bytes at either end that share a group
 * with a neighbour stay encoded in the output (at the end, the value's last two).
 */
final class EncodedHeaderLine {

    /** Two base64 groups: a shorter form would hide common text. */
    static final int MIN_LENGTH = 8;

    private EncodedHeaderLine() {
    }

    /** The forms of the line, with the name as configured and lower-cased, as HTTP/2 sends it. */
    static List<String> forms(String name, String value) {
        List<String> forms = new ArrayList<>();
        for (String n : new LinkedHashSet<>(List.of(name, name.toLowerCase(Locale.ROOT)))) {
            byte[] line = (n + ": " + value).getBytes(StandardCharsets.UTF_8);
            forms.add(Base64.getEncoder().encodeToString(line));
            for (int skip = 0; skip < 3; skip++) {
                int whole = (line.length - skip) / 3 * 3;
                String inside = Base64.getEncoder().encodeToString(Arrays.copyOfRange(line, skip, skip + whole));
                if (inside.length() >= MIN_LENGTH) {
                    forms.add(inside);
                }
            }
        }
        return forms;
    }
}
