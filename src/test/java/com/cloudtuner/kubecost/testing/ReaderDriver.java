package com.cloudtuner.kubecost.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Runs SQL through the REST API's own driver: Debian's {@code python3-clickhouse-driver} over the
 * native protocol, {@code Client.execute(sql, params)} with the parameter types the REST API passes
 * (ints, strs, tuples of str) and external tables, by the script {@code reader/run_query.py}.
 */
public final class ReaderDriver {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Path SCRIPT = Path.of(System.getProperty("basedir", "")).toAbsolutePath()
            .resolve("src/test/resources/reader/run_query.py");

    private final ClickHouseServer server;
    private final String database;

    public ReaderDriver(ClickHouseServer server, String database) {
        this.server = server;
        this.database = database;
    }

    public ReaderDriver(TestDatabase db) {
        this(db.server(), db.name());
    }

    /** The Python with Debian's driver: /usr/bin/python3 (a python3 first on the PATH may lack the package). */
    public static String python() {
        return Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
    }

    /** A query and what travels with it. */
    public static final class Call {
        private final String sql;
        private final Map<String, Object> params = new LinkedHashMap<>();
        private final Map<String, List<String>> externalTables = new LinkedHashMap<>();
        private final Map<String, Object> settings = new LinkedHashMap<>();
        private int repeat = 1;
        private String queryId;

        public Call(String sql) {
            this.sql = sql;
        }

        public Call param(String name, long value) {
            params.put(name, value);
            return this;
        }

        public Call param(String name, String value) {
            params.put(name, value);
            return this;
        }

        /** A Python tuple of str, as the REST API passes a list for {@code IN %(name)s}. */
        public Call tuple(String name, List<String> values) {
            params.put(name, List.copyOf(values));
            return this;
        }

        /** An external table of one String column {@code _id}, as the REST API sends its id lists. */
        public Call externalTable(String name, List<String> ids) {
            externalTables.put(name, List.copyOf(ids));
            return this;
        }

        public Call setting(String name, Object value) {
            settings.put(name, value);
            return this;
        }

        /** The id the server logs the call under (system.query_log with {@code log_queries = 1}). */
        public Call queryId(String id) {
            this.queryId = id;
            return this;
        }

        public Call repeat(int times) {
            this.repeat = times;
            return this;
        }
    }

    /** What the driver returned: columns with their types, rows in order, the time of each call. */
    public record Result(Map<String, String> types, List<JsonNode> rows, List<Double> seconds, String sql, JsonNode error) {

        public boolean failed() {
            return error != null;
        }

        /** The value of a column in a row. */
        public JsonNode value(JsonNode row, String column) {
            int i = new ArrayList<>(types.keySet()).indexOf(column);
            if (i < 0) {
                throw new IllegalArgumentException("no column " + column + " in " + types.keySet());
            }
            return row.get(i);
        }
    }

    public Result run(Call call) {
        return execute(call, false);
    }

    /** The statement with the parameters substituted by the driver, as it would send it. */
    public String render(Call call) {
        return execute(call, true).sql();
    }

    private Result execute(Call call, boolean renderOnly) {
        ObjectNode request = JSON.createObjectNode()
                .put("host", "127.0.0.1").put("port", server.nativePort()).put("database", database)
                .put("user", server.user()).put("password", server.password()).put("sql", call.sql)
                .put("repeat", call.repeat).put("render_only", renderOnly);
        if (call.queryId != null) {
            request.put("query_id", call.queryId);
        }
        ObjectNode params = request.putObject("params");
        call.params.forEach((name, value) -> {
            if (value instanceof Long l) {
                params.put(name, l);
            } else if (value instanceof String s) {
                params.put(name, s);
            } else {
                ArrayNode tuple = params.putObject(name).putArray("tuple");
                ((List<?>) value).forEach(v -> tuple.add((String) v));
            }
        });
        ArrayNode externals = request.putArray("external_tables");
        call.externalTables.forEach((name, ids) -> {
            ArrayNode values = externals.addObject().put("name", name).put("column", "_id").putArray("values");
            ids.forEach(values::add);
        });
        ObjectNode settings = request.putObject("settings");
        call.settings.forEach((name, value) -> settings.putPOJO(name, value));
        JsonNode answer = JSON.readTree(runScript(request.toString()));
        if (answer.has("error")) {
            return new Result(Map.of(), List.of(), List.of(), null, answer.get("error"));
        }
        Map<String, String> types = new LinkedHashMap<>();
        answer.path("columns").forEach(c -> types.put(c.get(0).asString(), c.get(1).asString()));
        List<JsonNode> rows = new ArrayList<>();
        answer.path("rows").forEach(rows::add);
        List<Double> seconds = new ArrayList<>();
        answer.path("seconds").forEach(s -> seconds.add(s.asDouble()));
        return new Result(types, rows, seconds, answer.path("sql").asString(), null);
    }

    private static String runScript(String request) {
        try {
            Process p = new ProcessBuilder(python(), SCRIPT.toString()).redirectErrorStream(false).start();
            p.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                throw new IllegalStateException("run_query.py exited " + p.exitValue() + ": " + err);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
