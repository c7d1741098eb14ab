package com.cloudtuner.kubecost;

import com.cloudtuner.kubecost.cli.Command;
import com.cloudtuner.kubecost.cli.CommandLine;
import com.cloudtuner.kubecost.cli.UsageException;
import com.cloudtuner.kubecost.secrets.Redactor;
import com.cloudtuner.kubecost.secrets.Secrets;
import java.io.PrintStream;
import java.util.Arrays;
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

    public static final int EXIT_USAGE = 2;

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /**
     * Runs one command and returns the process exit code; tests call this instead of {@link #main}.
     * Everything written to {@code out} and {@code err} is redacted of the configured secrets.
     */
    public static int run(String[] args, PrintStream rawOut, PrintStream rawErr) {
        Redactor.install(Secrets.fromEnvironment(System.getenv(), Arrays.asList(args)));
        PrintStream out = Redactor.wrap(rawOut);
        PrintStream err = Redactor.wrap(rawErr);
        try {
            return runRedacted(args, out, err);
        } finally {
            out.flush();
            err.flush();
        }
    }

    private static int runRedacted(String[] args, PrintStream out, PrintStream err) {
        CommandLine.Parsed parsed;
        try {
            parsed = CommandLine.parse(args, Clock.systemUTC());
        } catch (UsageException e) {
            err.println("kubecost-worker: " + e.getMessage() + " (see --help)");
            return EXIT_USAGE;
        }
        if (parsed.command() instanceof Command.Help) {
            out.print(CommandLine.USAGE);
            return 0;
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
            err.println("kubecost-worker: invalid configuration: " + ConfigErrors.describe(e));
            return EXIT_USAGE;
        }
        try (context) {
            return context.getBean(CommandExecutor.class).execute(parsed.command(), out, err);
        }
    }
}
