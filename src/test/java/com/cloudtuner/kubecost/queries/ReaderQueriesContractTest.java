package com.cloudtuner.kubecost.queries;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The rules every reader query keeps, checked on the text: it reads the view (the raw table holds
 * old versions and tombstones), filters on cloud_account_id first (the sort key's first column),
 * and documents each of its parameters in its header. ReaderQueriesIT checks what they return.
 */
class ReaderQueriesContractTest {

    private static final Pattern TABLE_AFTER = Pattern.compile("\\b(?:FROM|JOIN)\\s+([\\w.`]+)", Pattern.CASE_INSENSITIVE);

    @Test
    void theQueriesTheApiRuns() {
        assertThat(ReaderQueryFile.all()).extracting(ReaderQueryFile::name)
                .containsExactly("clean_expenses.sql", "daily_costs.sql", "namespace_resources.sql");
    }

    @Test
    void eachReadsTheViewOnly() {
        for (ReaderQueryFile q : ReaderQueryFile.all()) {
            String sql = q.statement();
            Matcher m = TABLE_AFTER.matcher(sql);
            List<String> tables = m.results().map(r -> r.group(1)).toList();
            assertThat(tables).as(q.name() + " reads").containsOnly("k8s_expenses_current");
            assertThat(sql.replace("k8s_expenses_current", "")).as(q.name() + " names the raw table")
                    .doesNotContainPattern("\\bk8s_expenses\\b");
            assertThat(sql.toUpperCase(Locale.ROOT)).as(q.name() + ": the view already applies FINAL").doesNotContain("FINAL");
        }
    }

    @Test
    void eachFiltersOnTheCloudAccountFirst() {
        for (ReaderQueryFile q : ReaderQueryFile.all()) {
            assertThat(q.statement()).as(q.name())
                    .containsPattern("(?i)\\bWHERE\\s+cloud_account_id\\s+IN\\s*\\(\\{\\{cloud_account_ids}}\\)");
        }
    }

    @Test
    void eachDocumentsItsParametersAndIsOneStatement() {
        for (ReaderQueryFile q : ReaderQueryFile.all()) {
            assertThat(q.placeholders()).as(q.name() + " parameters").isNotEmpty();
            for (String p : q.placeholders()) {
                assertThat(q.header()).as(q.name() + " header documents {{" + p + "}}").contains("{{" + p + "}}");
            }
            assertThat(q.statement()).as(q.name() + " holds one statement").doesNotContain(";");
            assertThat(q.text().strip()).as(q.name() + " ends its statement").endsWith(";");
        }
    }
}
