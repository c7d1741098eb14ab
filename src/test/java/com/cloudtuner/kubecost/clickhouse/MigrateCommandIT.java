package com.cloudtuner.kubecost.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;

import com.cloudtuner.kubecost.testing.RealServers;
import com.cloudtuner.kubecost.testing.TestDatabase;
import com.cloudtuner.kubecost.testing.Worker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code migrate} says on stdout what it applied: every migration on a fresh database, nothing on a current one. */
@ExtendWith(RealServers.class)
class MigrateCommandIT {

    @Test
    void migrateNamesTheMigrationsItAppliedAndNothingWhenCurrent(TestDatabase db) throws IOException {
        db.recreate();
        List<String> files;
        try (Stream<Path> dir = Files.list(Path.of("db/migration"))) { // what the jar carries, read from the source tree
            files = dir.map(p -> p.getFileName().toString()).filter(n -> n.matches("V\\d+__.*\\.sql")).sorted().toList();
        }
        assertThat(files).isNotEmpty();
        List<String> args = Worker.serverArgs(db, "http://127.0.0.1:9"); // migrate never asks Thanos

        Worker.Result fresh = Worker.run(args, "migrate");
        assertThat(fresh.exitCode()).as(fresh.toString()).isZero();
        assertThat(fresh.out()).contains("applied " + files.size() + " ");
        files.forEach(f -> assertThat(fresh.out()).contains(f));

        Worker.Result again = Worker.run(args, "migrate");
        assertThat(again.exitCode()).as(again.toString()).isZero();
        files.forEach(f -> assertThat(again.out()).doesNotContain(f));
        assertThat(again.out()).doesNotContain("applied " + files.size());
    }
}
