package com.cloudtuner.kubecost.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.core.io.support.ResourcePropertySource;

/**
 * worker.shard.index and worker.shard.count as the worker binds them: from the environment and
 * application.properties (where the index defaults to Kubernetes' JOB_COMPLETION_INDEX), and each
 * combination that cannot name a shard refused in the one line the worker exits 2 with, naming the
 * settings to correct.
 */
class ShardSettingsTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            neither: the one shard                         | -  | -  | -  | 0 | 1
            an Indexed Job's pod with the count            | 2  | -  | 3  | 2 | 3
            the index given overrides the Job's            | 2  | 1  | 3  | 1 | 3
            an index without the Job                       | -  | 1  | 3  | 1 | 3
            a count of one needs no index                  | -  | -  | 1  | 0 | 1
            an Indexed Job of one completion               | 0  | -  | 1  | 0 | 1
            """)
    void theShardIsBoundFromTheEnvironment(String what, String jobIndex, String index, String count, int boundIndex, int boundCount) {
        WorkerProperties.ShardSettings shard = bind(env(jobIndex, index, count)).shard();
        assertThat(shard.index()).as(what).isEqualTo(boundIndex);
        assertThat(shard.count()).as(what).isEqualTo(boundCount);
    }

    /** The line starts with the setting that is wrong and names, as a variable, the one to set. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            an Indexed Job's pod without the count        | 1  | -  | -     | worker.shard.index | WORKER_SHARD_COUNT
            an index given without the count              | -  | 0  | -     | worker.shard.index | WORKER_SHARD_COUNT
            a count of several without an index           | -  | -  | 3     | worker.shard.count | WORKER_SHARD_INDEX
            an index past the count                       | -  | 3  | 3     | worker.shard.index | worker.shard.count
            a Job's index past the count                  | 4  | -  | 3     | worker.shard.index | worker.shard.count
            a negative index                              | -  | -1 | 3     | worker.shard.index | worker.shard.count
            no shard at all                               | -  | -  | 0     | worker.shard.count | worker.shard.count
            a count that is no number                     | -  | -  | three | worker.shard.count | WORKER_SHARD_COUNT
            """)
    void aShardThatCannotBeIsRefusedInOneLine(String what, String jobIndex, String index, String count, String starts, String names) {
        assertThatThrownBy(() -> bind(env(jobIndex, index, count))).satisfies(e -> {
            String line = ConfigurationFailureAnalyzer.describe(e);
            assertThat(line).as(what).startsWith(starts).contains(names).doesNotContain("\n");
        });
    }

    private static Map<String, Object> env(String jobIndex, String index, String count) {
        Map<String, Object> env = new HashMap<>();
        if (jobIndex != null) {
            env.put("JOB_COMPLETION_INDEX", jobIndex);
        }
        if (index != null) {
            env.put("WORKER_SHARD_INDEX", index);
        }
        if (count != null) {
            env.put("WORKER_SHARD_COUNT", count);
        }
        return env;
    }

    /** WorkerProperties as the application binds it: the environment first, then application.properties. */
    private static WorkerProperties bind(Map<String, Object> env) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().remove(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME);
        environment.getPropertySources().remove(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME);
        environment.getPropertySources().addFirst(new SystemEnvironmentPropertySource(
                StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, env));
        try {
            environment.getPropertySources().addLast(new ResourcePropertySource("classpath:application.properties"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Binder.get(environment).bindOrCreate("worker", WorkerProperties.class);
    }
}
