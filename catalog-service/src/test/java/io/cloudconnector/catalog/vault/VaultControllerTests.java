package io.cloudconnector.catalog.vault;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.cloudconnector.common.security.Scopes;
import io.cloudconnector.common.testing.SecuredWebTests;
import io.cloudconnector.common.web.Page;
import io.cloudconnector.common.web.PageRequest;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

@WebMvcTest(VaultController.class)
class VaultControllerTests extends SecuredWebTests {

    private static final String VAULT_ID = "vlt-01JD3ZRX5KQ0M8YV5D3M0RZ2J4";
    private static final Vault VAULT = new Vault(VAULT_ID, "prod", "us-east-1", VaultStatus.ACTIVE, "cc-vault-bucket",
            null, 3, 4096, Instant.parse("2026-11-26T10:00:00Z"));

    @Autowired
    MockMvc mvc;

    @MockitoBean
    VaultRepository vaults;

    @Test
    void listsVaultsWithTheReadScope() throws Exception {
        given(vaults.list(new PageRequest(2, null))).willReturn(new Page<>(List.of(VAULT), "next"));

        mvc.perform(get("/v1/vaults?limit=2").header("Authorization", bearerWith(Scopes.VAULTS_READ)))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.items[0].id").value(VAULT_ID))
                .andExpect(jsonPath("$.items[0].status").value("active"))
                .andExpect(jsonPath("$.items[0].createdAt").value("2026-11-26T10:00:00Z"))
                .andExpect(jsonPath("$.items[0].kmsKeyArn").doesNotExist())
                .andExpect(jsonPath("$.nextPageToken").value("next"));
    }

    @Test
    void refusesCallersWithoutTokenOrScope() throws Exception {
        mvc.perform(get("/v1/vaults")).andExpect(status().isUnauthorized());
        mvc.perform(get("/v1/vaults").header("Authorization", bearerWith(Scopes.JOBS_READ)))
                .andExpect(status().isForbidden());
        verifyNoInteractions(vaults);
    }

    @Test
    void unknownOrMalformedVaultIdIs404() throws Exception {
        given(vaults.find(any())).willReturn(Optional.empty());

        mvc.perform(get("/v1/vaults/" + VAULT_ID).header("Authorization", bearerWith(Scopes.VAULTS_READ)))
                .andExpect(status().isNotFound())
                .andExpect(jsonPath("$.detail").value("Vault " + VAULT_ID + " does not exist"));
        mvc.perform(get("/v1/vaults/not-a-vault").header("Authorization", bearerWith(Scopes.VAULTS_READ)))
                .andExpect(status().isNotFound());
    }
}
