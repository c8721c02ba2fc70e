package io.cloudconnector.common.web;

import io.cloudconnector.common.security.RequiresScope;
import io.cloudconnector.common.security.Scopes;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import software.amazon.awssdk.core.exception.SdkClientException;

/** A controller shaped like the services' ones, to test the shared security and problem handling. */
@RestController
@RequestMapping("/v1/samples")
class SampleController {

    record SampleRequest(@NotBlank String name, @Min(1) int size) {}

    @GetMapping
    @RequiresScope(Scopes.VAULTS_READ)
    Page<String> list(
            @RequestParam(required = false) @Nullable Integer limit,
            @RequestParam(required = false) @Nullable String pageToken) {
        PageRequest.of(limit, pageToken);
        return new Page<>(List.of("a", "b"), null);
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    @RequiresScope(Scopes.VAULTS_WRITE)
    SampleRequest create(@Valid @RequestBody SampleRequest request) {
        if (request.name().equals("taken")) {
            throw new ConflictException("name", "A sample named taken already exists");
        }
        return request;
    }

    @GetMapping("/{id}")
    @RequiresScope(Scopes.VAULTS_READ)
    String get(@PathVariable String id) {
        throw new NotFoundException("Sample", id);
    }

    /** A service's own message that repeats what the caller sent. */
    @GetMapping("/lookup")
    @RequiresScope(Scopes.VAULTS_READ)
    String lookup(@RequestParam String vaultId) {
        throw new InvalidInputException("vaultId", "no vault " + vaultId + " in this connector");
    }

    @GetMapping("/boom")
    @RequiresScope(Scopes.VAULTS_READ)
    String boom() {
        throw new IllegalStateException("secret internal detail at com.example.Foo");
    }

    /** AWS answering as it does when throttling or unavailable: {@code kind} names which answer. */
    @GetMapping("/aws-busy/{kind}")
    @RequiresScope(Scopes.VAULTS_READ)
    String awsBusy(@PathVariable String kind) {
        throw switch (kind) {
            case "throttling" -> aws(400, "ThrottlingException");
            case "dynamodb-throughput" -> aws(400, "ProvisionedThroughputExceededException");
            case "s3-slow-down" -> aws(503, "SlowDown");
            case "unavailable" -> aws(503, "ServiceUnavailable");
            case "too-many-requests" -> aws(429, "TooManyRequestsException");
            case "s3-request-timeout" -> aws(400, "RequestTimeout");
            case "call-timeout" -> software.amazon.awssdk.core.exception.ApiCallTimeoutException.create(30_000);
            case "transaction-throttled" ->
                software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException.builder()
                        .statusCode(400)
                        .awsErrorDetails(software.amazon.awssdk.awscore.exception.AwsErrorDetails.builder()
                                .errorCode("TransactionCanceledException")
                                .build())
                        .cancellationReasons(
                                software.amazon.awssdk.services.dynamodb.model.CancellationReason.builder()
                                        .code("None")
                                        .build(),
                                software.amazon.awssdk.services.dynamodb.model.CancellationReason.builder()
                                        .code("ThrottlingError")
                                        .build())
                        .build();
            case "transaction-conflict" ->
                software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException.builder()
                        .statusCode(400)
                        .awsErrorDetails(software.amazon.awssdk.awscore.exception.AwsErrorDetails.builder()
                                .errorCode("TransactionCanceledException")
                                .build())
                        .cancellationReasons(software.amazon.awssdk.services.dynamodb.model.CancellationReason.builder()
                                .code("ConditionalCheckFailed")
                                .build())
                        .build();
            default -> new NotFoundException("Kind", kind);
        };
    }

    private static RuntimeException aws(int status, String code) {
        // Wrapped, as service code that catches and rethrows does.
        return new IllegalStateException(
                "Cannot read the vault",
                software.amazon.awssdk.awscore.exception.AwsServiceException.builder()
                        .statusCode(status)
                        .awsErrorDetails(software.amazon.awssdk.awscore.exception.AwsErrorDetails.builder()
                                .errorCode(code)
                                .errorMessage("Rate exceeded")
                                .build())
                        .build());
    }

    /**
     * Server-Sent Events as the services' streams write them: a tick every 100 ms until the token that opened the
     * stream expires ({@link io.cloudconnector.common.security.TokenDeadline}).
     */
    @GetMapping(path = "/stream", produces = org.springframework.http.MediaType.TEXT_EVENT_STREAM_VALUE)
    @RequiresScope(Scopes.VAULTS_READ)
    void stream(jakarta.servlet.http.HttpServletResponse response) throws java.io.IOException, InterruptedException {
        var deadline = io.cloudconnector.common.security.TokenDeadline.current()
                .orElseThrow(() -> new IllegalStateException("no token"));
        response.setContentType(org.springframework.http.MediaType.TEXT_EVENT_STREAM_VALUE);
        var out = response.getOutputStream();
        while (java.time.Instant.now().isBefore(deadline)) {
            out.write("event: tick\ndata: {}\n\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            out.flush();
            Thread.sleep(100);
        }
        out.write("event: token-expired\ndata: {}\n\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        out.flush();
    }

    @GetMapping("/aws-down")
    @RequiresScope(Scopes.VAULTS_READ)
    String awsDown() {
        throw new IllegalStateException(
                "Cannot read the vault's config",
                SdkClientException.create("Unable to execute HTTP request: Connection refused"));
    }
}
