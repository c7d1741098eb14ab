package com.cloudtuner.kubecost;

import com.cloudtuner.kubecost.cli.ExitCodes;
import com.cloudtuner.kubecost.cli.Command;
import com.cloudtuner.kubecost.cli.CommandLine;
import com.cloudtuner.kubecost.cli.UsageException;
import com.cloudtuner.kubecost.config.ConfigurationFailureAnalyzer;
import com.cloudtuner.kubecost.config.KnownSettings;
import com.cloudtuner.kubecost.config.SettingsCheck;
import com.cloudtuner.kubecost.secrets.Redactor;
import com.cloudtuner.kubecost.secrets.Secrets;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.time.Clock;
import org.springframework.boot.Banner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.ConfigurableApplicationContext;

/** {@code java -jar kubecost-worker.jar [hourly|backfill|migrate|simulate] ...}; see {@link CommandLine#USAGE}. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class KubecostWorkerApplication {

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /**
     * Runs one command and returns the process exit code; tests call this instead of {@link #main}.
     * Everything written to {@code out} and {@code err} is redacted of the configured secrets.
     */
    public static int run(String[] args, PrintStream rawOut, PrintStream rawErr) {
        Map<String, String> env = System.getenv();
        Secrets secrets = Secrets.fromEnvironment(env, System.getProperties(), Arrays.asList(args));
        Redactor.install(secrets);
        PrintStream out = Redactor.wrap(rawOut);
        PrintStream err = Redactor.wrap(rawErr);
        try {
            return runRedacted(args, env, secrets, out, err);
        } finally {
            out.flush();
            err.flush();
        }
    }

    private static int runRedacted(String[] args, Map<String, String> env, Secrets secrets, PrintStream out, PrintStream err) {
        CommandLine.Parsed parsed;
        try {
            parsed = CommandLine.parse(args, Clock.systemUTC());
        } catch (UsageException e) {
            err.println("kubecost-worker: " + e.getMessage() + " (see --help)");
            return ExitCodes.USAGE;
        }
        if (parsed.command() instanceof Command.Help) {
            out.print(CommandLine.USAGE);
            return ExitCodes.OK;
        }
        if (secrets.unreadableJson().isPresent()) {
            // Spring Boot would fail on it with a stack trace quoting the offending token
            err.println("kubecost-worker: invalid configuration: " + secrets.unreadableJson().get());
            return ExitCodes.USAGE;
        }
        // Spring Boot ignores a setting no property has, and reads a duration without a unit as milliseconds
        Optional<String> mistyped = new SettingsCheck(KnownSettings.scan()).problem(parsed.propertyArgs(), env);
        if (mistyped.isPresent()) {
            err.println("kubecost-worker: invalid configuration: " + mistyped.get());
            return ExitCodes.USAGE;
        }
        SpringApplication app = new SpringApplication(KubecostWorkerApplication.class);
        app.setWebApplicationType(WebApplicationType.NONE);
        app.setBannerMode(Banner.Mode.OFF);
        app.setLogStartupInfo(false);
        app.setRegisterShutdownHook(false);
        ConfigurableApplicationContext context;
        try {
            context = app.run(parsed.propertyArgs().toArray(String[]::new));
        } catch (RuntimeException e) {
            err.println("kubecost-worker: invalid configuration: " + ConfigurationFailureAnalyzer.describe(e));
            return ExitCodes.USAGE;
        }
        try (context) {
            return context.getBean(CommandExecutor.class).execute(parsed.command(), out, err);
        }
    }
}
