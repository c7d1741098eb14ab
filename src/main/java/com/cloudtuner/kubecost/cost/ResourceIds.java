package com.cloudtuner.kubecost.cost;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.UUID;

/**
 * Stable resource ids: an RFC 4122 version-5 (SHA-1, name-based) UUID in the namespace
 * {@link #NAMESPACE} of the name {@code <n>:<tenant>,<n>:<cluster>,<n>:<namespace>,} where each
 * {@code <n>} is the UTF-8 byte length of the value after it (a netstring, so no value can be
 * mistaken for a separator). In Python: {@code uuid.uuid5(NAMESPACE, name)}.
 */
public final class ResourceIds {

    public static final UUID NAMESPACE = UUID.fromString("3f8f2f0e-6d1c-4b7a-9a53-0c6b1e2d9f41");

    private ResourceIds() {
    }

    public static UUID namespaceResourceId(String tenant, String cluster, String namespace) {
        return uuid5(NAMESPACE, netstring(tenant) + netstring(cluster) + netstring(namespace));
    }

    static String netstring(String value) {
        return value.getBytes(StandardCharsets.UTF_8).length + ":" + value + ",";
    }

    static UUID uuid5(UUID namespace, String name) {
        MessageDigest sha1;
        try {
            sha1 = MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JRE has SHA-1", e);
        }
        sha1.update(ByteBuffer.allocate(16)
                .putLong(namespace.getMostSignificantBits())
                .putLong(namespace.getLeastSignificantBits())
                .array());
        byte[] hash = sha1.digest(name.getBytes(StandardCharsets.UTF_8));
        hash[6] = (byte) ((hash[6] & 0x0f) | 0x50);
        hash[8] = (byte) ((hash[8] & 0x3f) | 0x80);
        ByteBuffer bb = ByteBuffer.wrap(hash, 0, 16);
        return new UUID(bb.getLong(), bb.getLong());
    }
}
