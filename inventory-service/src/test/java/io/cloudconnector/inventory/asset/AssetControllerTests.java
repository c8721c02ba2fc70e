package io.cloudconnector.inventory.asset;

import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.cloudconnector.common.security.Scopes;
import io.cloudconnector.common.testing.SecuredWebTests;
import io.cloudconnector.common.web.Page;
import io.cloudconnector.common.web.PageRequest;
import io.cloudconnector.inventory.asset.AssetQuery.TagFilter;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

@WebMvcTest(AssetController.class)
class AssetControllerTests extends SecuredWebTests {

    private static final String ID = "aws:ebs:123456789012:us-east-1:vol-0abc";
    private static final Instant SEEN = Instant.parse("2026-11-26T10:00:00Z");
    private static final Asset VOLUME = new Asset(
            new AssetFacts(
                    ID,
                    AssetType.EBS,
                    "in-use",
                    "us-east-1a",
                    8L,
                    null,
                    Map.of("env", "prod"),
                    List.of(new Attachment("aws:ec2:123456789012:us-east-1:i-0abc", "/dev/xvda"))),
            SEEN,
            SEEN.plusSeconds(900),
            true,
            new ProtectionSummary("rp-01JD3ZRX5KQ0M8YV5D3M0RZ2J4", SEEN.plusSeconds(60), null, null),
            new AssetProtection(
                    "at-risk",
                    List.of("pol-1"),
                    60L,
                    new AssetProtection.Point("rp-01JD3ZRX5KQ0M8YV5D3M0RZ2J4", SEEN.plusSeconds(60)),
                    null,
                    new AssetProtection.TestedPoint(
                            "rp-01JD3ZRX5KQ0M8YV5D3M0RZ2J4", SEEN.plusSeconds(60), SEEN.plusSeconds(600), 41.5),
                    List.of("newest-scan-not-clean")));

    @Autowired
    MockMvc mvc;

    @MockitoBean
    AssetRepository assets;

    @Test
    void listsWithEveryFilterAndShowsProtection() throws Exception {
        var query = new AssetQuery(
                AssetType.EBS,
                "in-use",
                List.of(new TagFilter("env", "prod")),
                true,
                "at-risk",
                new PageRequest(10, "tok"));
        given(assets.list(query)).willReturn(new Page<>(List.of(VOLUME), "next"));

        mvc.perform(get("/v1/assets?type=ebs&state=in-use&tag=env:prod&protected=true&protection=at-risk"
                                + "&limit=10&pageToken=tok")
                        .header("Authorization", bearerWith(Scopes.ASSETS_READ)))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.items[0].id").value(ID))
                .andExpect(jsonPath("$.items[0].type").value("ebs"))
                .andExpect(jsonPath("$.items[0].protected").value(true))
                .andExpect(jsonPath("$.items[0].sizeGiB").value(8))
                .andExpect(jsonPath("$.items[0].attachments[0].device").value("/dev/xvda"))
                .andExpect(jsonPath("$.items[0].lastRecoveryPointAt").value("2026-11-26T10:01:00Z"))
                .andExpect(jsonPath("$.items[0].instanceType").doesNotExist())
                .andExpect(jsonPath("$.items[0].lastCleanRecoveryPointId").doesNotExist())
                .andExpect(jsonPath("$.items[0].facts").doesNotExist())
                .andExpect(jsonPath("$.items[0].firstSeen").value("2026-11-26T10:00:00Z"))
                .andExpect(jsonPath("$.items[0].protection.status").value("at-risk"))
                .andExpect(jsonPath("$.items[0].protection.policyIds[0]").value("pol-1"))
                .andExpect(jsonPath("$.items[0].protection.rpoMinutes").value(60))
                .andExpect(
                        jsonPath("$.items[0].protection.lastRecoveryPoint.id").value("rp-01JD3ZRX5KQ0M8YV5D3M0RZ2J4"))
                .andExpect(jsonPath("$.items[0].protection.lastCleanRecoveryPoint")
                        .value(org.hamcrest.Matchers.nullValue()))
                .andExpect(jsonPath("$.items[0].protection.lastTestedRecoveryPoint.id")
                        .value("rp-01JD3ZRX5KQ0M8YV5D3M0RZ2J4"))
                .andExpect(jsonPath("$.items[0].protection.lastTestedRecoveryPoint.testedAt")
                        .value(SEEN.plusSeconds(600).toString()))
                .andExpect(jsonPath("$.items[0].protection.lastTestedRecoveryPoint.recoveryTimeSeconds")
                        .value(41.5))
                .andExpect(jsonPath("$.items[0].protection.reasons[0]").value("newest-scan-not-clean"))
                .andExpect(jsonPath("$.nextPageToken").value("next"));
    }

    @Test
    void badFiltersAre400ProblemsNamingEachParameter() throws Exception {
        mvc.perform(get("/v1/assets?type=rds&protected=maybe&protection=fine&tag=nocolon&limit=501")
                        .header("Authorization", bearerWith(Scopes.ASSETS_READ)))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.type").value("urn:cloudconnector:problem:invalid-input"))
                .andExpect(jsonPath("$.errors[*].field")
                        .value(org.hamcrest.Matchers.contains("type", "tag", "protected", "protection", "limit")));
        mvc.perform(get("/v1/assets?limit=ten").header("Authorization", bearerWith(Scopes.ASSETS_READ)))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("limit"));
        verifyNoInteractions(assets);
    }

    @Test
    void needsTheReadScope() throws Exception {
        mvc.perform(get("/v1/assets")).andExpect(status().isUnauthorized());
        mvc.perform(get("/v1/assets/" + ID).header("Authorization", bearerWith(Scopes.ASSETS_WRITE)))
                .andExpect(status().isForbidden());
        verifyNoInteractions(assets);
    }

    @Test
    void servesOneAssetOr404() throws Exception {
        given(assets.find(ID)).willReturn(Optional.of(VOLUME));
        given(assets.find("aws:ebs:123456789012:us-east-1:vol-gone")).willReturn(Optional.empty());

        mvc.perform(get("/v1/assets/" + ID).header("Authorization", bearerWith(Scopes.ASSETS_READ)))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.tags.env").value("prod"));
        mvc.perform(get("/v1/assets/aws:ebs:123456789012:us-east-1:vol-gone")
                        .header("Authorization", bearerWith(Scopes.ASSETS_READ)))
                .andExpect(status().isNotFound())
                .andExpect(jsonPath("$.type").value("urn:cloudconnector:problem:not-found"));
    }

    @Test
    void servesTheLastCleanRecoveryPointOr404() throws Exception {
        String scanned = "aws:ebs:123456789012:us-east-1:vol-0clean";
        var clean = new Asset(
                VOLUME.facts(),
                SEEN,
                SEEN.plusSeconds(900),
                true,
                new ProtectionSummary(
                        "rp-01JD3ZRX5KQ0M8YV5D3M0RZ2J9",
                        SEEN.plusSeconds(120),
                        "rp-01JD3ZRX5KQ0M8YV5D3M0RZ2J4",
                        SEEN.plusSeconds(60)),
                VOLUME.protection());
        given(assets.find(scanned)).willReturn(Optional.of(clean));
        given(assets.find(ID)).willReturn(Optional.of(VOLUME));
        given(assets.find("aws:ebs:123456789012:us-east-1:vol-gone")).willReturn(Optional.empty());

        mvc.perform(get("/v1/assets/" + scanned + "/last-clean-recovery-point")
                        .header("Authorization", bearerWith(Scopes.ASSETS_READ)))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.assetId").value(scanned))
                .andExpect(jsonPath("$.recoveryPointId").value("rp-01JD3ZRX5KQ0M8YV5D3M0RZ2J4"))
                .andExpect(jsonPath("$.createdAt").value("2026-11-26T10:01:00Z"));
        // Backed up but never found clean: 404, as for an asset the inventory does not know.
        mvc.perform(get("/v1/assets/" + ID + "/last-clean-recovery-point")
                        .header("Authorization", bearerWith(Scopes.ASSETS_READ)))
                .andExpect(status().isNotFound())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON));
        mvc.perform(get("/v1/assets/aws:ebs:123456789012:us-east-1:vol-gone/last-clean-recovery-point")
                        .header("Authorization", bearerWith(Scopes.ASSETS_READ)))
                .andExpect(status().isNotFound());
        mvc.perform(get("/v1/assets/" + scanned + "/last-clean-recovery-point")
                        .header("Authorization", bearerWith(Scopes.ASSETS_WRITE)))
                .andExpect(status().isForbidden());
    }
}
