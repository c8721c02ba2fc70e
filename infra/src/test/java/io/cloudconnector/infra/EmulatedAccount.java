package io.cloudconnector.infra;

import java.util.List;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.iam.IamClient;

/** What a customer account already has before the templates are installed: a VPC with private subnets, and Batch's service-linked role. */
final class EmulatedAccount {

    private EmulatedAccount() {
    }

    /** A VPC and its subnets. */
    record Network(String vpcId, List<String> subnetIds) {

        String subnets() {
            return String.join(",", subnetIds);
        }
    }

    /** A VPC with two subnets in different availability zones (an ALB needs two), made through the EC2 API. */
    static Network network(Ec2Client ec2, String cidrPrefix) {
        var vpcId = ec2.createVpc(request -> request.cidrBlock(cidrPrefix + ".0.0/16")).vpc().vpcId();
        var subnets = List.of("a", "b").stream()
                .map(zone -> ec2.createSubnet(request -> request.vpcId(vpcId)
                        .availabilityZone("us-east-1" + zone)
                        .cidrBlock(cidrPrefix + "." + (zone.equals("a") ? 1 : 2) + ".0/24")).subnet().subnetId())
                .toList();
        return new Network(vpcId, subnets);
    }

    /**
     * AWSServiceRoleForBatch, which exists in any account that has used Batch (or that set
     * CreateBatchServiceLinkedRole in account.yaml). The emulator's CreateServiceLinkedRole names it
     * differently, so it is made as a plain role at the service-linked path.
     */
    static void batchServiceLinkedRole(IamClient iam) {
        iam.createRole(request -> request
                .path("/aws-service-role/batch.amazonaws.com/")
                .roleName("AWSServiceRoleForBatch")
                .assumeRolePolicyDocument("""
                        {"Version":"2012-10-17","Statement":[{"Effect":"Allow",\
                        "Principal":{"Service":"batch.amazonaws.com"},"Action":"sts:AssumeRole"}]}"""));
    }
}
