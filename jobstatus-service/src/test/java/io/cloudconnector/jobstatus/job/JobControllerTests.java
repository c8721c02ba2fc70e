package io.cloudconnector.jobstatus.job;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.cloudconnector.common.event.JobCreated;
import io.cloudconnector.common.event.JobFailed;
import io.cloudconnector.common.event.JobKind;
import io.cloudconnector.common.event.JobProgressed;
import io.cloudconnector.common.event.JobStarted;
import io.cloudconnector.common.security.Scopes;
import io.cloudconnector.common.testing.SecuredWebTests;
import io.cloudconnector.common.web.ConflictException;
import io.cloudconnector.common.web.Page;
import io.cloudconnector.common.web.PageRequest;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

@WebMvcTest(JobController.class)
class JobControllerTests extends SecuredWebTests {

    private static final String ID = "j-01JD3ZRX5KQ0M8YV5D3M0RZ2J4";
    private static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");
    private static final JobRecord RUNNING = JobRecord.unknown(ID)
            .apply(
                    new JobCreated(
                            ID,
                            JobKind.EBS_BACKUP,
                            "vlt-01JD3ZRX5KQ0M8YV5D3M0RZ2J4",
                            "aws:ebs:1:us-east-1:vol-1",
                            null),
                    T0)
            .apply(new JobStarted(ID, 2_000L), T0.plusSeconds(1))
            .apply(new JobProgressed(ID, 4, 500, 2_000), T0.plusSeconds(6))
            .stored(T0.plusSeconds(6));

    @Autowired
    MockMvc mvc;

    @MockitoBean
    JobService jobs;

    @MockitoBean
    JobEventStreams streams;

    @Test
    void showsAJobWithItsProgress() throws Exception {
        given(jobs.find(ID)).willReturn(Optional.of(Job.of(RUNNING)));

        mvc.perform(get("/v1/jobs/" + ID).header("Authorization", bearerWith(Scopes.JOBS_READ)))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.id").value(ID))
                .andExpect(jsonPath("$.kind").value("ebs-backup"))
                .andExpect(jsonPath("$.state").value("running"))
                .andExpect(jsonPath("$.progress.bytesDone").value(500))
                .andExpect(jsonPath("$.progress.percent").value(25.0))
                .andExpect(jsonPath("$.progress.bytesPerSecond").value(100))
                .andExpect(jsonPath("$.progress.etaSeconds").value(15))
                .andExpect(jsonPath("$.startedAt").value("2026-11-26T10:00:01Z"))
                .andExpect(jsonPath("$.eventLog[1].type").value("started"))
                .andExpect(jsonPath("$.version").value(1))
                .andExpect(jsonPath("$.finishedAt").doesNotExist())
                .andExpect(jsonPath("$.error").doesNotExist());
    }

    @Test
    void aFailedJobShowsItsError() throws Exception {
        var failed =
                RUNNING.apply(new JobFailed(ID, "snapshot-not-found", "Snapshot snap-1 is gone"), T0.plusSeconds(9));
        given(jobs.find(ID)).willReturn(Optional.of(Job.of(failed)));

        mvc.perform(get("/v1/jobs/" + ID).header("Authorization", bearerWith(Scopes.JOBS_READ)))
                .andExpect(jsonPath("$.state").value("failed"))
                .andExpect(jsonPath("$.error.code").value("snapshot-not-found"))
                .andExpect(jsonPath("$.finishedAt").value("2026-11-26T10:00:09Z"))
                .andExpect(jsonPath("$.progress.etaSeconds").doesNotExist());
    }

    @Test
    void listsWithTheFiltersGiven() throws Exception {
        var filter = new JobFilter(
                JobState.RUNNING,
                JobKind.EBS_BACKUP,
                null,
                "aws:ebs:1:us-east-1:vol-1",
                "pol-1",
                Instant.parse("2026-11-26T00:00:00Z"),
                null,
                new PageRequest(10, null));
        given(jobs.list(filter)).willReturn(new Page<>(List.of(Job.of(RUNNING)), "next"));

        mvc.perform(get("/v1/jobs?state=running&kind=ebs-backup&assetId=aws:ebs:1:us-east-1:vol-1&policyId=pol-1"
                                + "&from=2026-11-26T00:00:00Z&limit=10")
                        .header("Authorization", bearerWith(Scopes.JOBS_READ)))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.items[0].id").value(ID))
                .andExpect(jsonPath("$.nextPageToken").value("next"));
    }

    @Test
    void badFiltersAreProblemsNamingTheParameter() throws Exception {
        mvc.perform(get("/v1/jobs?state=paused&to=soon").header("Authorization", bearerWith(Scopes.JOBS_READ)))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.type").value("urn:cloudconnector:problem:invalid-input"))
                .andExpect(jsonPath("$.errors[0].field").value("state"))
                .andExpect(jsonPath("$.errors[1].field").value("to"));
        mvc.perform(get("/v1/jobs?limit=many").header("Authorization", bearerWith(Scopes.JOBS_READ)))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("limit"));
        verifyNoInteractions(jobs);
    }

    @Test
    void unknownJobsAre404() throws Exception {
        given(jobs.find(any())).willReturn(Optional.empty());

        mvc.perform(get("/v1/jobs/" + ID).header("Authorization", bearerWith(Scopes.JOBS_READ)))
                .andExpect(status().isNotFound())
                .andExpect(jsonPath("$.detail").value("Job " + ID + " does not exist"));
    }

    @Test
    void cancellingNeedsTheWriteScopeAndAnswers202() throws Exception {
        given(jobs.requestCancel(ID))
                .willReturn(Job.of(
                        RUNNING.apply(new io.cloudconnector.common.event.JobCancelRequested(ID), T0.plusSeconds(7))));

        mvc.perform(post("/v1/jobs/" + ID + "/cancel").header("Authorization", bearerWith(Scopes.JOBS_READ)))
                .andExpect(status().isForbidden());
        mvc.perform(post("/v1/jobs/" + ID + "/cancel").header("Authorization", bearerWith(Scopes.JOBS_WRITE)))
                .andExpect(status().isAccepted())
                .andExpect(jsonPath("$.cancelRequestedAt").value("2026-11-26T10:00:07Z"))
                .andExpect(jsonPath("$.state").value("running"));
        verify(jobs).requestCancel(ID);
    }

    @Test
    void cancellingAFinishedJobIsAConflict() throws Exception {
        given(jobs.requestCancel(ID)).willThrow(new ConflictException("Job " + ID + " has already succeeded"));

        mvc.perform(post("/v1/jobs/" + ID + "/cancel").header("Authorization", bearerWith(Scopes.JOBS_WRITE)))
                .andExpect(status().isConflict())
                .andExpect(jsonPath("$.type").value("urn:cloudconnector:problem:conflict"));
    }

    @Test
    void everyJobEndpointNeedsAToken() throws Exception {
        mvc.perform(get("/v1/jobs")).andExpect(status().isUnauthorized());
        mvc.perform(get("/v1/jobs/" + ID)).andExpect(status().isUnauthorized());
        mvc.perform(get("/v1/jobs/" + ID + "/events")).andExpect(status().isUnauthorized());
        mvc.perform(get("/v1/jobs/events")).andExpect(status().isUnauthorized());
        mvc.perform(post("/v1/jobs/" + ID + "/cancel")).andExpect(status().isUnauthorized());
        mvc.perform(get("/v1/jobs/events").header("Authorization", bearerWith(Scopes.DIAGNOSTICS)))
                .andExpect(status().isForbidden());
        verifyNoInteractions(jobs, streams);
    }
}
