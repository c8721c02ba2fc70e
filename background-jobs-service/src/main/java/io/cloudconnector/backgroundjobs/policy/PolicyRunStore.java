package io.cloudconnector.backgroundjobs.policy;

import static io.cloudconnector.common.store.ServiceTable.s;

import com.github.f4b6a3.ulid.Ulid;
import io.cloudconnector.common.event.EventCodec;
import io.cloudconnector.common.id.Ids;
import io.cloudconnector.common.store.Items;
import io.cloudconnector.common.store.ServiceTable;
import io.cloudconnector.common.web.Page;
import io.cloudconnector.common.web.PageRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Repository;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs of policies: {@code POLICY-RUN#<runId>} / {@code RUN}, listed under {@code POLICY-RUNS#<policyId>} by run id
 * (a ULID of the scheduled time, so newest first), the run as JSON in {@code body}; kept 90 days (TTL).
 */
@Repository
class PolicyRunStore {

    static final Duration KEPT = Duration.ofDays(90);
    private static final String SK = "RUN";

    private final ServiceTable table;
    private final JsonMapper json;

    PolicyRunStore(ServiceTable table, ObjectProvider<JsonMapper> json) {
        this.table = table;
        // JSON as the web layer writes it.
        this.json = json.getIfAvailable(EventCodec::standardMapper);
    }

    /**
     * The id of the scheduled run of a policy at a time: the same tick delivered twice names the same run. A ULID
     * whose time is the scheduled time and whose random part is a hash of policy and time.
     */
    static String scheduledRunId(String policyId, Instant scheduledAt) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256")
                    .digest((policyId + "|" + scheduledAt).getBytes(StandardCharsets.UTF_8));
            return "run-" + new Ulid(scheduledAt.toEpochMilli(), Arrays.copyOf(hash, 10));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }

    /** A new id for a run started by hand. */
    static String manualRunId() {
        return "run-" + Ids.ulid();
    }

    /** Writes a new run; false if a run with its id exists already (a repeated tick). */
    boolean createIfAbsent(PolicyRun run) {
        return table.putIfAbsent(item(run));
    }

    /** Writes a run over what is there. */
    void save(PolicyRun run) {
        table.put(item(run));
    }

    Optional<PolicyRun> find(String runId) {
        return table.get(pk(runId), SK).map(this::run);
    }

    Page<PolicyRun> list(String policyId, PageRequest page) {
        return table.listNewestFirst(list(policyId), page).map(this::run);
    }

    private Map<String, AttributeValue> item(PolicyRun run) {
        var item = ServiceTable.item(pk(run.id()), SK);
        item.put(ServiceTable.GSI1_PK, s(list(run.policyId())));
        item.put(ServiceTable.GSI1_SK, s(run.id()));
        item.put("state", s(run.state()));
        item.put("body", s(json.writeValueAsString(run)));
        var expires = ServiceTable.expiresAt(run.scheduledAt().plus(KEPT));
        item.put(expires.getKey(), expires.getValue());
        return item;
    }

    private PolicyRun run(Map<String, AttributeValue> item) {
        return json.readValue(Items.string(item, "body"), PolicyRun.class);
    }

    private static String pk(String runId) {
        return "POLICY-RUN#" + runId;
    }

    private static String list(String policyId) {
        return "POLICY-RUNS#" + policyId;
    }
}
