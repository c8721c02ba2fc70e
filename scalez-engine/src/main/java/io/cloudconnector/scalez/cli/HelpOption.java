package io.cloudconnector.scalez.cli;

import picocli.CommandLine.Option;

/**
 * {@code -h} / {@code --help} on every subcommand: prints its usage and exits 0, before any required option is
 * checked (so {@code scalez serve --help} works without {@code --repo}).
 */
final class HelpOption {

    @Option(
            names = {"-h", "--help"},
            usageHelp = true,
            description = "Show this help and exit.")
    boolean help;
}
