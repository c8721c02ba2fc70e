package io.cloudconnector.catalog.vault;

import io.cloudconnector.catalog.config.RegionalClients;
import io.cloudconnector.common.web.FieldProblem;
import io.cloudconnector.common.web.InvalidInputException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.RouteTable;
import software.amazon.awssdk.services.ec2.model.Subnet;

/**
 * Checks a vault's network through EC2 describe calls before anything is created: the VPC exists, every
 * subnet exists and belongs to it, and the subnets are all private or all public. A subnet is public
 * when its route table (its own, or the VPC's main one) routes to an internet gateway.
 */
@Component
class NetworkValidator {

    private final RegionalClients clients;

    NetworkValidator(RegionalClients clients) {
        this.clients = clients;
    }

    /** The kind of the subnets, or {@link InvalidInputException} naming {@code vpcId} or {@code subnetIds}. */
    SubnetKind check(String region, String vpcId, List<String> subnetIds) {
        Ec2Client ec2 = clients.in(region).ec2();
        if (!vpcExists(ec2, vpcId)) {
            throw new InvalidInputException("vpcId", "VPC " + vpcId + " does not exist in " + region);
        }
        Set<String> wanted = new LinkedHashSet<>(subnetIds);
        if (wanted.size() != subnetIds.size()) {
            throw new InvalidInputException("subnetIds", "lists a subnet more than once");
        }
        Map<String, Subnet> found = ec2
                .describeSubnetsPaginator(b -> b.filters(
                        Filter.builder().name("subnet-id").values(wanted).build()))
                .subnets()
                .stream()
                .collect(Collectors.toMap(Subnet::subnetId, s -> s));
        List<FieldProblem> problems = new ArrayList<>();
        for (String id : wanted) {
            Subnet subnet = found.get(id);
            if (subnet == null) {
                problems.add(new FieldProblem("subnetIds", "subnet " + id + " does not exist in " + region));
            } else if (!vpcId.equals(subnet.vpcId())) {
                problems.add(new FieldProblem(
                        "subnetIds", "subnet " + id + " belongs to " + subnet.vpcId() + ", not " + vpcId));
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidInputException(problems);
        }
        List<RouteTable> tables = ec2
                .describeRouteTablesPaginator(b ->
                        b.filters(Filter.builder().name("vpc-id").values(vpcId).build()))
                .routeTables()
                .stream()
                .toList();
        Set<String> publicOnes = wanted.stream()
                .filter(id -> routesToInternet(routeTableOf(id, tables)))
                .collect(Collectors.toCollection(LinkedHashSet::new));
        if (publicOnes.isEmpty()) {
            return SubnetKind.PRIVATE;
        }
        if (publicOnes.size() == wanted.size()) {
            return SubnetKind.PUBLIC;
        }
        Set<String> privateOnes = new LinkedHashSet<>(wanted);
        privateOnes.removeAll(publicOnes);
        throw new InvalidInputException(
                "subnetIds",
                "mixes public subnets " + publicOnes + " (routed to an internet gateway) with private ones "
                        + privateOnes + "; use all private or all public");
    }

    private static boolean vpcExists(Ec2Client ec2, String vpcId) {
        try {
            return !ec2.describeVpcs(b -> b.vpcIds(vpcId)).vpcs().isEmpty();
        } catch (Ec2Exception e) {
            if (e.awsErrorDetails() != null
                    && "InvalidVpcID.NotFound".equals(e.awsErrorDetails().errorCode())) {
                return false;
            }
            throw e;
        }
    }

    private static RouteTable routeTableOf(String subnetId, List<RouteTable> tables) {
        return tables.stream()
                .filter(t -> t.associations().stream().anyMatch(a -> subnetId.equals(a.subnetId())))
                .findFirst()
                .or(() -> tables.stream()
                        .filter(t -> t.associations().stream().anyMatch(a -> Boolean.TRUE.equals(a.main())))
                        .findFirst())
                .orElse(RouteTable.builder().build());
    }

    private static boolean routesToInternet(RouteTable table) {
        return table.routes().stream()
                .anyMatch(r -> r.gatewayId() != null && r.gatewayId().startsWith("igw-"));
    }
}
