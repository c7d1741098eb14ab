package com.cloudtuner.kubecost.clickhouse;

import com.clickhouse.client.api.Client;
import com.clickhouse.client.api.ClientException;
import com.clickhouse.client.api.ConnectionInitiationException;
import com.clickhouse.client.api.DataTransferException;
import com.clickhouse.client.api.ServerException;
import com.clickhouse.client.api.query.QueryResponse;
import com.clickhouse.data.ClickHouseFormat;
import com.cloudtuner.kubecost.config.ClickHouseProperties;
import com.cloudtuner.kubecost.config.ClickHouseTlsProperties;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.core.StreamWriteFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one way this program talks to ClickHouse: client-v2 over HTTP with text formats, in SQL
 * that ClickHouse 18.16 and current releases both accept. 18.16 ignores the client's format
 * and database headers and answers {@code compress=1} with an empty body, so the format is
 * written into the SQL, the database travels as a server setting, and responses are uncompressed.
 */
public final class ClickHouseGateway implements AutoCloseable {

    /**
     * Doubles written by the Schubfach algorithm rather than JDK 17's {@code Double.toString}: both
     * read back as the same double, and a backfill writes millions of them.
     */
    private static final ObjectMapper JSON = JsonMapper.builder().enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER).build();
    private static final Pattern ERROR_CODE = Pattern.compile("Code: (\\d+)");

    private final Endpoints client;
    private final Endpoints serverClient;
    private final String database;
    private final ClickHouseTlsProperties tls;
    private final ClickHouseProperties props;
    private final AtomicLong statements = new AtomicLong();
    private final AtomicLong inserts = new AtomicLong();

    public ClickHouseGateway(ClickHouseProperties props) {
        this(props, ClickHouseTlsProperties.none());
    }

    public ClickHouseGateway(ClickHouseProperties props, ClickHouseTlsProperties tls) {
        this.database = props.database();
        this.tls = tls;
        this.props = props;
        List<String> urls = props.endpoints().stream().map(Object::toString).toList();
        this.client = new Endpoints(urls, url -> {
            Client.Builder databaseClient = builder(url, props, tls).serverSetting("database", props.database());
            if (!props.cluster().isEmpty()) {
                // An insert through a Distributed table returns once every shard has its rows, never from a
                // queue that sends them later; and reads and inserts go to the first healthy replica of each
                // shard, from whichever node they are sent (a node that is a replica itself would otherwise
                // prefer its own copy), so that a read follows the writes before it, even another pod's.
                databaseClient.serverSetting("insert_distributed_sync", "1").serverSetting("load_balancing", "in_order")
                        .serverSetting("prefer_localhost_replica", "0");
            }
            return databaseClient.build();
        });
        this.serverClient = new Endpoints(urls, url -> builder(url, props, tls).build());
    }

    private static Client.Builder builder(String url, ClickHouseProperties props, ClickHouseTlsProperties tls) {
        return ClickHouseTls.configure(new Client.Builder(), props, tls)
                .addEndpoint(url)
                .setUsername(props.user())
                .setPassword(props.password())
                .compressServerResponse(false)
                .setConnectTimeout(10, ChronoUnit.SECONDS)
                .setSocketTimeout(props.socketTimeout().toMillis(), ChronoUnit.MILLIS);
    }

    public String database() {
        return database;
    }

    /** The ClickHouse cluster the tables are spread over (clickhouse.cluster); empty for a single node. */
    public String cluster() {
        return props.cluster();
    }

    /** Creates the configured database when it does not exist (the only statement run outside it), on every node of a cluster. */
    public void ensureDatabase() {
        if (cluster().isEmpty()) {
            run(serverClient, "CREATE DATABASE IF NOT EXISTS `" + database + "`");
        } else if (!answersWithARow(serverClient, "SELECT name FROM system.databases WHERE name = " + quote(database))) {
            // ON CLUSTER waits for every node: only when the database is missing, so that a run goes on with a node down
            run(serverClient, "CREATE DATABASE IF NOT EXISTS `" + database + "` ON CLUSTER " + cluster());
        }
    }

    /**
     * Whether a query returns a row. Through {@code serverClient} for a query about a database that may
     * not exist yet: the database setting of the other client makes every query fail then (81).
     */
    private boolean answersWithARow(Endpoints endpoints, String sql) {
        statements.incrementAndGet();
        try (QueryResponse response = endpoints.call(c -> c.query(sql + "\nFORMAT TSV").get())) {
            return response.getInputStream().read() >= 0;
        } catch (Exception e) {
            throw translate(e, sql);
        }
    }

    /** Whether the database holds the table. */
    public boolean tableExists(String table) {
        return !select("SELECT name FROM system.tables WHERE database = " + quote(database) + " AND name = " + quote(table)).isEmpty();
    }

    /** A statement without a result (DDL, ALTER, OPTIMIZE). */
    public void execute(String sql) {
        run(client, sql);
    }

    /** Rows of a SELECT, one JSON object each; {@code FORMAT JSONEachRow} is appended here. */
    public List<JsonNode> select(String sql) {
        statements.incrementAndGet();
        List<JsonNode> rows = new ArrayList<>();
        try (QueryResponse response = client.call(c -> c.query(sql + "\nFORMAT JSONEachRow").get());
             BufferedReader reader = new BufferedReader(
                     new InputStreamReader(response.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (!line.isBlank()) {
                    rows.add(JSON.readTree(line));
                }
            }
        } catch (Exception e) {
            throw translate(e, sql);
        }
        return rows;
    }

    /** Rows of a SELECT, read by column name, handed over one at a time; {@code FORMAT TabSeparatedWithNames} is appended here. */
    public void selectRows(String sql, Consumer<TabSeparated.Row> row) {
        statements.incrementAndGet();
        try (QueryResponse response = client.call(c -> c.query(sql + "\nFORMAT TabSeparatedWithNames").get());
             BufferedReader reader = new BufferedReader(
                     new InputStreamReader(response.getInputStream(), StandardCharsets.UTF_8), 1 << 16)) {
            String header = reader.readLine();
            if (header == null) {
                return;
            }
            Map<String, Integer> columns = TabSeparated.Row.header(header);
            String line;
            while ((line = reader.readLine()) != null) {
                row.accept(new TabSeparated.Row(columns, TabSeparated.fields(line)));
            }
        } catch (Exception e) {
            throw translate(e, sql);
        }
    }

    /** Inserts sent so far. */
    public long insertCount() {
        return inserts.get();
    }

    /** Statements sent so far (selects, inserts and the rest). */
    public long statementCount() {
        return statements.get();
    }

    /** One insert of newline-separated JSON objects. */
    public void insertJsonEachRow(String table, byte[] rows) {
        statements.incrementAndGet();
        inserts.incrementAndGet();
        try {
            client.call(c -> c.insert(table, new ByteArrayInputStream(rows), ClickHouseFormat.JSONEachRow).get()).close();
        } catch (Exception e) {
            throw translate(e, "INSERT INTO " + table);
        }
    }

    private void run(Endpoints endpoints, String sql) {
        statements.incrementAndGet();
        try {
            endpoints.call(c -> c.execute(sql).get()).close();
        } catch (Exception e) {
            throw translate(e, sql);
        }
    }

    private ClickHouseException translate(Exception e, String sql) {
        Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
        if (cause instanceof InterruptedException) {
            Thread.currentThread().interrupt();
        }
        int code = 0;
        if (cause instanceof ServerException se) {
            code = se.getCode();
            if (code == 0 && se.getMessage() != null) { // 18.16 sends the code only in the text
                Matcher m = ERROR_CODE.matcher(se.getMessage());
                if (m.find()) {
                    code = Integer.parseInt(m.group(1));
                }
            }
        }
        String statement = sql.strip().lines().findFirst().orElse("");
        String reason = firstLine(cause.getMessage() == null ? cause.toString() : cause.getMessage());
        Throwable root = cause;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root != cause) { // e.g. "Query request failed" caused by "Connection refused"
            reason += " (" + root.getClass().getSimpleName() + ": " + firstLine(String.valueOf(root.getMessage())) + ")";
        }
        reason += ClickHouseTls.hint(cause, tls) + ClickHouseHints.hint(cause, code, props);
        String message = "ClickHouse failed on '" + abbreviate(statement) + "': " + reason;
        return new ClickHouseException(code, retryable(cause, code), message, cause);
    }

    /**
     * Whether trying again may succeed: the failures client-v2 classifies as the exchange's, not the
     * statement's. It could not connect, got no response or a 503 (ConnectionInitiationException), the
     * exchange broke or timed out (DataTransferException; an IOException while the answer streams in),
     * or something in between answered in ClickHouse's place (its plain ClientException for a proxy's
     * 502, a ServerException without a ClickHouse error code). A statement ClickHouse refused is final,
     * even where client-v2's ServerException calls the code retryable (241, memory limit): client-v2
     * has retried those itself already.
     */
    private static boolean retryable(Throwable cause, int code) {
        return cause instanceof ConnectionInitiationException || cause instanceof DataTransferException
                || cause instanceof IOException || cause.getClass() == ClientException.class
                || cause instanceof ServerException && code == 0;
    }

    private static String abbreviate(String s) {
        return s.length() <= 120 ? s : s.substring(0, 117) + "...";
    }

    /** The first line of a message or statement, for one-line reports. */
    static String firstLine(String s) {
        return s.strip().lines().findFirst().orElse(s);
    }

    /** A string literal for SQL: 18.16 has no server-side query parameters. */
    public static String quote(String value) {
        StringBuilder sb = new StringBuilder(value.length() + 2).append('\'');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> sb.append("\\\\");
                case '\'' -> sb.append("\\'");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\0' -> sb.append("\\0");
                default -> sb.append(c);
            }
        }
        return sb.append('\'').toString();
    }

    /** A UInt64 or UInt32 that 18.16's JSONEachRow may print quoted. */
    public static long longValue(JsonNode node) {
        return node.isNumber() ? node.longValue() : Long.parseLong(node.asString());
    }

    @Override
    public void close() {
        client.close();
        serverClient.close();
    }

    /** Serializes rows for {@link #insertJsonEachRow}. */
    static ObjectMapper json() {
        return JSON;
    }
}
