package com.cloudtuner.kubecost.run;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Which worker shard processes a tenant: the one home of the rule. A tenant belongs to shard
 * {@code h mod count}, where {@code h} is the first 8 bytes of the SHA-256 of its id in UTF-8, read
 * as an unsigned big-endian number. It depends on the id alone, not on the JVM, the process or which
 * tenants a pod happens to discover, so N pods that each apply it split the tenants between them
 * with no coordination: every tenant in exactly one shard. SHA-256 rather than
 * {@code String.hashCode}: it spreads ids that differ in one character evenly, and anyone can
 * compute a tenant's shard outside Java (e.g. {@code printf %s ID | sha256sum}: the first 16 hex
 * digits, mod the count).
 *
 * @param index this worker's shard, from 0
 * @param count how many shards share the tenants; 1 is the unsharded worker
 */
public record Shard(int index, int count) {

    /** The one shard of an unsharded worker: every tenant is its own. */
    public static final Shard ALL = new Shard(0, 1);

    public Shard {
        if (count < 1 || index < 0 || index >= count) {
            throw new IllegalArgumentException("no shard " + index + " of " + count);
        }
    }

    /** The shard, from 0 to {@code count - 1}, that processes {@code tenant} when {@code count} shards share the tenants. */
    public static int of(String tenant, int count) {
        byte[] digest;
        try {
            digest = MessageDigest.getInstance("SHA-256").digest(tenant.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JRE has SHA-256", e);
        }
        return (int) Long.remainderUnsigned(ByteBuffer.wrap(digest, 0, Long.BYTES).getLong(), count);
    }

    /** Whether this shard processes the tenant. */
    public boolean owns(String tenant) {
        return count == 1 || of(tenant, count) == index;
    }

    /** The shard, of as many as this one's, that processes the tenant. */
    public Shard ofTenant(String tenant) {
        return new Shard(of(tenant, count), count);
    }

    /** Whether the tenants are shared by more than one worker. */
    public boolean sharded() {
        return count > 1;
    }

    /**
     * How the run ledger names the shard: {@code index/count} ({@code 0/3}), and empty for the
     * unsharded worker, whose rows read as they did before shards existed (and as the rows of old runs,
     * the column's default): an empty shard processed every tenant.
     */
    public String label() {
        return sharded() ? index + "/" + count : "";
    }

    /**
     * How the run's metrics name the shard (the Pushgateway grouping label {@code shard}): the index
     * alone, empty for the unsharded worker. Without the count, a run after the count changed pushes
     * into the group of its index, replacing the series it pushed before; with it, every group of the old
     * count would stay behind, its last success ageing into an alert.
     */
    public String metricsLabel() {
        return sharded() ? Integer.toString(index) : "";
    }

    @Override
    public String toString() {
        return index + "/" + count;
    }
}
