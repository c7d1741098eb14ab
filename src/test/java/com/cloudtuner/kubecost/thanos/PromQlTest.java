package com.cloudtuner.kubecost.thanos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PromQlTest {

    @Test
    void quotesEveryCharacterThatCouldEndOrBendTheString() {
        assertThat(PromQl.quote("plain")).isEqualTo("\"plain\"");
        assertThat(PromQl.quote("a\"}b")).isEqualTo("\"a\\\"}b\"");
        assertThat(PromQl.quote("back\\slash")).isEqualTo("\"back\\\\slash\"");
        assertThat(PromQl.quote("line\nbreak\ttab\r")).isEqualTo("\"line\\nbreak\\ttab\\r\"");
        assertThat(PromQl.quote("nul\u0000")).isEqualTo("\"nul\\u0000\"");
    }

    @Test
    void selectorsQuoteValuesAndRefuseBadNames() {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("tenant_id", "x\"} or vector(1) # ");
        assertThat(PromQl.selector("m_total", labels)).isEqualTo("m_total{tenant_id=\"x\\\"} or vector(1) # \"}");
        assertThatThrownBy(() -> PromQl.selector("m{x=\"1\"}", Map.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PromQl.selector("m", Map.of("bad-label", "v"))).isInstanceOf(IllegalArgumentException.class);
        assertThat(PromQl.metricPrefixSelector("cloudtuner_kubecost_")).isEqualTo("{__name__=~\"cloudtuner_kubecost_.+\"}");
    }

    @Test
    void regexLiteralsEscapeEveryMetacharacter() {
        assertThat(PromQl.regexLiteral("team.a")).isEqualTo("team\\.a");
        assertThat(PromQl.regexLiteral("a+b*c?(d)|[e]{f}^g$h\\i")).isEqualTo("a\\+b\\*c\\?\\(d\\)\\|\\[e\\]\\{f\\}\\^g\\$h\\\\i");
        for (String id : java.util.List.of("team.a", "a+b", "x(y)", "p|q", "acme", "we\"ird}")) {
            // the escaped text, read as a Java regex (same metacharacters), matches the id and only it
            java.util.regex.Pattern p = java.util.regex.Pattern.compile(PromQl.regexLiteral(id));
            assertThat(p.matcher(id).matches()).as(id).isTrue();
        }
        assertThat(java.util.regex.Pattern.compile(PromQl.regexLiteral("team.a")).matcher("teamxa").matches()).isFalse();
    }

    @Test
    void anyOfIsOneQuotedAlternationOfLiterals() {
        assertThat(PromQl.anyOf("tenant_id", java.util.List.of("acme", "acme-eu", "team.a")))
                .isEqualTo("tenant_id=~\"acme|acme-eu|team\\\\.a\"");
        assertThatThrownBy(() -> PromQl.anyOf("tenant_id", java.util.List.of())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aLongTenantMatcherIsCutToItsNumberOfValuesAndAShortOneKept() {
        java.util.List<String> ids = new java.util.ArrayList<>();
        for (int i = 0; i < 40; i++) {
            ids.add("tenant-" + i + (i == 7 ? ".eu|x" : ""));
        }
        String query = "sum_over_time(m{" + PromQl.anyOf("tenant_id", ids) + ",cluster=~\"a|b\"}[1h])";
        assertThat(PromQl.withShortMatchers("query_range " + query + ": HTTP 503"))
                .isEqualTo("query_range sum_over_time(m{tenant_id=~<40 values>,cluster=~\"a|b\"}[1h]): HTTP 503");
    }
}
