package io.cloudconnector.scalez.cli;

import io.cloudconnector.scalez.ScalezException;
import java.io.PrintWriter;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code scalez} command: exit 0 on success, 1 on failure, 2 on bad usage, 3 when check finds damage. */
@Command(
        name = "scalez",
        mixinStandardHelpOptions = true,
        version = "scalez 0.1.0",
        description = "Deduplicated, compressed, encrypted backups of block devices, files, streams and trees.")
public final class ScalezCli {

    static final int DAMAGE = 3;

    /**
     * The subcommands by name, in the order usage lists them. picocli builds a command's model by reflection over
     * its annotations; building only the one a command line names (all of them for usage, help and errors) saves
     * about a tenth of the CLI's start-up (performance.md).
     */
    private static final Map<String, Supplier<Object>> SUBCOMMANDS = subcommands();

    private static Map<String, Supplier<Object>> subcommands() {
        var commands = new LinkedHashMap<String, Supplier<Object>>();
        commands.put("init", InitCommand::new);
        commands.put("backup", BackupCommand::new);
        commands.put("restore", RestoreCommand::new);
        commands.put("list", ListCommand::new);
        commands.put("forget", ForgetCommand::new);
        commands.put("prune", PruneCommand::new);
        commands.put("maintain", MaintainCommand::new);
        commands.put("lock", LockCommand::new);
        commands.put("legal-hold", LegalHoldCommand::new);
        commands.put("check", CheckCommand::new);
        commands.put("stats", StatsCommand::new);
        commands.put("cat", CatCommand::new);
        commands.put("serve", ServeCommand::new);
        return Collections.unmodifiableMap(commands);
    }

    /**
     * The command for {@code args}: with only the subcommand they start with, or with every subcommand when they
     * start with none (usage, {@code --version}, a mistyped name that picocli answers with suggestions).
     */
    static CommandLine commandLine(String... args) {
        var cli = new CommandLine(new ScalezCli());
        var named = args.length > 0 ? SUBCOMMANDS.get(args[0]) : null;
        if (named != null) {
            cli.addSubcommand(named.get());
        } else {
            SUBCOMMANDS.values().forEach(command -> cli.addSubcommand(command.get()));
        }
        return cli;
    }

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
        var cli = commandLine(args).setOut(out).setErr(err);
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
