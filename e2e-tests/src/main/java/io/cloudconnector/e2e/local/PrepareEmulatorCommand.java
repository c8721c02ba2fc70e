package io.cloudconnector.e2e.local;

import io.cloudconnector.common.aws.AwsClientFactory;
import io.cloudconnector.common.aws.AwsProperties;
import java.net.URI;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.iam.IamClient;

/**
 * Gives the emulator what a real customer account already has: AWS Batch's service-linked role (vault
 * compute environments need it) and a default VPC with subnets to put vaults in.
 */
@Command(name = "prepare-emulator", description = "Make the emulated account look like a real one (idempotent).")
final class PrepareEmulatorCommand implements Callable<Integer> {

    static final String BATCH_ROLE_PATH = "/aws-service-role/batch.amazonaws.com/";

    @Option(names = "--endpoint", required = true, description = "The emulator's endpoint.")
    URI endpoint;

    @Option(names = "--region", defaultValue = "us-east-1", description = "Region (default: ${DEFAULT-VALUE}).")
    String region;

    @Override
    public Integer call() {
        var clients = new AwsClientFactory(AwsProperties.of(region, endpoint).withStaticCredentials("test", "test"));
        try (var iam = clients.sync(IamClient.builder());
                var ec2 = clients.sync(Ec2Client.builder())) {
            if (iam.listRoles(b -> b.pathPrefix(BATCH_ROLE_PATH)).roles().isEmpty()) {
                // The emulator's CreateServiceLinkedRole names the role differently from AWS: make it by hand.
                iam.createRole(b -> b.path(BATCH_ROLE_PATH)
                        .roleName("AWSServiceRoleForBatch")
                        .assumeRolePolicyDocument("""
                                {"Version":"2012-10-17","Statement":[{"Effect":"Allow",\
                                "Principal":{"Service":"batch.amazonaws.com"},"Action":"sts:AssumeRole"}]}"""));
            }
            // The emulator makes each region's default VPC on its first EC2 call; this is that call.
            ec2.describeVpcs(b -> b.filters(f -> f.name("is-default").values("true")));
        }
        return 0;
    }
}
