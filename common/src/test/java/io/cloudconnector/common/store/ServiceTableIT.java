package io.cloudconnector.common.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudconnector.common.testing.AwsEmulator;
import io.cloudconnector.common.testing.ConnectorStack;
import io.cloudconnector.common.testing.WithAwsEmulator;
import io.cloudconnector.common.web.PageRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** Newest-first pages over a real table: ranges, filters, and tokens that never skip or repeat an item. */
@WithAwsEmulator
class ServiceTableIT {

    private static DynamoDbClient dynamo;
    private static ServiceTable table;

    @BeforeAll
    static void fill(AwsEmulator emulator) {
        ConnectorStack.deploy(emulator);
        dynamo = ConnectorStack.clients(emulator).sync(DynamoDbClient.builder());
        table = new ServiceTable(dynamo, "cc-test-catalog");
        // 120 items, keys k000..k119; every third one is "red".
        IntStream.range(0, 120).forEach(i -> {
            var item = ServiceTable.item("ITEM#" + i, "ITEM");
            item.put(ServiceTable.GSI1_PK, ServiceTable.s("ITEM"));
            item.put(ServiceTable.GSI1_SK, ServiceTable.s(String.format("k%03d", i)));
            item.put("color", ServiceTable.s(i % 3 == 0 ? "red" : "blue"));
            table.put(item);
        });
    }

    @AfterAll
    static void close() {
        dynamo.close();
    }

    @Test
    void pagesWalkEverythingNewestFirst() {
        assertThat(walk(ListQuery.of("ITEM"), 7)).isEqualTo(keys(119, 0, i -> true));
    }

    @Test
    void aFilteredListFillsItsPagesAndMissesNothing() {
        var red = ListQuery.of("ITEM").where("#c = :c", Map.of("#c", "color"), Map.of(":c", ServiceTable.s("red")));

        var firstPage = table.list(red, new PageRequest(10, null));

        assertThat(firstPage.items()).hasSize(10);
        assertThat(walk(red, 10)).isEqualTo(keys(119, 0, i -> i % 3 == 0));
    }

    @Test
    void aRangeOfSortKeysIsInclusive() {
        assertThat(walk(ListQuery.of("ITEM").between("k010", "k020"), 4)).isEqualTo(keys(20, 10, i -> true));
        assertThat(walk(ListQuery.of("ITEM").between("k115", null), 50)).isEqualTo(keys(119, 115, i -> true));
    }

    @Test
    void theLastPageHasNoToken() {
        var page = table.list(ListQuery.of("ITEM").between("k000", "k004"), new PageRequest(5, null));

        assertThat(page.items()).hasSize(5);
        assertThat(page.nextPageToken()).isNull();
    }

    @Test
    void listAllReadsEveryPageOfAFilteredList() {
        var red = ListQuery.of("ITEM").where("#c = :c", Map.of("#c", "color"), Map.of(":c", ServiceTable.s("red")));

        assertThat(table.listAll(red))
                .extracting(item -> item.get(ServiceTable.GSI1_SK).s())
                .isEqualTo(keys(119, 0, i -> i % 3 == 0));
        assertThat(table.listAll(ListQuery.of("ITEM"))).hasSize(120);
        assertThat(table.listAll(ListQuery.of("NOTHING"))).isEmpty();
    }

    private static List<String> walk(ListQuery query, int limit) {
        List<String> seen = new ArrayList<>();
        @Nullable String token = null;
        do {
            var page = table.list(query, new PageRequest(limit, token));
            page.items().forEach(item -> seen.add(item.get(ServiceTable.GSI1_SK).s()));
            token = page.nextPageToken();
        } while (token != null);
        return seen;
    }

    private static List<String> keys(int from, int downTo, java.util.function.IntPredicate keep) {
        List<String> keys = new ArrayList<>();
        for (int i = from; i >= downTo; i--) {
            if (keep.test(i)) {
                keys.add(String.format("k%03d", i));
            }
        }
        return keys;
    }
}
