package io.cloudconnector.e2e.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudconnector.common.testing.AwsEmulator;
import io.cloudconnector.common.testing.ConnectorStack;
import io.cloudconnector.common.testing.WithAwsEmulator;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;

/** {@code ./connector deploy} against the emulator: dry run, deploy, and refusals that name what is wrong. */
@WithAwsEmulator
class DeployCommandIT {

    private static final Path TEMPLATES = ConnectorStack.template().getParent();

    private record Run(int exitCode, String out, String err) {}

    private static Run deploy(AwsEmulator emulator, String... args) {
        var out = new StringWriter();
        var err = new StringWriter();
        List<String> all = new ArrayList<>(List.of(
                "deploy",
                "--templates",
                TEMPLATES.toString(),
                "--endpoint",
                emulator.endpoint().toString()));
        all.addAll(List.of(args));
        int code = ConnectorTool.commandLine()
                .setOut(new PrintWriter(out))
                .setErr(new PrintWriter(err))
                .execute(all.toArray(String[]::new));
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void aDryRunShowsTheChangeSetAndDeploysNothing(AwsEmulator emulator) {
        var dryRun = deploy(
                emulator,
                "--stack",
                "connector",
                "--region",
                "us-east-1",
                "--param",
                "ConnectorId=cc-dry",
                "--dry-run");

        assertThat(dryRun.exitCode()).as(dryRun.err()).isZero();
        assertThat(dryRun.out())
                .contains(
                        "Stack cc-dry (connector.yaml, us-east-1):",
                        "Add Bus (AWS::Events::EventBus)",
                        "Add CatalogTable (AWS::DynamoDB::Table)");
        try (var cloudFormation = ConnectorStack.clients(emulator).sync(CloudFormationClient.builder())) {
            assertThat(cloudFormation.listStacks().stackSummaries())
                    .noneMatch(s -> s.stackName().equals("cc-dry")
                            && !s.stackStatusAsString().equals("DELETE_COMPLETE"));
        }
    }

    @Test
    void deployPrintsTheOutputsAndASecondDryRunShowsNoChanges(AwsEmulator emulator) {
        var first =
                deploy(emulator, "--stack", "connector", "--region", "us-east-1", "--param", "ConnectorId=cc-twice");
        var again = deploy(
                emulator,
                "--stack",
                "connector",
                "--region",
                "us-east-1",
                "--param",
                "ConnectorId=cc-twice",
                "--dry-run");

        assertThat(first.exitCode()).as(first.err()).isZero();
        assertThat(first.out())
                .contains(
                        "Stack cc-twice (connector.yaml) deployed",
                        "EventBusName",
                        "cc-twice-bus",
                        "InventoryInboxDlqUrl");
        assertThat(again.exitCode()).as(again.err()).isZero();
        assertThat(again.out()).contains("no changes");
    }

    @Test
    void refusesBadInputNamingIt(AwsEmulator emulator) {
        var region = deploy(emulator, "--stack", "connector", "--region", "eu-west-1", "--param", "ConnectorId=cc-x");
        var kind = deploy(emulator, "--stack", "everything", "--region", "us-east-1");
        var vault = deploy(emulator, "--stack", "vault", "--region", "us-east-1", "--param", "ConnectorId=cc-x");

        assertThat(region.exitCode()).isEqualTo(1);
        assertThat(region.err())
                .isEqualTo("connector: --region eu-west-1 is not supported; use one of us-east-1, "
                        + "us-east-2, us-west-2, eu-central-1, ap-southeast-2" + System.lineSeparator());
        assertThat(kind.err()).contains("--stack must be account, connector or vault");
        assertThat(vault.err()).contains("--param VaultId=");
    }

    @Test
    void aRefusedStackIsNamedInOneLine(AwsEmulator emulator) {
        // The vault template needs subnets of a real VPC; the emulator fails the stack on the bogus ones.
        var failed = deploy(
                emulator,
                "--stack",
                "vault",
                "--region",
                "us-east-1",
                "--timeout",
                "2m",
                "--param",
                "ConnectorId=cc-x",
                "--param",
                "VaultId=vlt-01hzx3k9q8f7t6r5e4w3q2a1s0",
                "--param",
                "VpcId=vpc-doesnotexist",
                "--param",
                "SubnetIds=subnet-nope1,subnet-nope2",
                "--param",
                "WorkerImageUri=example/worker:1",
                "--param",
                "ScannerImageUri=example/scanner:1");

        assertThat(failed.exitCode()).isEqualTo(1);
        assertThat(failed.err())
                .startsWith("connector: Cannot create stack cc-x-vlt-01hzx3k9q8f7t6r5e4w3q2a1s0: ")
                .hasLineCount(1);
    }
}
