package io.cloudconnector.scalez.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The command line in process: every subcommand answers {@code --help} and {@code -h}; bad usage exits 2. */
class CliTests {

    private static final List<String> SUBCOMMANDS = List.of(
            "init",
            "backup",
            "restore",
            "list",
            "forget",
            "prune",
            "maintain",
            "lock",
            "legal-hold",
            "check",
            "stats",
            "cat",
            "serve");

    private record Run(int exitCode, String out, String err) {}

    private static Run run(String... args) {
        var out = new StringWriter();
        var err = new StringWriter();
        int code = ScalezCli.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(code, out.toString(), err.toString());
    }

    static List<String> subcommands() {
        return SUBCOMMANDS;
    }

    @Test
    void theseAreAllTheSubcommands() {
        assertThat(ScalezCli.commandLine().getSubcommands().keySet()).containsExactlyElementsOf(SUBCOMMANDS);
    }

    @ParameterizedTest
    @MethodSource("subcommands")
    void aCommandLineNamingASubcommandBuildsOnlyThatOne(String subcommand) {
        assertThat(ScalezCli.commandLine(subcommand, "--repo", "/tmp/none")
                        .getSubcommands()
                        .keySet())
                .containsExactly(subcommand);
    }

    @Test
    void aMistypedSubcommandIsBadUsageWithASuggestion() {
        var run = run("restor", "--repo", "/tmp/none");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("Unmatched argument").contains("scalez restore");
        assertThat(run.out()).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("subcommands")
    void helpPrintsTheSubcommandsUsageAndExitsZeroWithoutItsRequiredOptions(String subcommand) {
        for (var flag : List.of("--help", "-h")) {
            var run = run(subcommand, flag);
            assertThat(run.exitCode())
                    .as("scalez %s %s: %s", subcommand, flag, run.err())
                    .isZero();
            assertThat(run.out())
                    .startsWith("Usage: scalez " + subcommand)
                    .contains("--repo=<repo>")
                    .contains("-h, --help");
            assertThat(run.err()).isEmpty();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"--help", "-h"})
    void helpOfTheCommandListsEverySubcommand(String flag) {
        var run = run(flag);
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).startsWith("Usage: scalez");
        SUBCOMMANDS.forEach(s -> assertThat(run.out()).contains("  " + s + " "));
    }

    @ParameterizedTest
    @MethodSource("subcommands")
    void aSubcommandWithoutItsRequiredOptionsIsBadUsage(String subcommand) {
        var run = run(subcommand);
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("Missing required option").contains("--repo");
        assertThat(run.out()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"forget", "maintain"})
    void forgetAndMaintainTakeTheSameRetentionRules(String subcommand) {
        var cli = ScalezCli.commandLine(subcommand);
        var parsed = cli.parseArgs(subcommand, "--repo", "/tmp/none", "--keep-last", "3", "--keep-daily", "7");
        var command = parsed.subcommand().commandSpec().userObject();
        var keep = subcommand.equals("forget") ? ((ForgetCommand) command).keep : ((MaintainCommand) command).keep;

        assertThat(keep.policy()).isEqualTo(new io.cloudconnector.scalez.maintenance.RetentionPolicy(3, 0, 7, 0, 0, 0));
        assertThat(run(subcommand, "--help").out())
                .contains("--keep-weekly", "Keep the newest point of each of N weeks");
    }
}
