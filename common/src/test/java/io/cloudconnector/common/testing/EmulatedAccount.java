package io.cloudconnector.common.testing;

import java.util.List;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.iam.IamClient;

/**
 * What a customer account has before the connector is installed, made in the emulator: a VPC with two
 * private subnets (no route to an internet gateway) and two public ones, each pair in two availability
 * zones (an ALB and a Batch compute environment need two), and AWS Batch's service-linked role.
 */
public record EmulatedAccount(String vpcId, List<String> privateSubnets, List<String> publicSubnets) {

    /** Creates the network, and the role unless the account has it, in {@code region} of the emulator. */
    public static EmulatedAccount create(AwsEmulator emulator, String region) {
        var inRegion = new AwsEmulator(emulator.endpoint(), region, emulator.accessKeyId(), emulator.secretAccessKey());
        try (var ec2 = EmulatorClients.client(inRegion, Ec2Client.builder());
                var iam = EmulatorClients.client(inRegion, IamClient.builder())) {
            String vpc = ec2.createVpc(b -> b.cidrBlock("10.20.0.0/16")).vpc().vpcId();
            List<String> privateSubnets = List.of(
                    subnet(ec2, vpc, region + "a", "10.20.1.0/24"), subnet(ec2, vpc, region + "b", "10.20.2.0/24"));
            List<String> publicSubnets = List.of(
                    subnet(ec2, vpc, region + "a", "10.20.3.0/24"), subnet(ec2, vpc, region + "b", "10.20.4.0/24"));
            String gateway =
                    ec2.createInternetGateway(b -> {}).internetGateway().internetGatewayId();
            ec2.attachInternetGateway(b -> b.internetGatewayId(gateway).vpcId(vpc));
            String publicTable =
                    ec2.createRouteTable(b -> b.vpcId(vpc)).routeTable().routeTableId();
            ec2.createRoute(b -> b.routeTableId(publicTable)
                    .destinationCidrBlock("0.0.0.0/0")
                    .gatewayId(gateway));
            publicSubnets.forEach(s ->
                    ec2.associateRouteTable(b -> b.routeTableId(publicTable).subnetId(s)));
            if (iam.listRoles(b -> b.pathPrefix("/aws-service-role/batch.amazonaws.com/"))
                    .roles()
                    .isEmpty()) {
                // The emulator's CreateServiceLinkedRole names the role differently from AWS: make it by hand.
                iam.createRole(b -> b.path("/aws-service-role/batch.amazonaws.com/")
                        .roleName("AWSServiceRoleForBatch")
                        .assumeRolePolicyDocument("""
                                {"Version":"2012-10-17","Statement":[{"Effect":"Allow",\
                                "Principal":{"Service":"batch.amazonaws.com"},"Action":"sts:AssumeRole"}]}"""));
            }
            return new EmulatedAccount(vpc, privateSubnets, publicSubnets);
        }
    }

    /** The private subnets as the value of a CloudFormation {@code List<AWS::EC2::Subnet::Id>} parameter. */
    public String privateSubnetsParameter() {
        return String.join(",", privateSubnets);
    }

    private static String subnet(Ec2Client ec2, String vpc, String zone, String cidr) {
        return ec2.createSubnet(b -> b.vpcId(vpc).availabilityZone(zone).cidrBlock(cidr))
                .subnet()
                .subnetId();
    }
}
