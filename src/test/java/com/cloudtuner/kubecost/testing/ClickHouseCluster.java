package com.cloudtuner.kubecost.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A ClickHouse cluster on this machine: one ZooKeeper and {@code shards x replicas} clickhouse-server
 * nodes on free loopback ports, each with a {@code config.d} naming the cluster {@value #NAME}, its
 * {@code shard}/{@code replica} macros and the distributed DDL queue (see stack-facts.md). Started from
 * the Debian packages {@code zookeeper} and {@code clickhouse-server}; closed, it stops them and deletes
 * their directories.
 */
public final class ClickHouseCluster implements AutoCloseable {

    public static final String NAME = "kw";
    private static final Path ZK_SERVER = Path.of("/usr/share/zookeeper/bin/zkServer.sh");

    /** One clickhouse-server of the cluster. */
    public record Node(int shard, int replica, String url, int nativePort, Process process, List<String> command, Path dir) {
        public String name() {
            return "shard " + shard + " replica " + replica;
        }
    }

    private final Path dir;
    private final Path zkConfig;
    private final List<Node> nodes;

    private ClickHouseCluster(Path dir, Path zkConfig, List<Node> nodes) {
        this.dir = dir;
        this.zkConfig = zkConfig;
        this.nodes = nodes;
    }

    public static ClickHouseCluster start(int shards, int replicas) {
        Path binary = LocalProcess.binary("clickhouse-server", "/usr/sbin/clickhouse-server", "/usr/bin/clickhouse-server");
        if (!Files.isExecutable(ZK_SERVER)) {
            throw new IllegalStateException("zookeeper is not installed; run ./scripts/install-servers.sh");
        }
        Path dir = tempDir();
        Path zkConfig = dir.resolve("zk/zoo.cfg");
        int zkPort = startZooKeeper(dir.resolve("zk"), zkConfig);
        int[][] tcp = new int[shards][replicas];
        for (int[] ports : tcp) {
            for (int r = 0; r < replicas; r++) {
                ports[r] = LocalProcess.freePort();
            }
        }
        String remoteServers = remoteServers(tcp);
        List<Node> nodes = new ArrayList<>();
        try {
            for (int s = 0; s < shards; s++) {
                for (int r = 0; r < replicas; r++) {
                    nodes.add(startNode(binary, dir.resolve("node-" + (s + 1) + "-" + (r + 1)), s + 1, r + 1, tcp[s][r], zkPort, remoteServers));
                }
            }
            for (Node n : nodes) {
                LocalProcess.awaitReady(n.process(), n.url() + "/ping", Duration.ofSeconds(60),
                        dir.resolve("node-" + n.shard() + "-" + n.replica() + "/server.log"));
            }
        } catch (RuntimeException e) {
            new ClickHouseCluster(dir, zkConfig, nodes).close();
            throw e;
        }
        return new ClickHouseCluster(dir, zkConfig, nodes);
    }

    /** The nodes, shard by shard (a restarted node replaces the killed one). */
    public List<Node> nodes() {
        return nodes;
    }

    /** Kills a node at once, as a crashed replica (no clean shutdown). */
    public void kill(Node node) {
        node.process().destroyForcibly();
        try {
            node.process().waitFor(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Starts a killed node again, on its ports and data; returns it, ready. */
    public Node restart(Node node) {
        Process process = LocalProcess.start(node.command(), node.dir().resolve("stdout-restarted.log"));
        Node restarted = new Node(node.shard(), node.replica(), node.url(), node.nativePort(), process, node.command(), node.dir());
        nodes.set(nodes.indexOf(node), restarted);
        LocalProcess.awaitReady(process, node.url() + "/ping", Duration.ofSeconds(60), node.dir().resolve("server.log"));
        return restarted;
    }

    @Override
    public void close() {
        nodes.forEach(n -> LocalProcess.stop(n.process()));
        LocalProcess.run(List.of(ZK_SERVER.toString(), "stop", zkConfig.toString()), dir.resolve("zk/stop.log"), Duration.ofSeconds(30),
                Map.of("ZOOCFGDIR", zkConfig.getParent().toString(), "ZOO_LOG_DIR", zkConfig.getParent().toString()));
        LocalProcess.deleteTree(dir);
    }

    private static int startZooKeeper(Path zkDir, Path config) {
        int port = LocalProcess.freePort();
        write(config, "tickTime=2000\ndataDir=" + zkDir.resolve("data") + "\nclientPort=" + port + "\nclientPortAddress=127.0.0.1\n"
                + "admin.enableServer=false\n4lw.commands.whitelist=ruok\n");
        Map<String, String> env = Map.of("ZOOCFGDIR", zkDir.toString(), "ZOO_LOG_DIR", zkDir.toString());
        LocalProcess.run(List.of(ZK_SERVER.toString(), "start", config.toString()), zkDir.resolve("start.log"), Duration.ofSeconds(30), env);
        awaitZooKeeper(port, Duration.ofSeconds(30));
        return port;
    }

    /** ZooKeeper answers "imok" to "ruok" once it serves clients; the pause between asks only spares the CPU. */
    private static void awaitZooKeeper(int port, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            try (Socket s = new Socket("127.0.0.1", port); OutputStream out = s.getOutputStream(); InputStream in = s.getInputStream()) {
                s.setSoTimeout(2_000); // a server still starting may take the connection and not answer: ask again
                out.write("ruok".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                if ("imok".equals(new String(in.readAllBytes(), StandardCharsets.US_ASCII))) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            LockSupport.parkNanos(50_000_000L);
        }
        throw new IllegalStateException("ZooKeeper on port " + port + " not ready within " + timeout);
    }

    private static Node startNode(Path binary, Path nodeDir, int shard, int replica, int tcp, int zkPort, String remoteServers) {
        int http = LocalProcess.freePort();
        write(nodeDir.resolve("config.d/cluster.xml"), "<yandex>\n"
                + " <zookeeper><node><host>127.0.0.1</host><port>" + zkPort + "</port></node></zookeeper>\n"
                + " <remote_servers><" + NAME + ">" + remoteServers + "</" + NAME + "></remote_servers>\n"
                + " <macros><shard>" + shard + "</shard><replica>r" + replica + "</replica></macros>\n"
                + " <distributed_ddl><path>/clickhouse/task_queue/ddl</path></distributed_ddl>\n"
                + " <interserver_http_host>127.0.0.1</interserver_http_host>\n"
                + "</yandex>\n");
        try {
            Files.copy(Path.of("/etc/clickhouse-server/config.xml"), nodeDir.resolve("config.xml"));
            Files.copy(Path.of("/etc/clickhouse-server/users.xml"), nodeDir.resolve("users.xml"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> command = ClickHouseServer.command(binary, nodeDir.resolve("config.xml"), nodeDir, http, tcp);
        Process process = LocalProcess.start(command, nodeDir.resolve("stdout.log"));
        return new Node(shard, replica, "http://127.0.0.1:" + http, tcp, process, command, nodeDir);
    }

    private static String remoteServers(int[][] tcp) {
        StringBuilder xml = new StringBuilder();
        for (int[] shard : tcp) {
            xml.append("<shard><internal_replication>true</internal_replication>");
            for (int port : shard) {
                xml.append("<replica><host>127.0.0.1</host><port>").append(port).append("</port></replica>");
            }
            xml.append("</shard>");
        }
        return xml.toString();
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("kw-cluster-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(Path file, String content) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
