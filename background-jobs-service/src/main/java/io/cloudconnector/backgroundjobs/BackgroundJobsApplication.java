package io.cloudconnector.backgroundjobs;

import io.cloudconnector.scalez.cli.ScalezCli;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The background-jobs service: backup and restore jobs and their workers. The same application is the worker:
 * started with {@code --worker --job-id=j-…} (as the vault's Batch job definition does) it runs that one job
 * without a web server or inbox listener and exits, 0 unless the job failed. Started with {@code scalez …} (as the
 * provisioner's ScaleZ server task does: {@code scalez serve …}) it is the ScaleZ CLI, without Spring.
 */
@SpringBootApplication
public class BackgroundJobsApplication {

    public static void main(String[] args) {
        if (isScalez(args)) {
            System.exit(scalez(args));
        }
        var application = new SpringApplication(BackgroundJobsApplication.class);
        var workerJob = workerJobId(args);
        if (workerJob.isEmpty()) {
            application.run(args);
            return;
        }
        application.setWebApplicationType(WebApplicationType.NONE);
        // The inbox belongs to the service; a worker must not consume it.
        application.setDefaultProperties(
                Map.of("spring.cloud.aws.sqs.enabled", "false", "connector.jobs.worker.job-id", workerJob.get()));
        System.exit(SpringApplication.exit(application.run(args)));
    }

    /** Whether these arguments are a ScaleZ CLI command line ({@code scalez serve …}). */
    static boolean isScalez(String[] args) {
        return args.length > 0 && "scalez".equals(args[0]);
    }

    /** Runs the ScaleZ CLI with the arguments after {@code scalez}; returns its exit code. */
    static int scalez(String[] args) {
        return ScalezCli.run(Arrays.copyOfRange(args, 1, args.length));
    }

    /** The job of {@code --worker --job-id=<id>}, if these are worker-mode arguments. */
    static Optional<String> workerJobId(String[] args) {
        if (Arrays.stream(args).noneMatch("--worker"::equals)) {
            return Optional.empty();
        }
        var jobId = Arrays.stream(args)
                .filter(a -> a.startsWith("--job-id="))
                .map(a -> a.substring("--job-id=".length()))
                .filter(id -> !id.isBlank())
                .findFirst();
        if (jobId.isEmpty()) {
            throw new IllegalArgumentException("Worker mode needs --job-id=<j-…>");
        }
        return jobId;
    }
}
