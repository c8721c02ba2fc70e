package io.cloudconnector.catalog.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.cloudconnector.common.security.Scopes;
import io.cloudconnector.common.testing.SecuredWebTests;
import io.cloudconnector.common.web.NotFoundException;
import io.cloudconnector.common.web.Page;
import io.cloudconnector.common.web.PageRequest;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.mockito.ArgumentCaptor;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

@WebMvcTest(VaultController.class)
class VaultControllerTests extends SecuredWebTests {

    private static final String VAULT_ID = "vlt-01jd3zrx5kq0m8yv5d3m0rz2j4";
    private static final Vault VAULT = new Vault(
            VAULT_ID,
            "prod",
            "us-east-1",
            VaultStatus.ACTIVE,
            null,
            "vpc-0123456789abcdef0",
            List.of("subnet-0123456789abcdef0"),
            SubnetKind.PRIVATE,
            null,
            ScalezCapacity.FARGATE_SPOT,
            "cc-test-" + VAULT_ID,
            null,
            3,
            4096,
            null,
            "j-01JD3ZRX5KQ0M8YV5D3M0RZ2J4",
            Instant.parse("2026-11-26T10:00:00Z"),
            Instant.parse("2026-11-26T10:05:00Z"));
    private static final String VALID = """
            {"name":"prod","region":"us-east-1","vpcId":"vpc-0123456789abcdef0","subnetIds":["subnet-0123456789abcdef0"]}""";

    private static final ResponseEntity<Vault> ACCEPTED = ResponseEntity.accepted()
            .location(URI.create("/v1/vaults/" + VAULT_ID))
            .body(VAULT);

    @Autowired
    MockMvc mvc;

    @MockitoBean
    VaultService vaults;

    @Test
    void listsVaultsWithTheReadScope() throws Exception {
        given(vaults.list(new PageRequest(2, null))).willReturn(new Page<>(List.of(VAULT), "next"));

        mvc.perform(get("/v1/vaults?limit=2").header("Authorization", bearerWith(Scopes.VAULTS_READ)))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.items[0].id").value(VAULT_ID))
                .andExpect(jsonPath("$.items[0].status").value("active"))
                .andExpect(jsonPath("$.items[0].subnetKind").value("private"))
                .andExpect(jsonPath("$.items[0].scalezCapacity").value("fargate-spot"))
                .andExpect(jsonPath("$.items[0].createdAt").value("2026-11-26T10:00:00Z"))
                .andExpect(jsonPath("$.items[0].kmsKeyArn").doesNotExist())
                .andExpect(jsonPath("$.nextPageToken").value("next"));
    }

    @Test
    void createAnswers202WithLocation() throws Exception {
        given(vaults.create(any(), any())).willReturn(ACCEPTED);

        mvc.perform(post("/v1/vaults")
                        .header("Authorization", bearerWith(Scopes.VAULTS_WRITE))
                        .contentType(MediaType.APPLICATION_JSON)
                        .content(VALID))
                .andExpect(status().isAccepted())
                .andExpect(header().string("Location", "/v1/vaults/" + VAULT_ID))
                .andExpect(jsonPath("$.id").value(VAULT_ID))
                .andExpect(jsonPath("$.scalezCapacity").value("fargate-spot"));
    }

    @ParameterizedTest
    @CsvSource(
            nullValues = "absent",
            value = {
                "absent, FARGATE_SPOT",
                "null, FARGATE_SPOT",
                "'\"fargate-spot\"', FARGATE_SPOT",
                "'\"ec2-spot\"', EC2_SPOT"
            })
    void theScalezCapacityDefaultsToFargateSpot(String value, ScalezCapacity expected) throws Exception {
        given(vaults.create(any(), any())).willReturn(ACCEPTED);
        String body = value == null ? VALID : VALID.replace("]}", "],\"scalezCapacity\":" + value + "}");

        mvc.perform(post("/v1/vaults")
                        .header("Authorization", bearerWith(Scopes.VAULTS_WRITE))
                        .contentType(MediaType.APPLICATION_JSON)
                        .content(body))
                .andExpect(status().isAccepted());

        var request = ArgumentCaptor.forClass(CreateVaultRequest.class);
        verify(vaults).create(request.capture(), any());
        assertThat(request.getValue().capacity()).isEqualTo(expected);
    }

    @Test
    void showsAVaultOnEc2Spot() throws Exception {
        var onEc2 = new Vault(
                VAULT_ID,
                "prod",
                "us-east-1",
                VaultStatus.ACTIVE,
                null,
                VAULT.vpcId(),
                VAULT.subnetIds(),
                SubnetKind.PRIVATE,
                null,
                ScalezCapacity.EC2_SPOT,
                VAULT.bucketName(),
                null,
                0,
                0,
                null,
                VAULT.creationJobId(),
                VAULT.createdAt(),
                VAULT.updatedAt());
        given(vaults.get(VAULT_ID)).willReturn(onEc2);

        mvc.perform(get("/v1/vaults/" + VAULT_ID).header("Authorization", bearerWith(Scopes.VAULTS_READ)))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.scalezCapacity").value("ec2-spot"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"on-demand\"", "\"EC2_SPOT\"", "\"\"", "3"})
    void refusesAnUnknownScalezCapacityNamingTheField(String value) throws Exception {
        mvc.perform(post("/v1/vaults")
                        .header("Authorization", bearerWith(Scopes.VAULTS_WRITE))
                        .contentType(MediaType.APPLICATION_JSON)
                        .content(VALID.replace("]}", "],\"scalezCapacity\":" + value + "}")))
                .andExpect(status().isBadRequest())
                .andExpect(header().string("Content-Type", Matchers.startsWith("application/problem+json")))
                .andExpect(jsonPath("$.type").value(Matchers.endsWith("invalid-input")))
                .andExpect(jsonPath("$.errors[0].field").value("scalezCapacity"))
                .andExpect(jsonPath("$.errors[0].message").value(Matchers.containsString("ec2-spot")));
        verifyNoInteractions(vaults);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "{\"region\":\"us-east-1\",\"vpcId\":\"vpc-0123456789abcdef0\",\"subnetIds\":[\"subnet-0123456789abcdef0\"]}|name",
                "{\"name\":\"p\",\"vpcId\":\"vpc-0123456789abcdef0\",\"subnetIds\":[\"subnet-0123456789abcdef0\"]}|region",
                "{\"name\":\"p\",\"region\":\"us-east-1\",\"vpcId\":\"vpc-nope\",\"subnetIds\":[\"subnet-0123456789abcdef0\"]}|vpcId",
                "{\"name\":\"p\",\"region\":\"us-east-1\",\"vpcId\":\"vpc-0123456789abcdef0\",\"subnetIds\":[]}|subnetIds",
                "{\"name\":\"p\",\"region\":\"us-east-1\",\"vpcId\":\"vpc-0123456789abcdef0\",\"subnetIds\":[\"sn-1\"]}|subnetIds[0]",
                "{\"name\":\"-x\",\"region\":\"us-east-1\",\"vpcId\":\"vpc-0123456789abcdef0\",\"subnetIds\":[\"subnet-0123456789abcdef0\"]}|name",
                "{\"name\":\"p\",\"region\":\"us-east-1\",\"vpcId\":\"vpc-0123456789abcdef0\",\"subnetIds\":[\"subnet-0123456789abcdef0\"],\"objectLock\":{\"mode\":\"compliance\",\"days\":0}}|objectLock.days"
            })
    void refusesMalformedBodiesNamingTheField(String body, String field) throws Exception {
        mvc.perform(post("/v1/vaults")
                        .header("Authorization", bearerWith(Scopes.VAULTS_WRITE))
                        .contentType(MediaType.APPLICATION_JSON)
                        .content(body))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[*].field").value(Matchers.hasItem(field)));
        verifyNoInteractions(vaults);
    }

    @ParameterizedTest
    @CsvSource(
            nullValues = "absent",
            value = {"absent, GOVERNANCE, 30", "null, , 0", "'{\"mode\":\"compliance\",\"days\":90}', COMPLIANCE, 90"})
    void objectLockIsTheDefaultUnlessTheBodySaysOtherwise(String value, ObjectLock.Mode mode, int days)
            throws Exception {
        given(vaults.create(any(), any())).willReturn(ACCEPTED);
        String body = value == null ? VALID : VALID.replace("]}", "],\"objectLock\":" + value + "}");

        mvc.perform(post("/v1/vaults")
                        .header("Authorization", bearerWith(Scopes.VAULTS_WRITE))
                        .contentType(MediaType.APPLICATION_JSON)
                        .content(body))
                .andExpect(status().isAccepted());

        var request = ArgumentCaptor.forClass(CreateVaultRequest.class);
        verify(vaults).create(request.capture(), any());
        var defaultLock = new ObjectLock(ObjectLock.Mode.GOVERNANCE, 30);
        assertThat(request.getValue().lock(defaultLock)).isEqualTo(mode == null ? null : new ObjectLock(mode, days));
    }

    @Test
    void aLockOfNoDaysIsRefusedNamingTheField() throws Exception {
        mvc.perform(post("/v1/vaults")
                        .header("Authorization", bearerWith(Scopes.VAULTS_WRITE))
                        .contentType(MediaType.APPLICATION_JSON)
                        .content(VALID.replace("]}", "],\"objectLock\":{\"mode\":\"governance\",\"days\":0}}")))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[*].field").value(Matchers.hasItem(Matchers.containsString("days"))));
        verifyNoInteractions(vaults);
    }

    @Test
    void purgeNeedsTheUnlockScopeAndATrueOrFalseValue() throws Exception {
        given(vaults.purge(VAULT_ID)).willReturn(VAULT);

        mvc.perform(delete("/v1/vaults/" + VAULT_ID + "?purge=true")
                        .header("Authorization", bearerWith(Scopes.VAULTS_WRITE)))
                .andExpect(status().isForbidden());
        mvc.perform(delete("/v1/vaults/" + VAULT_ID + "?purge=sure")
                        .header("Authorization", bearerWith(Scopes.VAULTS_WRITE, Scopes.VAULTS_UNLOCK)))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("purge"));
        mvc.perform(delete("/v1/vaults/" + VAULT_ID + "?purge=true")
                        .header("Authorization", bearerWith(Scopes.VAULTS_UNLOCK)))
                .andExpect(status().isForbidden());
        verifyNoInteractions(vaults);

        mvc.perform(delete("/v1/vaults/" + VAULT_ID + "?purge=true")
                        .header("Authorization", bearerWith(Scopes.VAULTS_WRITE, Scopes.VAULTS_UNLOCK)))
                .andExpect(status().isAccepted());
        verify(vaults).purge(VAULT_ID);
    }

    @Test
    void maintenanceAnswers202WithTheJobToFollow() throws Exception {
        given(vaults.requestMaintenance(VAULT_ID))
                .willReturn(ResponseEntity.accepted()
                        .location(URI.create("/v1/jobs/j-1"))
                        .body(new VaultService.JobAccepted("j-1")));

        mvc.perform(post("/v1/vaults/" + VAULT_ID + "/maintenance")
                        .header("Authorization", bearerWith(Scopes.VAULTS_WRITE)))
                .andExpect(status().isAccepted())
                .andExpect(header().string("Location", "/v1/jobs/j-1"))
                .andExpect(jsonPath("$.jobId").value("j-1"));
        mvc.perform(post("/v1/vaults/not-a-vault/maintenance").header("Authorization", bearerWith(Scopes.VAULTS_WRITE)))
                .andExpect(status().isNotFound());
        mvc.perform(post("/v1/vaults/" + VAULT_ID + "/maintenance")
                        .header("Authorization", bearerWith(Scopes.VAULTS_READ)))
                .andExpect(status().isForbidden());
    }

    @Test
    void refusesAnUnknownObjectLockMode() throws Exception {
        mvc.perform(post("/v1/vaults")
                        .header("Authorization", bearerWith(Scopes.VAULTS_WRITE))
                        .contentType(MediaType.APPLICATION_JSON)
                        .content(VALID.replace("]}", "],\"objectLock\":{\"mode\":\"forever\",\"days\":3}}")))
                .andExpect(status().isBadRequest());
        verifyNoInteractions(vaults);
    }

    @Test
    void readScopeCannotCreateAndWriteScopeCannotList() throws Exception {
        mvc.perform(post("/v1/vaults")
                        .header("Authorization", bearerWith(Scopes.VAULTS_READ))
                        .contentType(MediaType.APPLICATION_JSON)
                        .content(VALID))
                .andExpect(status().isForbidden());
        mvc.perform(get("/v1/vaults").header("Authorization", bearerWith(Scopes.VAULTS_WRITE)))
                .andExpect(status().isForbidden());
        mvc.perform(get("/v1/vaults")).andExpect(status().isUnauthorized());
        verifyNoInteractions(vaults);
    }

    @Test
    void unknownOrMalformedVaultIdIs404() throws Exception {
        given(vaults.get(VAULT_ID)).willThrow(new NotFoundException("Vault", VAULT_ID));

        mvc.perform(get("/v1/vaults/" + VAULT_ID).header("Authorization", bearerWith(Scopes.VAULTS_READ)))
                .andExpect(status().isNotFound())
                .andExpect(jsonPath("$.detail").value("Vault " + VAULT_ID + " does not exist"));
        mvc.perform(get("/v1/vaults/not-a-vault").header("Authorization", bearerWith(Scopes.VAULTS_READ)))
                .andExpect(status().isNotFound());
        mvc.perform(get("/v1/vaults/" + VAULT_ID.toUpperCase()).header("Authorization", bearerWith(Scopes.VAULTS_READ)))
                .andExpect(status().isNotFound());
    }

    @Test
    void retentionCountsMustNotBeNegative() throws Exception {
        mvc.perform(
                        put("/v1/vaults/" + VAULT_ID + "/retention")
                                .header("Authorization", bearerWith(Scopes.VAULTS_WRITE))
                                .contentType(MediaType.APPLICATION_JSON)
                                .content(
                                        "{\"keepLast\":-1,\"keepDaily\":7,\"keepWeekly\":0,\"keepMonthly\":0,\"keepYearly\":0}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("keepLast"));
        verifyNoInteractions(vaults);
    }
}
