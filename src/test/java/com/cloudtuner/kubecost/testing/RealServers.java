package com.cloudtuner.kubecost.testing;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives a test class real servers: a {@link TestDatabase} on the JVM-wide {@link ClickHouseServer}
 * and a {@link PrometheusServer} (and {@link VictoriaMetricsServer}) of its own, both resolved as parameters of test, {@code @BeforeAll}
 * and {@code @BeforeEach} methods, and closed when the class is done.
 */
public final class RealServers implements ParameterResolver {

    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(RealServers.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == TestDatabase.class || type == PrometheusServer.class || type == ClickHouseServer.class
                || type == VictoriaMetricsServer.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        ExtensionContext classContext = classContext(context);
        if (type == ClickHouseServer.class) {
            return server(context);
        }
        if (type == TestDatabase.class) {
            return classContext.getStore(NS).computeIfAbsent(TestDatabase.class,
                    k -> new TestDatabase(server(context), classContext.getRequiredTestClass().getSimpleName()), TestDatabase.class);
        }
        if (type == VictoriaMetricsServer.class) {
            return classContext.getStore(NS).computeIfAbsent(VictoriaMetricsServer.class, k -> VictoriaMetricsServer.start(),
                    VictoriaMetricsServer.class);
        }
        return classContext.getStore(NS).computeIfAbsent(PrometheusServer.class, k -> PrometheusServer.create(), PrometheusServer.class);
    }

    private static ClickHouseServer server(ExtensionContext context) {
        return context.getRoot().getStore(NS).computeIfAbsent(ClickHouseServer.class, k -> ClickHouseServer.start(), ClickHouseServer.class);
    }

    private static ExtensionContext classContext(ExtensionContext context) {
        ExtensionContext c = context;
        while (c.getTestMethod().isPresent() && c.getParent().isPresent()) {
            c = c.getParent().get();
        }
        return c;
    }
}
