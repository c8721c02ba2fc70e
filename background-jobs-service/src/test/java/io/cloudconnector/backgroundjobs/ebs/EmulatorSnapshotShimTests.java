package io.cloudconnector.backgroundjobs.ebs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.CALLS_REAL_METHODS;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.doReturn;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

import io.cloudconnector.backgroundjobs.config.AwsClients;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ebs.EbsClient;
import software.amazon.awssdk.services.ebs.model.Block;
import software.amazon.awssdk.services.ebs.model.CompleteSnapshotRequest;
import software.amazon.awssdk.services.ebs.model.CompleteSnapshotResponse;
import software.amazon.awssdk.services.ebs.model.ListSnapshotBlocksRequest;
import software.amazon.awssdk.services.ebs.model.ListSnapshotBlocksResponse;
import software.amazon.awssdk.services.ebs.model.StartSnapshotRequest;
import software.amazon.awssdk.services.ebs.model.StartSnapshotResponse;
import software.amazon.awssdk.services.ebs.model.Status;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.DeleteSnapshotRequest;

/**
 * The emulator shim's snapshot of a volume is a child of the volume's content with no block of its own; when the
 * emulator did not give the child its parent's blocks, the child is deleted and the blocks are copied instead.
 */
class EmulatorSnapshotShimTests {

    private static final String CONTENT = "snap-content";
    private static final String CHILD = "snap-child";

    private final EbsClient ebs = mock(EbsClient.class, withSettings().defaultAnswer(CALLS_REAL_METHODS));
    private final Ec2Client ec2 = mock(Ec2Client.class, withSettings().defaultAnswer(CALLS_REAL_METHODS));
    private final AwsClients clients = mock(AwsClients.class);
    private final BlockTransfers transfers = mock(BlockTransfers.class);
    private final VolumeFacts volume = new VolumeFacts(
            "vol-1",
            1,
            "gp3",
            null,
            null,
            false,
            null,
            "us-east-1a",
            null,
            Map.of(EmulatorSnapshotShim.CONTENT_TAG, CONTENT));

    EmulatorSnapshotShimTests() {
        when(clients.in(anyString()))
                .thenReturn(new AwsClients.Regional(
                        ec2,
                        ebs,
                        mock(software.amazon.awssdk.services.s3.S3Client.class),
                        mock(software.amazon.awssdk.services.kms.KmsClient.class),
                        mock(software.amazon.awssdk.services.batch.BatchClient.class),
                        mock(software.amazon.awssdk.services.dynamodb.DynamoDbClient.class)));
        doReturn(StartSnapshotResponse.builder()
                        .snapshotId(CHILD)
                        .status(Status.PENDING)
                        .build())
                .when(ebs)
                .startSnapshot(any(StartSnapshotRequest.class));
        doReturn(CompleteSnapshotResponse.builder().status(Status.COMPLETED).build())
                .when(ebs)
                .completeSnapshot(any(CompleteSnapshotRequest.class));
        doReturn(null).when(ec2).deleteSnapshot(any(DeleteSnapshotRequest.class));
    }

    private void childInherits(boolean inherits) {
        doAnswer(invocation -> {
                    ListSnapshotBlocksRequest request = invocation.getArgument(0);
                    int blocks = request.snapshotId().equals(CONTENT) || inherits ? 2 : 0;
                    return ListSnapshotBlocksResponse.builder()
                            .blocks(java.util.stream.IntStream.range(0, blocks)
                                    .mapToObj(i -> Block.builder().blockIndex(i).build())
                                    .toList())
                            .build();
                })
                .when(ebs)
                .listSnapshotBlocks(any(ListSnapshotBlocksRequest.class));
    }

    @Test
    void theSnapshotIsAChildOfTheContentCompletedWithoutABlockPut() {
        childInherits(true);
        var shim = new EmulatorSnapshotShim(transfers, clients);

        var taken = shim.snapshot("us-east-1", null, List.of(volume), Map.of("cloudconnector:job", "j-1"), () -> {});

        assertThat(taken).containsExactly(Map.entry("vol-1", CHILD));
        verify(ebs)
                .startSnapshot(org.mockito.ArgumentMatchers.<StartSnapshotRequest>argThat(
                        r -> CONTENT.equals(r.parentSnapshotId())
                                && r.tags().stream().anyMatch(t -> t.key().equals("cloudconnector:job"))));
        verify(ebs).completeSnapshot(any(CompleteSnapshotRequest.class));
        verify(transfers, never()).write(anyString(), any());
        verify(ec2, never()).deleteSnapshot(any(DeleteSnapshotRequest.class));
    }

    @Test
    void anEmulatorThatIgnoresTheParentGetsItsChildDeletedAndTheBlocksCopiedFromThenOn() {
        childInherits(false);
        when(transfers.write(anyString(), any())).thenThrow(new IllegalStateException("copying block by block"));
        var shim = new EmulatorSnapshotShim(transfers, clients);
        Consumer<EmulatorSnapshotShim> backup = s -> s.snapshot("us-east-1", null, List.of(volume), Map.of(), () -> {});

        assertThatThrownBy(() -> backup.accept(shim)).hasMessage("copying block by block");
        assertThatThrownBy(() -> backup.accept(shim)).hasMessage("copying block by block");

        verify(ec2).deleteSnapshot(any(DeleteSnapshotRequest.class));
        verify(ebs, never()).completeSnapshot(any(CompleteSnapshotRequest.class));
        // The second backup does not try a child again.
        verify(ebs, times(1)).startSnapshot(any(StartSnapshotRequest.class));
        verify(transfers, times(2)).write(anyString(), any());
    }
}
