package io.cloudconnector.provisioner.server;

import io.cloudconnector.common.security.RequiresScope;
import io.cloudconnector.common.security.Scopes;
import io.cloudconnector.common.web.Page;
import io.cloudconnector.common.web.PageRequest;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code /v1/scalez-servers}: the ScaleZ servers the provisioner runs, newest first. */
@RestController
@RequestMapping("/v1/scalez-servers")
class ScalezServerController {

    private final ScalezServerRepository servers;

    ScalezServerController(ScalezServerRepository servers) {
        this.servers = servers;
    }

    @GetMapping
    @RequiresScope(Scopes.VAULTS_READ)
    Page<ScalezServer> list(@RequestParam(required = false) @Nullable Integer limit,
            @RequestParam(required = false) @Nullable String pageToken) {
        return servers.list(PageRequest.of(limit, pageToken));
    }
}
