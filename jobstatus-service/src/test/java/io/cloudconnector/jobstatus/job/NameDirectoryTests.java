package io.cloudconnector.jobstatus.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.cloudconnector.common.store.ServiceTable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;

class NameDirectoryTests {

    private static final String TABLE = "cc-test-jobstatus";

    private final DynamoDbClient dynamo = mock(DynamoDbClient.class);
    /** The NAME items the mocked table holds, by id. */
    private final Map<String, String> stored = new HashMap<>();
    /** How many keys each BatchGetItem asked for. */
    private final List<Integer> batches = new ArrayList<>();

    private final NameDirectory names;

    @SuppressWarnings("unchecked")
    NameDirectoryTests() {
        when(dynamo.batchGetItem(any(Consumer.class))).thenAnswer(call -> {
            var builder = BatchGetItemRequest.builder();
            ((Consumer<BatchGetItemRequest.Builder>) call.getArgument(0)).accept(builder);
            var keys = builder.build().requestItems().get(TABLE).keys();
            batches.add(keys.size());
            List<Map<String, AttributeValue>> items = new ArrayList<>();
            for (var key : keys) {
                String id = key.get(ServiceTable.PK).s().substring("NAME#".length());
                if (stored.containsKey(id)) {
                    items.add(Map.of(
                            ServiceTable.PK,
                            key.get(ServiceTable.PK),
                            "id",
                            AttributeValue.fromS(id),
                            "name",
                            AttributeValue.fromS(stored.get(id))));
                }
            }
            return BatchGetItemResponse.builder()
                    .responses(Map.of(TABLE, items))
                    .build();
        });
        names = new NameDirectory(
                dynamo,
                new ServiceTable(dynamo, TABLE),
                new JobsProperties(
                        Duration.ofDays(30),
                        1000,
                        Duration.ofSeconds(1),
                        Duration.ofSeconds(15),
                        Duration.ofSeconds(5),
                        Duration.ofMinutes(15),
                        Duration.ofMinutes(10)));
    }

    @AfterEach
    void stop() {
        names.destroy();
    }

    @Test
    @SuppressWarnings("unchecked")
    void preloadedNamesAndAbsencesAreServedWithoutReadingTheTable() {
        var ids = IntStream.range(0, 250).mapToObj(n -> "vlt-" + n).toList();
        ids.stream().filter(id -> id.endsWith("7")).forEach(id -> stored.put(id, "name of " + id));

        names.preload(ids);
        names.preload(ids); // all cached: nothing more to read

        assertThat(batches).containsExactly(100, 100, 50);
        assertThat(names.vaultName("vlt-17")).isEqualTo("name of vlt-17");
        assertThat(names.assetName("vlt-18")).isNull();
        verify(dynamo, never()).getItem(any(Consumer.class));
        verify(dynamo, never()).getItem(any(GetItemRequest.class));
    }

    @Test
    void everyCachedNameIsReadAgainInBatches() {
        names.preload(List.of("vlt-1", "vlt-2"));
        assertThat(names.vaultName("vlt-1")).isNull();

        stored.put("vlt-1", "learnt by another task");
        names.rereadAll();

        assertThat(names.vaultName("vlt-1")).isEqualTo("learnt by another task");
        assertThat(batches).containsExactly(2, 2);
        verify(dynamo, times(2)).batchGetItem(any(Consumer.class));
    }
}
