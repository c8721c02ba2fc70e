package io.cloudconnector.provisioner.job;

import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

import io.cloudconnector.common.store.ServiceTable;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;

/** A job's demand item is written optimistically: a write lost to another event is read and tried again, boundedly. */
class JobDemandTests {

    private static final String JOB = "j-01JD3ZRX5KQ0M8YV5D3M0RZ2J4";

    private final DynamoDbClient dynamo = mock(DynamoDbClient.class);
    private final ServiceTable table = mock(ServiceTable.class);
    private final JobDemand demand = new JobDemand(dynamo, table, Clock.systemUTC());

    @BeforeEach
    void anExistingItem() {
        Map<String, AttributeValue> item = new HashMap<>(ServiceTable.item("JOB#" + JOB, "JOB"));
        item.put("version", ServiceTable.n(3));
        given(table.name()).willReturn("cc-test-provisioner");
        given(table.get("JOB#" + JOB, "JOB")).willReturn(Optional.of(item));
    }

    @Test
    @SuppressWarnings("unchecked")
    void aWriteThatLostToAnotherEventIsReadAndTriedAgain() {
        given(dynamo.putItem(any(Consumer.class)))
                .willThrow(conflict())
                .willThrow(conflict())
                .willReturn(PutItemResponse.builder().build());

        demand.reached(JOB, JobDemand.STARTED);

        verify(table, times(3)).get("JOB#" + JOB, "JOB");
        verify(dynamo, times(3)).putItem(any(Consumer.class));
    }

    @Test
    @SuppressWarnings("unchecked")
    void givesUpAfterEightLostWrites() {
        given(dynamo.putItem(any(Consumer.class))).willThrow(conflict());

        assertThatIllegalStateException()
                .isThrownBy(() -> demand.reached(JOB, JobDemand.STARTED))
                .withMessage("Job " + JOB + " kept changing under 8 attempts to update it");
        verify(dynamo, times(8)).putItem(any(Consumer.class));
    }

    private static ConditionalCheckFailedException conflict() {
        return ConditionalCheckFailedException.builder()
                .message("The conditional request failed")
                .build();
    }
}
