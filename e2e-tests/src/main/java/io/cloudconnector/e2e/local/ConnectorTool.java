package io.cloudconnector.e2e.local;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The Java half of {@code ./connector}: the parts of the local stack that talk to AWS or sign tokens.
 * Starting and stopping processes stays in the shell script.
 */
@Command(
        name = "connector-tool",
        mixinStandardHelpOptions = true,
        description = "Local stack helper behind ./connector.",
        subcommands = {
            KeygenCommand.class,
            DeployCommand.class,
            TokenCommand.class,
            SmokeCommand.class,
            JobsCommand.class,
            FilesCommand.class,
            PrepareEmulatorCommand.class
        })
public final class ConnectorTool {

    private ConnectorTool() {}

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /**
     * The tool's command line: a failure prints one line, {@code connector: <why>}, and exits 1; bad arguments print
     * one line too and exit 2.
     */
    static CommandLine commandLine() {
        return new CommandLine(new ConnectorTool())
                .setExecutionExceptionHandler((e, cmd, parsed) -> {
                    cmd.getErr().println("connector: " + e.getMessage());
                    return 1;
                })
                // Bad arguments: one line naming what is wrong, not the usage text.
                .setParameterExceptionHandler((e, args) -> {
                    e.getCommandLine().getErr().println("connector: " + e.getMessage() + " (see ./connector help)");
                    return 2;
                });
    }
}
