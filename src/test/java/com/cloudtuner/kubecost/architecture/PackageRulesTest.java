package com.cloudtuner.kubecost.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.cloudtuner.kubecost.run.TenantIds;
import com.cloudtuner.kubecost.run.WatermarkPolicy;
import com.cloudtuner.kubecost.run.WindowComputation;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The shape of the code as rules that fail when it drifts: the pure rules in {@code cost} use
 * nothing of the program; the exporter's adapter only the Thanos client and the rules; the tools
 * in {@code diagnose} reach the job through its use cases, never its internals; no package cycle.
 */
class PackageRulesTest {

    private static final String ROOT = "com.cloudtuner.kubecost";
    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages(ROOT);

    @Test
    void theCostRulesUseNothingOfTheProgram() {
        noClasses().that().resideInAPackage(ROOT + ".cost..")
                .should().dependOnClassesThat().resideInAnyPackage(ROOT + ".cli..", ROOT + ".clickhouse..", ROOT + ".config..",
                        ROOT + ".diagnose..", ROOT + ".exporter..", ROOT + ".metrics..", ROOT + ".run..", ROOT + ".secrets..",
                        ROOT + ".simulate..", ROOT + ".thanos..")
                .orShould().dependOnClassesThat().resideInAnyPackage("org.springframework..", "okhttp3..", "com.clickhouse..",
                        "tools.jackson..")
                .check(MAIN);
    }

    @Test
    void theExporterAdapterUsesOnlyTheThanosClientAndTheRules() {
        noClasses().that().resideInAPackage(ROOT + ".exporter..")
                .should().dependOnClassesThat().resideInAnyPackage(ROOT + ".cli..", ROOT + ".clickhouse..", ROOT + ".diagnose..",
                        ROOT + ".metrics..", ROOT + ".run..", ROOT + ".simulate..")
                .check(MAIN);
    }

    @Test
    void theToolsUseTheJobsUseCasesNotItsInternals() {
        // the use cases: how a window computes (WindowComputation), which tenant ids are valid (TenantIds),
        // where watermarks stand (WatermarkPolicy)
        noClasses().that().resideInAPackage(ROOT + ".diagnose..")
                .should().dependOnClassesThat(JavaClass.Predicates.resideInAPackage(ROOT + ".run..")
                        .and(DescribedPredicate.not(JavaClass.Predicates.belongToAnyOf(WindowComputation.class, TenantIds.class,
                                WatermarkPolicy.class))))
                .check(MAIN);
    }

    @Test
    void everyConfigurationPropertiesRecordLivesInConfig() {
        // config/KnownSettings finds the settings the worker knows by scanning that package only
        classes().that().areAnnotatedWith(ConfigurationProperties.class).should().resideInAPackage(ROOT + ".config").check(MAIN);
    }

    @Test
    void noPackageDependsOnItselfInACircle() {
        slices().matching(ROOT + ".(*)..").should().beFreeOfCycles().check(MAIN);
    }
}
