package io.cloudconnector.scalez.cli;

import io.cloudconnector.scalez.ScalezException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code scalez} command: exit 0 on success, 1 on failure, 2 on bad usage, 3 when check finds damage. */
@Command(
        name = "scalez",
        mixinStandardHelpOptions = true,
        version = "scalez 0.1.0",
        description = "Deduplicated, compressed, encrypted backups of block devices, files, streams and trees.",
        subcommands = {
            InitCommand.class,
            BackupCommand.class,
            RestoreCommand.class,
            ListCommand.class,
            ForgetCommand.class,
            PruneCommand.class,
            MaintainCommand.class,
            LockCommand.class,
            LegalHoldCommand.class,
            CheckCommand.class,
            StatsCommand.class,
            CatCommand.class,
            ServeCommand.class
        })
public final class ScalezCli {

    static final int DAMAGE = 3;

    /** Runs the CLI and exits with its code. */
    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the CLI and returns its exit code. */
    public static int run(String... args) {
        return run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
    }

    /** Runs the CLI with its usage, parameter errors and failures going to {@code out} and {@code err}. */
    static int run(PrintWriter out, PrintWriter err, String... args) {
        var cli = new CommandLine(new ScalezCli()).setOut(out).setErr(err);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            var message = e instanceof ScalezException || e instanceof IllegalArgumentException
                    ? e.getMessage()
                    : e.toString();
            err.println("scalez: " + String.valueOf(message).replace('\n', ' '));
            err.flush();
            if (System.getenv("SCALEZ_DEBUG") != null) {
                e.printStackTrace();
            }
            return 1;
        });
        return cli.execute(args);
    }
}
