package com.cloudtuner.kubecost.run;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Pattern;

/** Tenant ids split by {@code worker.tenant-pattern}: only valid ones ever reach a query. */
public final class TenantIds {

    private final Pattern pattern;

    public TenantIds(Pattern pattern) {
        this.pattern = pattern;
    }

    /** The ids to process, sorted and without repeats, and those that do not match the pattern. */
    public record Split(List<String> valid, List<String> invalid) {
    }

    public Split split(List<String> ids) {
        List<String> valid = new ArrayList<>();
        List<String> invalid = new ArrayList<>();
        for (String id : new TreeSet<>(ids)) {
            (pattern.matcher(id).matches() ? valid : invalid).add(id);
        }
        return new Split(valid, invalid);
    }
}
