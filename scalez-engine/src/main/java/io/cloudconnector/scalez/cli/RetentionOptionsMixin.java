package io.cloudconnector.scalez.cli;

import io.cloudconnector.scalez.maintenance.RetentionPolicy;
import picocli.CommandLine.Option;

/** The {@code --keep-*} rules of {@code forget} and {@code maintain}: which recovery points a retention keeps. */
final class RetentionOptionsMixin {

    @Option(names = "--keep-last", defaultValue = "0", description = "Keep the newest N points.")
    int last;

    @Option(names = "--keep-hourly", defaultValue = "0", description = "Keep the newest point of each of N hours.")
    int hourly;

    @Option(names = "--keep-daily", defaultValue = "0", description = "Keep the newest point of each of N days.")
    int daily;

    @Option(names = "--keep-weekly", defaultValue = "0", description = "Keep the newest point of each of N weeks.")
    int weekly;

    @Option(names = "--keep-monthly", defaultValue = "0", description = "Keep the newest point of each of N months.")
    int monthly;

    @Option(names = "--keep-yearly", defaultValue = "0", description = "Keep the newest point of each of N years.")
    int yearly;

    /** The rules given (empty when none was). */
    RetentionPolicy policy() {
        return new RetentionPolicy(last, hourly, daily, weekly, monthly, yearly);
    }
}
