package com.cloudtuner.kubecost.cost;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/** A half-open range of whole UTC hours, [start, end). */
public record Window(Instant start, Instant end) {

    public static final long HOUR_MS = 3_600_000L;

    public Window {
        if (start.getEpochSecond() % 3600 != 0 || end.getEpochSecond() % 3600 != 0 || start.getNano() != 0 || end.getNano() != 0) {
            throw new IllegalArgumentException("not whole hours: " + start + ".." + end);
        }
        if (end.isBefore(start)) {
            throw new IllegalArgumentException("window ends before it starts: " + start + ".." + end);
        }
    }

    public boolean isEmpty() {
        return start.equals(end);
    }

    /** Whether {@code t} falls in [start, end). */
    public boolean contains(Instant t) {
        return !t.isBefore(start) && t.isBefore(end);
    }

    public int hours() {
        return (int) ((end.toEpochMilli() - start.toEpochMilli()) / HOUR_MS);
    }

    public long startMs() {
        return start.toEpochMilli();
    }

    public long endMs() {
        return end.toEpochMilli();
    }

    public static Window ofMillis(long startMs, long endMs) {
        return new Window(Instant.ofEpochMilli(startMs), Instant.ofEpochMilli(endMs));
    }

    /** Consecutive windows of at most {@code hours} hours that together are this one. */
    public List<Window> chunks(int hours) {
        List<Window> chunks = new ArrayList<>();
        for (Instant s = start; s.isBefore(end); s = s.plus(hours, ChronoUnit.HOURS)) {
            Instant e = s.plus(hours, ChronoUnit.HOURS);
            chunks.add(new Window(s, e.isAfter(end) ? end : e));
        }
        return chunks;
    }

    /** The start of the UTC hour a timestamp falls in (rule 1), in epoch milliseconds. */
    public static long hourOf(long epochMs) {
        return Math.floorDiv(epochMs, HOUR_MS) * HOUR_MS;
    }

    public static Instant floorHour(Instant t) {
        return Instant.ofEpochSecond(Math.floorDiv(t.getEpochSecond(), 3600) * 3600);
    }

    public static Instant ceilHour(Instant t) {
        Instant floor = floorHour(t);
        return floor.equals(t) ? floor : floor.plus(1, ChronoUnit.HOURS);
    }

    @Override
    public String toString() {
        return start + ".." + end;
    }
}
