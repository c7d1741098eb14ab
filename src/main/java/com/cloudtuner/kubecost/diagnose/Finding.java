package com.cloudtuner.kubecost.diagnose;

import tools.jackson.databind.node.ObjectNode;

/**
 * One line of a check: where, what was found and, for a problem, the command or setting that
 * fixes it. {@code code} names the diagnosis for scripts (stable; the text may change).
 */
record Finding(Level level, String code, String where, String what, String fix) {

    enum Level { OK, NOTE, PROBLEM }

    static Finding ok(String code, String where, String what) {
        return new Finding(Level.OK, code, where, what, null);
    }

    static Finding note(String code, String where, String what) {
        return new Finding(Level.NOTE, code, where, what, null);
    }

    static Finding problem(String code, String where, String what, String fix) {
        return new Finding(Level.PROBLEM, code, where, what, fix);
    }

    /** The human line: one line whatever the message holds. */
    String line() {
        String label = switch (level) {
            case OK -> "ok      ";
            case NOTE -> "note    ";
            case PROBLEM -> "PROBLEM ";
        };
        String text = label + " " + where + ": " + what + (fix == null ? "" : "; fix: " + fix);
        return text.replaceAll("[\\r\\n]+", " ");
    }

    ObjectNode json() {
        ObjectNode n = Json.object()
                .put("level", level.name().toLowerCase())
                .put("code", code)
                .put("where", where)
                .put("what", what);
        if (fix != null) {
            n.put("fix", fix);
        }
        return n;
    }
}
