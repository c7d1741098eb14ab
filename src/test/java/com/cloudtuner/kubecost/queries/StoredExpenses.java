package com.cloudtuner.kubecost.queries;

import com.cloudtuner.kubecost.cost.ResourceIds;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Rows of k8s_expenses as the worker leaves them over time: keys written once, rewritten with a
 * new value, tombstoned (a namespace a later computation no longer has), tombstoned and written
 * again, and a range erased with tombstones (backfill --erase-missing). Every version is kept, so a
 * test can insert them all and work out independently which ones a reader should see.
 */
final class StoredExpenses {

    enum History { WRITTEN_ONCE, REWRITTEN, TOMBSTONED, TOMBSTONED_THEN_REWRITTEN, ERASED }

    record Key(String account, String cluster, String namespace, Instant hour) {
        LocalDate date() {
            return LocalDate.ofInstant(hour, ZoneOffset.UTC);
        }

        String resourceId() {
            return ResourceIds.namespaceResourceId(account, cluster, namespace).toString();
        }
    }

    /** One stored row; costs are multiples of 1/64, so any sum of them is exact in a double whatever the order. */
    record Version(Key key, long version, boolean deleted, String currency, History history,
                   double cpu, double ram, double pv, double network, double lb) {
        double cost() {
            return cpu + ram + pv + network + lb;
        }
    }

    static final List<String> CLUSTERS = List.of("prod", "dev");
    static final List<String> NAMESPACES = List.of("web", "batch", "kube-system", "__unallocated__");

    private final List<Version> versions = new ArrayList<>();

    /**
     * Hours [from, to) for each account, cluster and namespace, about one key in ten absent, and
     * every stored row of {@code erasedAccount}'s "dev" cluster in [eraseFrom, eraseTo) tombstoned last.
     */
    static StoredExpenses generate(long seed, List<String> accounts, Instant from, Instant to,
                                   String erasedAccount, Instant eraseFrom, Instant eraseTo) {
        Random random = new Random(seed);
        StoredExpenses s = new StoredExpenses();
        for (String account : accounts) {
            for (String cluster : CLUSTERS) {
                String currency = cluster.equals("dev") && account.equals(accounts.get(1)) ? "EUR" : "USD";
                for (String namespace : NAMESPACES) {
                    for (Instant hour = from; hour.isBefore(to); hour = hour.plus(Duration.ofHours(1))) {
                        if (random.nextInt(10) == 0) {
                            continue;
                        }
                        Key key = new Key(account, cluster, namespace, hour);
                        boolean erased = account.equals(erasedAccount) && cluster.equals("dev")
                                && !hour.isBefore(eraseFrom) && hour.isBefore(eraseTo);
                        s.writeHistory(key, currency, erased, random);
                    }
                }
            }
        }
        return s;
    }

    private void writeHistory(Key key, String currency, boolean erased, Random random) {
        long version = 1 + random.nextInt(1000);
        int pick = random.nextInt(10);
        History history = pick < 5 ? History.WRITTEN_ONCE : pick < 7 ? History.REWRITTEN
                : pick < 9 ? History.TOMBSTONED : History.TOMBSTONED_THEN_REWRITTEN;
        if (erased) {
            history = History.ERASED;
        }
        Version first = row(key, version, false, currency, history, random);
        versions.add(first);
        Version last = first;
        switch (history) {
            case WRITTEN_ONCE -> { }
            case REWRITTEN -> last = add(row(key, last.version() + 1 + random.nextInt(1000), false, currency, history, random));
            case TOMBSTONED, ERASED -> last = add(tombstone(last, random));
            case TOMBSTONED_THEN_REWRITTEN -> {
                last = add(tombstone(last, random));
                add(row(key, last.version() + 1 + random.nextInt(1000), false, currency, history, random));
            }
        }
    }

    private Version add(Version v) {
        versions.add(v);
        return v;
    }

    /** A tombstone keeps the costs it deletes, so a reader that counted it would get a visibly wrong sum. */
    private static Version tombstone(Version of, Random random) {
        return new Version(of.key(), of.version() + 1 + random.nextInt(1000), true, of.currency(), of.history(),
                of.cpu(), of.ram(), of.pv(), of.network(), of.lb());
    }

    private static Version row(Key key, long version, boolean deleted, String currency, History history, Random random) {
        boolean unallocated = key.namespace().equals("__unallocated__"); // only it carries network and load balancer costs
        return new Version(key, version, deleted, currency, history, money(random), money(random), money(random),
                unallocated ? money(random) : 0, unallocated ? money(random) : 0);
    }

    private static double money(Random random) {
        return random.nextInt(256) / 64.0;
    }

    List<Version> versions() {
        return versions;
    }

    /** What a reader should see, worked out here: per key the highest version, unless it is a tombstone. */
    Collection<Version> current() {
        Map<Key, Version> newest = new HashMap<>();
        for (Version v : versions) {
            newest.merge(v.key(), v, (a, b) -> a.version() >= b.version() ? a : b);
        }
        newest.values().removeIf(Version::deleted);
        return newest.values();
    }
}
