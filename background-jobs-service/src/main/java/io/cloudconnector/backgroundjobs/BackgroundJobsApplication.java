package io.cloudconnector.backgroundjobs;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The background-jobs service: backup and restore jobs and their workers. The same application is the worker:
 * started with {@code --worker --job-id=j-…} (as the vault's Batch job definition does) it runs that one job
 * without a web server or inbox listener and exits, 0 unless the job failed.
 */
@SpringBootApplication
public class BackgroundJobsApplication {

    public static void main(String[] args) {
        var application = new SpringApplication(BackgroundJobsApplication.class);
        var workerJob = workerJobId(args);
        if (workerJob.isEmpty()) {
            application.run(args);
            return;
        }
        application.setWebApplicationType(WebApplicationType.NONE);
        // The inbox belongs to the service; a worker must not consume it.
        application.setDefaultProperties(Map.of("spring.cloud.aws.sqs.enabled", "false",
                "connector.jobs.worker.job-id", workerJob.get()));
        System.exit(SpringApplication.exit(application.run(args)));
    }

    /** The job of {@code --worker --job-id=<id>}, if these are worker-mode arguments. */
    static Optional<String> workerJobId(String[] args) {
        if (Arrays.stream(args).noneMatch("--worker"::equals)) {
            return Optional.empty();
        }
        var jobId = Arrays.stream(args).filter(a -> a.startsWith("--job-id=")).map(a -> a.substring("--job-id=".length()))
                .filter(id -> !id.isBlank()).findFirst();
        if (jobId.isEmpty()) {
            throw new IllegalArgumentException("Worker mode needs --job-id=<j-…>");
        }
        return jobId;
    }
}
