package com.cloudtuner.kubecost.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MigrationTest {

    @Test
    void statementsSplitAtSemicolonsEndingALineAndDropCommentLines() {
        Migration m = Migration.of("V7__x.sql", "-- a comment; with a semicolon\r\nSELECT 'a;b';\r\n\r\nSELECT 2;");
        assertThat(m.version()).isEqualTo(7);
        assertThat(m.statements()).containsExactly("SELECT 'a;b'", "SELECT 2");
        // line endings do not change the checksum: a checkout with CRLF is the same file
        assertThat(m.checksum()).isEqualTo(Migration.of("V7__x.sql", "-- a comment; with a semicolon\nSELECT 'a;b';\n\nSELECT 2;").checksum());
        assertThat(m.checksum()).isNotEqualTo(Migration.of("V7__x.sql", "SELECT 'a;b';\nSELECT 3;").checksum());
    }

    @Test
    void fileNamesCarryTheVersion() {
        assertThat(Migration.isMigrationName("V12__add_things.sql")).isTrue();
        assertThat(Migration.isMigrationName("V1_missing_underscore.sql")).isFalse();
        assertThatThrownBy(() -> Migration.of("notes.sql", "")).isInstanceOf(MigrationException.class);
    }
}
