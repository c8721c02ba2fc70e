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

    @GetMapping("/boom")
    @RequiresScope(Scopes.VAULTS_READ)
    String boom() {
        throw new IllegalStateException("secret internal detail at com.example.Foo");
    }

    @GetMapping("/aws-down")
    @RequiresScope(Scopes.VAULTS_READ)
    String awsDown() {
        throw new IllegalStateException(
                "Cannot read the vault's config",
                SdkClientException.create("Unable to execute HTTP request: Connection refused"));
    }
}
