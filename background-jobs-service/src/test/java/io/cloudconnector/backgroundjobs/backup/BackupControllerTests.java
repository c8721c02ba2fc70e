package io.cloudconnector.backgroundjobs.backup;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.cloudconnector.backgroundjobs.job.JobAdmission;
import io.cloudconnector.common.security.Scopes;
import io.cloudconnector.common.testing.SecuredWebTests;
import java.net.URI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

/** {@code POST /v1/backups}: the shape of the request and of the answer; the checks against AWS are in the ITs. */
@WebMvcTest(BackupController.class)
class BackupControllerTests extends SecuredWebTests {

    private static final String JOB = "j-01JD3ZRX5KQ0M8YV5D3M0RZ2J4";
    private static final String VALID =
            "{\"assetId\":\"vol-0123456789abcdef0\",\"vaultId\":\"vlt-01jd3zrx5kq0m8yv5d3m0rz2j4\"}";

    @Autowired
    MockMvc mvc;

    @MockitoBean
    BackupService backups;

    @MockitoBean
    BackupRequestRepository requests;

    @Test
    void anAcceptedBackupIs202WithTheJobAndWhereToFollowIt() throws Exception {
        given(backups.start(any(), eq("nightly-1")))
                .willReturn(ResponseEntity.accepted()
                        .location(URI.create("/v1/jobs/" + JOB))
                        .body(new JobAdmission.JobAccepted(JOB)));

        mvc.perform(post("/v1/backups")
                        .header("Authorization", bearerWith(Scopes.BACKUPS_WRITE))
                        .header("Idempotency-Key", "nightly-1")
                        .contentType(MediaType.APPLICATION_JSON)
                        .content(VALID))
                .andExpect(status().isAccepted())
                .andExpect(header().string("Location", "/v1/jobs/" + JOB))
                .andExpect(jsonPath("$.jobId").value(JOB));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "no asset           | {\"vaultId\":\"vlt-01jd3zrx5kq0m8yv5d3m0rz2j4\"}                                  | assetId",
                "a blank vault      | {\"assetId\":\"vol-0123456789abcdef0\",\"vaultId\":\" \"}                         | vaultId",
                "a malformed snapshot | {\"assetId\":\"vol-0123456789abcdef0\",\"vaultId\":\"vlt-01jd3zrx5kq0m8yv5d3m0rz2j4\",\"snapshotId\":\"s-1\"} | snapshotId",
            })
    void aMalformedRequestIs400NamingTheFieldAndReachesNothing(String what, String body, String field)
            throws Exception {
        mvc.perform(post("/v1/backups")
                        .header("Authorization", bearerWith(Scopes.BACKUPS_WRITE))
                        .contentType(MediaType.APPLICATION_JSON)
                        .content(body))
                .andExpect(status().isBadRequest())
                .andExpect(header().string("Content-Type", "application/problem+json"))
                .andExpect(jsonPath("$.errors[0].field").value(field));
        verifyNoInteractions(backups);
    }

    @Test
    void startingABackupNeedsTheBackupScope() throws Exception {
        mvc.perform(post("/v1/backups")
                        .header("Authorization", bearerWith(Scopes.JOBS_READ))
                        .contentType(MediaType.APPLICATION_JSON)
                        .content(VALID))
                .andExpect(status().isForbidden());
        verifyNoInteractions(backups);
    }
}
