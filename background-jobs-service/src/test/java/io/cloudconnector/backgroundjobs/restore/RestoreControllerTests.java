package io.cloudconnector.backgroundjobs.restore;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.isNull;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.cloudconnector.backgroundjobs.job.JobAdmission;
import io.cloudconnector.common.security.Scopes;
import io.cloudconnector.common.testing.SecuredWebTests;
import io.cloudconnector.common.web.Page;
import io.cloudconnector.common.web.PageRequest;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

/** {@code /v1/restores}: the shape of requests and answers; the checks against the recovery points are in the ITs. */
@WebMvcTest(RestoreController.class)
class RestoreControllerTests extends SecuredWebTests {

    private static final String JOB = "j-01JD3ZRX5KQ0M8YV5D3M0RZ2J4";
    private static final String POINT = "rp-01JD3ZRX5KQ0M8YV5D3M0RZ2J5";

    @Autowired
    MockMvc mvc;

    @MockitoBean
    RestoreService restores;

    @MockitoBean
    RestoreRequestRepository requests;

    @Test
    void anAcceptedRestoreIs202WithTheJob() throws Exception {
        given(restores.start(any(), isNull()))
                .willReturn(ResponseEntity.accepted()
                        .location(URI.create("/v1/jobs/" + JOB))
                        .body(new JobAdmission.JobAccepted(JOB)));

        mvc.perform(post("/v1/restores")
                        .header("Authorization", bearerWith(Scopes.RESTORES_WRITE))
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"recoveryPointId\":\"" + POINT + "\",\"target\":{\"type\":\"ebs-volume\"}}"))
                .andExpect(status().isAccepted())
                .andExpect(header().string("Location", "/v1/jobs/" + JOB))
                .andExpect(jsonPath("$.jobId").value(JOB));
    }

    @Test
    void aTargetWithoutTypeIs400NamingIt() throws Exception {
        mvc.perform(post("/v1/restores")
                        .header("Authorization", bearerWith(Scopes.RESTORES_WRITE))
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"recoveryPointId\":\"" + POINT + "\",\"target\":{}}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("target.type"));
        verifyNoInteractions(restores);
    }

    @Test
    void restoresAreListedWithTheirTargetsForJobReaders() throws Exception {
        given(requests.list(new PageRequest(50, null)))
                .willReturn(new Page<>(
                        List.of(new RestoreRequest(
                                JOB,
                                POINT,
                                "vlt-01jd3zrx5kq0m8yv5d3m0rz2j4",
                                "aws:ebs:123456789012:us-east-1:vol-0123456789abcdef0",
                                new RestoreTarget("ebs-volume", "us-east-1b", null, null),
                                Instant.parse("2026-11-26T10:00:00Z"))),
                        null));

        mvc.perform(get("/v1/restores").header("Authorization", bearerWith(Scopes.JOBS_READ)))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.items[0].jobId").value(JOB))
                .andExpect(jsonPath("$.items[0].target.type").value("ebs-volume"))
                .andExpect(jsonPath("$.items[0].target.availabilityZone").value("us-east-1b"))
                .andExpect(jsonPath("$.items[0].target.subnetId").doesNotExist());
    }
}
