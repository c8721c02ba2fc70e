package io.cloudconnector.inventory.discovery;

import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.cloudconnector.common.security.Scopes;
import io.cloudconnector.common.testing.SecuredWebTests;
import io.cloudconnector.inventory.asset.AssetType;
import java.net.URI;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

@WebMvcTest(DiscoveryController.class)
class DiscoveryControllerTests extends SecuredWebTests {

    private static final String JOB = "j-01JD3ZRX5KQ0M8YV5D3M0RZ2J4";

    private static final ResponseEntity<DiscoveryJobs.DiscoveryStarted> ACCEPTED = ResponseEntity.accepted()
            .location(URI.create("/v1/jobs/" + JOB))
            .body(new DiscoveryJobs.DiscoveryStarted(JOB));

    @Autowired
    MockMvc mvc;

    @MockitoBean
    DiscoveryJobs jobs;

    @Test
    void startsADiscoveryOfEverythingWithoutABody() throws Exception {
        given(jobs.start(EnumSet.allOf(AssetType.class), null)).willReturn(ACCEPTED);

        mvc.perform(post("/v1/assets:discover").header("Authorization", bearerWith(Scopes.ASSETS_WRITE)))
                .andExpect(status().isAccepted())
                .andExpect(header().string("Location", "/v1/jobs/" + JOB))
                .andExpect(jsonPath("$.jobId").value(JOB));
    }

    @Test
    void theTypesAndTheKeyGoToTheJobs() throws Exception {
        given(jobs.start(Set.of(AssetType.EBS), "key-1")).willReturn(ACCEPTED);

        mvc.perform(post("/v1/assets:discover")
                        .header("Authorization", bearerWith(Scopes.ASSETS_WRITE))
                        .header("Idempotency-Key", "key-1")
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"types\": [\"ebs\"]}"))
                .andExpect(status().isAccepted())
                .andExpect(jsonPath("$.jobId").value(JOB));
    }

    @Test
    void badInputIs400NamingTheFieldAndStartsNothing() throws Exception {
        mvc.perform(post("/v1/assets:discover")
                        .header("Authorization", bearerWith(Scopes.ASSETS_WRITE))
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"types\": [\"ec2\", \"rds\", null]}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("types[1]"))
                .andExpect(jsonPath("$.errors[1].field").value("types[2]"));
        mvc.perform(post("/v1/assets:discover")
                        .header("Authorization", bearerWith(Scopes.ASSETS_WRITE))
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"types\": []}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("types"));
        mvc.perform(post("/v1/assets:discover")
                        .header("Authorization", bearerWith(Scopes.ASSETS_WRITE))
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"types\": "))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON));
        verifyNoInteractions(jobs);
    }

    @Test
    void needsTheWriteScope() throws Exception {
        mvc.perform(post("/v1/assets:discover")).andExpect(status().isUnauthorized());
        mvc.perform(post("/v1/assets:discover").header("Authorization", bearerWith(Scopes.ASSETS_READ)))
                .andExpect(status().isForbidden());
        verifyNoInteractions(jobs);
    }
}
