package com.cloudtuner.kubecost.queries;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The rules every reader query keeps, checked on the text: it reads the versioned table with the
 * account filter inside FINAL (so ClickHouse 18.16 reads the asked accounts' granules only) or the
 * daily relation, which needs no FINAL; it keeps currencies apart; it documents each parameter in
 * its header. ReaderQueriesIT checks what they return, through the REST API's driver.
 */
class ReaderQueriesContractTest {

    private static final Pattern TABLE_AFTER = Pattern.compile("\\b(?:FROM|JOIN)\\s+([\\w.`]+)", Pattern.CASE_INSENSITIVE);
    private static final Pattern FILTER_INSIDE_FINAL = Pattern.compile(
            "(?is)FROM\\s+k8s_expenses\\s+FINAL\\s+WHERE\\s+cloud_account_id\\s+IN\\s+%\\(cloud_account_ids\\)s");

    @Test
    void theQueriesTheApiRuns() {
        assertThat(ReaderQueryFile.all()).extracting(ReaderQueryFile::name).containsExactly("clean_expenses.sql",
                "clean_expenses_daily.sql", "daily_costs.sql", "k8s_costs.sql", "k8s_costs_by_cluster.sql", "namespace_resources.sql");
    }

    @Test
    void eachReadsTheTableWithTheAccountFilterInsideFinalOrTheDailyRelation() {
        for (ReaderQueryFile q : ReaderQueryFile.all()) {
            String sql = q.statement();
            List<String> tables = TABLE_AFTER.matcher(sql).results().map(r -> r.group(1)).filter(t -> !t.equals("(")).toList();
            if (tables.contains("k8s_expenses_daily")) {
                assertThat(tables).as(q.name()).containsOnly("k8s_expenses_daily");
                assertThat(sql).as(q.name() + " needs no FINAL").doesNotContainPattern("(?i)\\bFINAL\\b");
            } else {
                assertThat(tables).as(q.name() + " reads").containsOnly("k8s_expenses");
                assertThat(FILTER_INSIDE_FINAL.matcher(sql).results().count()).as(q.name() + " filters inside FINAL").isEqualTo(1);
                assertThat(sql).as(q.name() + " never reads the view, which 18.16 merges whole").doesNotContain("k8s_expenses_current");
            }
        }
    }

    @Test
    void eachKeepsCurrenciesApart() {
        Pattern groupsByCurrency = Pattern.compile("(?is)GROUP BY[^;]*\\bcurrency\\b");
        Pattern filtersOnCurrency = Pattern.compile("(?i)\\bcurrency\\s*=\\s*%\\(currency\\)s");
        for (ReaderQueryFile q : ReaderQueryFile.all()) {
            if (q.name().equals("clean_expenses_daily.sql")) {
                continue; // the REST API's own text: its header says how to add the currency filter
            }
            String sql = q.statement();
            assertThat(groupsByCurrency.matcher(sql).find() || filtersOnCurrency.matcher(sql).find())
                    .as(q.name() + " groups by or filters on currency").isTrue();
        }
    }

    @Test
    void eachDocumentsItsParametersAndIsOneStatement() {
        for (ReaderQueryFile q : ReaderQueryFile.all()) {
            assertThat(q.parameters()).as(q.name() + " parameters").contains("start_date", "end_date");
            for (String p : q.parameters()) {
                assertThat(q.header()).as(q.name() + " header documents %(" + p + ")s").contains("%(" + p + ")s");
            }
            Matcher external = Pattern.compile("(?i)\\bIN\\s+([a-z_]+)\\b(?!\\s*\\()").matcher(q.statement());
            while (external.find()) {
                assertThat(q.header()).as(q.name() + " header documents external table " + external.group(1))
                        .contains("external table " + external.group(1));
            }
            assertThat(q.statement()).as(q.name() + " holds one statement").doesNotContain(";");
            assertThat(q.text().strip()).as(q.name() + " ends its statement").endsWith(";");
        }
    }
}
