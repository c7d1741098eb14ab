package com.cloudtuner.kubecost.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Which shard processes a tenant, against values computed outside the class: by sha256sum, and by MessageDigest here. */
class ShardTest {

    /**
     * Computed with coreutils, as the README tells an operator to: {@code printf %s ID | sha256sum}, the
     * first 16 hex digits as an unsigned number, mod the count (python3). acme, tenant-42 and a have
     * the top bit set: a signed remainder would put them elsewhere.
     */
    @ParameterizedTest(name = "{0} of {1}: {2}")
    @CsvSource(delimiter = '|', textBlock = """
            acme      | 3  | 0
            acme      | 5  | 2
            acme      | 7  | 2
            acme      | 10 | 2
            globex    | 3  | 1
            globex    | 10 | 9
            initech   | 3  | 1
            initech   | 5  | 3
            t1        | 3  | 2
            t7        | 7  | 2
            tenant-42 | 3  | 2
            tenant-42 | 7  | 4
            zürich    | 7  | 6
            a         | 3  | 1
            a         | 7  | 4
            acme      | 1  | 0
            """)
    void aTenantsShardIsItsSha256PrefixModTheCount(String tenant, int count, int expected) {
        assertThat(Shard.of(tenant, count)).isEqualTo(expected);
        assertThat(new Shard(expected, count).owns(tenant)).isTrue();
    }

    @Test
    void agreesWithMessageDigestOverManyIdsAndCounts() throws Exception {
        MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
        for (String tenant : tenants(2_000, 11)) {
            BigInteger prefix = new BigInteger(1, Arrays.copyOf(sha256.digest(tenant.getBytes(StandardCharsets.UTF_8)), 8));
            for (int count = 1; count <= 17; count++) {
                int expected = prefix.mod(BigInteger.valueOf(count)).intValueExact();
                assertThat(Shard.of(tenant, count)).as(tenant + " of " + count).isEqualTo(expected);
            }
        }
    }

    @Test
    void everyTenantIsInExactlyOneShardOfEveryCount() {
        for (String tenant : tenants(3_000, 5)) {
            for (int count = 1; count <= 12; count++) {
                int n = count;
                List<Integer> owners = IntStream.range(0, n).filter(i -> new Shard(i, n).owns(tenant)).boxed().toList();
                assertThat(owners).as(tenant + " among " + n + " shards").hasSize(1);
                assertThat(new Shard(0, n).ofTenant(tenant)).isEqualTo(new Shard(owners.get(0), n));
            }
        }
    }

    @Test
    void tenantIdsThatDifferInOneCharacterSpreadEvenly() {
        int[] perShard = new int[3];
        for (int i = 0; i < 30_000; i++) {
            perShard[Shard.of("tenant-" + i, 3)]++;
        }
        // a third each, within 3% of it (the binomial deviation at 30,000 is about 0.8%)
        assertThat(Arrays.stream(perShard).boxed().toList()).allSatisfy(n -> assertThat(n).isBetween(9_700, 10_300));
    }

    @Test
    void theOneShardOwnsEveryTenantAndIsNamedByNobody() {
        assertThat(tenants(500, 3)).allMatch(Shard.ALL::owns);
        assertThat(Shard.ALL.sharded()).isFalse();
        assertThat(Shard.ALL.label()).isEmpty();
        assertThat(Shard.ALL.metricsLabel()).isEmpty();
    }

    @Test
    void aShardIsNamedIndexOverCountInTheLedgerAndByItsIndexInTheMetrics() {
        assertThat(new Shard(2, 3).label()).isEqualTo("2/3");
        assertThat(new Shard(2, 3).metricsLabel()).isEqualTo("2");
        assertThat(new Shard(0, 1).label()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"0/0", "-1/3", "3/3", "5/2"})
    void noShardOutsideItsCount(String shard) {
        String[] p = shard.split("/");
        assertThatThrownBy(() -> new Shard(Integer.parseInt(p[0]), Integer.parseInt(p[1]))).isInstanceOf(IllegalArgumentException.class);
    }

    /** Random ids of the pattern's characters, some long, some non-ASCII. */
    private static List<String> tenants(int n, long seed) {
        Random random = new Random(seed);
        String alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-äß漢";
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            StringBuilder id = new StringBuilder();
            for (int k = 1 + random.nextInt(40); k > 0; k--) {
                id.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            ids.add(id.toString());
        }
        return ids;
    }
}
