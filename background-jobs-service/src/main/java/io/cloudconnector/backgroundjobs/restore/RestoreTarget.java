package io.cloudconnector.backgroundjobs.restore;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.cloudconnector.backgroundjobs.files.FilesRestores;
import jakarta.validation.constraints.NotBlank;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Where a recovery point is restored to.
 *
 * @param type {@code ebs-snapshot}, {@code ebs-volume} (an EBS recovery point) or {@code ec2-instance} (an EC2 one)
 * @param availabilityZone for {@code ebs-volume}: where the volume is created (default: the original volume's)
 * @param instanceType for {@code ec2-instance}: overrides the original type
 * @param subnetId for {@code ec2-instance}: overrides the original subnet
 * @param volume for {@code files}: the volume of the recovery point the paths are in
 * @param paths for {@code files}: the files and directories (with their subtrees) to restore
 * @param s3 for {@code files}: the bucket and key prefix to write them to
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RestoreTarget(
        @NotBlank String type,
        @Nullable String availabilityZone,
        @Nullable String instanceType,
        @Nullable String subnetId,
        @Nullable String volume,
        @Nullable List<String> paths,
        @Nullable S3Location s3) {

    public RestoreTarget(
            String type, @Nullable String availabilityZone, @Nullable String instanceType, @Nullable String subnetId) {
        this(type, availabilityZone, instanceType, subnetId, null, null, null);
    }

    /** An S3 location: a bucket and a key prefix (may be absent: the bucket's root). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record S3Location(
            @Nullable String bucket, @Nullable String prefix) {}

    /** The fields of a files restore this target gives (a target of another type must give none). */
    List<String> filesFields() {
        var given = new java.util.ArrayList<String>();
        if (volume != null) {
            given.add("target.volume");
        }
        if (paths != null) {
            given.add("target.paths");
        }
        if (s3 != null) {
            given.add("target.s3");
        }
        return given;
    }

    /** This target with the files restore fields its job's parameters hold, if it is one. */
    RestoreTarget withFilesOf(Map<String, String> parameters) {
        if (!FilesRestores.TARGET_TYPE.equals(type)) {
            return this;
        }
        return new RestoreTarget(
                type,
                availabilityZone,
                instanceType,
                subnetId,
                parameters.get(FilesRestores.VOLUME),
                List.copyOf(FilesRestores.paths(parameters)),
                new S3Location(parameters.get(FilesRestores.BUCKET), parameters.get(FilesRestores.PREFIX)));
    }
}
