package com.cloudtuner.kubecost.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.cloudtuner.kubecost.simulate.Incident;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** simulate's {@code --incident}: what each form gives, and every malformed one refused with one line naming the option. */
class IncidentOptionTest {

    private static final Clock NOW = Clock.fixed(Instant.parse("2025-10-20T12:34:56Z"), ZoneOffset.UTC);
    /** The simulated hours: 2025-10-13T00:00Z for 24 h, tenants acme and globex. */
    private static final String[] SIMULATE = {"simulate", "--out=x.om", "--from=2025-10-13", "--hours=24", "--tenants=acme,globex"};

    private static List<Incident> incidents(String... incidentArgs) {
        List<String> args = new ArrayList<>(Arrays.asList(SIMULATE));
        for (String i : incidentArgs) {
            args.add("--incident=" + i);
        }
        return ((Command.Simulate) CommandLine.parse(args.toArray(String[]::new), NOW).command()).incidents();
    }

    private static Instant at(String instant) {
        return Instant.parse(instant);
    }

    @Test
    void withoutTheOptionNothingGoesWrong() {
        assertThat(incidents()).isEmpty();
    }

    @Test
    void eachFormGivesItsIncidentInTheOrderGiven() {
        assertThat(incidents(
                "hole:acme:2025-10-13T02:00:00Z..2025-10-13T08:00:00Z",
                "hole:globex/staging:2025-10-13T02:30:00Z..2025-10-13T03:00:00Z",
                "restart:acme/prod:2025-10-13T10:00:00Z..2025-10-13T10:07:00Z",
                "currency:globex:2025-10-13T12:30:00Z:EUR",
                "late:globex:2025-10-13T05:00:00Z",
                "late:acme:2025-10-13T05:00:00+02:00"))
                .containsExactly(
                        Incident.hole("acme", null, at("2025-10-13T02:00:00Z"), at("2025-10-13T08:00:00Z")),
                        Incident.hole("globex", "staging", at("2025-10-13T02:30:00Z"), at("2025-10-13T03:00:00Z")),
                        Incident.restart("acme", "prod", at("2025-10-13T10:00:00Z"), at("2025-10-13T10:07:00Z")),
                        Incident.currency("globex", null, at("2025-10-13T12:30:00Z"), "EUR"),
                        Incident.late("globex", at("2025-10-13T05:00:00Z")),
                        Incident.late("acme", at("2025-10-13T03:00:00Z")));
    }

    @Test
    void aHoleMayCoverTheWholeSimulatedDay() {
        assertThat(incidents("hole:acme:2025-10-13..2025-10-14")).containsExactly(
                Incident.hole("acme", null, at("2025-10-13T00:00:00Z"), at("2025-10-14T00:00:00Z")));
    }

    @Test
    void theOptionIsOneOfSimulatesAndRepeatable() {
        assertThatThrownBy(() -> CommandLine.parse(new String[] {"backfill", "--from=2025-10-13", "--to=2025-10-14",
                "--incident=late:acme:2025-10-13T05:00:00Z"}, NOW)).isInstanceOf(UsageException.class)
                .hasMessage("unknown option --incident for backfill");
        assertThat(incidents("late:acme:2025-10-13T05:00:00Z", "late:globex:2025-10-13T06:00:00Z")).hasSize(2);
    }

    /** Each mistake: one line that starts with the option's name, the value never repeated. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            an unknown kind                      | outage:acme:2025-10-13T02:00:00Z..2025-10-13T03:00:00Z
            no tenant                            | hole::2025-10-13T02:00:00Z..2025-10-13T03:00:00Z
            an empty cluster                     | hole:acme/:2025-10-13T02:00:00Z..2025-10-13T03:00:00Z
            no time                              | late:acme
            nothing after the tenant             | late:acme:
            a hole without its range             | hole:acme:2025-10-13T02:00:00Z
            a restart without its range          | restart:acme:2025-10-13T02:00:00Z
            a range backwards                    | hole:acme:2025-10-13T08:00:00Z..2025-10-13T02:00:00Z
            an empty range                       | restart:acme:2025-10-13T02:00:00Z..2025-10-13T02:00:00Z
            an instant that is none              | hole:acme:yesterday..2025-10-13T02:00:00Z
            an instant out of every range        | late:acme:1999-01-01T00:00:00Z
            a tenant not simulated               | late:initech:2025-10-13T05:00:00Z
            a hole reaching past the end         | hole:acme:2025-10-13T20:00:00Z..2025-10-14T01:00:00Z
            a hole before the start              | hole:acme:2025-10-12T23:00:00Z..2025-10-13T01:00:00Z
            a late start at the first instant    | late:acme:2025-10-13T00:00:00Z
            a late start at the end              | late:acme:2025-10-14T00:00:00Z
            a currency change without a code     | currency:acme:2025-10-13T12:30:00Z
            a currency code in lower case        | currency:acme:2025-10-13T12:30:00Z:eur
            a currency code of four letters      | currency:acme:2025-10-13T12:30:00Z:EURO
            the simulation's own currency        | currency:acme:2025-10-13T12:30:00Z:USD
            a currency change after the end      | currency:acme:2025-10-14T12:30:00Z:EUR
            a late tenant with a cluster         | late:acme/prod:2025-10-13T05:00:00Z
            """)
    void aMalformedIncidentIsRefusedNamingTheOption(String what, String incident) {
        assertThatThrownBy(() -> incidents(incident)).isInstanceOf(UsageException.class)
                .message().startsWith("--incident").doesNotContain("\n").doesNotContain(incident);
    }

    @Test
    void theUsageShowsEveryForm() {
        assertThat(CommandLine.USAGE).contains("--incident=KIND:TENANT[/CLUSTER]:WHEN", "hole:T[/C]:FROM..TO",
                "restart:T[/C]:FROM..TO", "currency:T[/C]:AT:CODE", "late:T:AT");
    }

    @Test
    void aTenantChangesCurrencyOnceOnly() {
        // a change back would write a series that is already in the file a second time
        assertThatThrownBy(() -> incidents("currency:acme:2025-10-13T12:30:00Z:EUR", "currency:acme/prod:2025-10-13T14:00:00Z:GBP"))
                .isInstanceOf(UsageException.class).message().startsWith("--incident currency");
        assertThat(incidents("currency:acme:2025-10-13T12:30:00Z:EUR", "currency:globex:2025-10-13T14:00:00Z:GBP")).hasSize(2);
    }
}
