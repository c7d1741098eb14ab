package com.cloudtuner.kubecost.diagnose;

import com.cloudtuner.kubecost.cost.Window;
import com.cloudtuner.kubecost.cli.BackfillCommand;
import com.cloudtuner.kubecost.cost.Figures;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.stream.Collectors;

/** How the tools write times, ages, numbers and commands for people. */
final class Texts {

    private Texts() {
    }

    /** {@code 3h02m}, {@code 4m10s}, {@code 12s}. */
    static String age(Duration d) {
        long s = Math.max(0, d.toSeconds());
        if (s >= 86_400) {
            return (s / 86_400) + "d" + String.format("%02dh", s % 86_400 / 3600);
        }
        if (s >= 3600) {
            return (s / 3600) + "h" + String.format("%02dm", s % 3600 / 60);
        }
        if (s >= 60) {
            return (s / 60) + "m" + String.format("%02ds", s % 60);
        }
        return s + "s";
    }

    /** A setting's duration as it would be written: {@code 30m}, {@code 2h}, {@code 1m30s}, {@code 60s} stays {@code 1m}. */
    static String duration(Duration d) {
        long s = d.toSeconds();
        StringBuilder sb = new StringBuilder();
        if (s >= 86_400 && s % 86_400 == 0) {
            return s / 86_400 + "d";
        }
        if (s >= 3600) {
            sb.append(s / 3600).append('h');
        }
        if (s % 3600 >= 60) {
            sb.append(s % 3600 / 60).append('m');
        }
        if (s % 60 > 0 || s == 0) {
            sb.append(s % 60).append('s');
        }
        return sb.toString();
    }

    /** A number as short as it can be without losing what matters for money: up to 10 significant digits. */
    static String number(double v) {
        if (!Double.isFinite(v)) {
            return Double.isNaN(v) ? "NaN" : v > 0 ? "+Inf" : "-Inf";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        String s = String.format("%.10g", v);
        if (s.contains("e") || s.contains("E")) {
            return s;
        }
        s = s.replaceAll("0+$", "");
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }

    static String number(Double v) {
        return v == null ? "NULL" : number(v.doubleValue());
    }

    /** The hour-of-day part of an instant, {@code 10:03:07} (or with milliseconds when it has them). */
    static String clock(long epochMs) {
        String t = Instant.ofEpochMilli(epochMs).toString();
        return t.substring(11, t.length() - 1);
    }

    static String backfill(Window hours, String tenant) {
        return BackfillCommand.of(hours, tenant);
    }

    /** {@code cost stored 1.5 vs fresh 2}; the currency quoted. */
    static String difference(Figures.Difference d) {
        return d.column().equals("currency") ? "currency stored '" + d.stored() + "' vs fresh '" + d.fresh() + "'"
                : d.column() + " stored " + number((Double) d.stored()) + " vs fresh " + number((Double) d.fresh());
    }

    static String list(Collection<?> items, int max) {
        String shown = items.stream().limit(max).map(String::valueOf).collect(Collectors.joining(", "));
        return items.size() > max ? shown + ", ... (" + items.size() + " in all)" : shown;
    }
}
