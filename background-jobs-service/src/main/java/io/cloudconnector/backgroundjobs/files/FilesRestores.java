package io.cloudconnector.backgroundjobs.files;

import io.cloudconnector.backgroundjobs.job.JobRecord;
import io.cloudconnector.backgroundjobs.recoverypoint.RecoveryPointStore;
import io.cloudconnector.backgroundjobs.vault.VaultDirectory;
import io.cloudconnector.common.event.EventCodec;
import io.cloudconnector.common.event.JobKind;
import io.cloudconnector.common.id.Ids;
import io.cloudconnector.common.web.ConflictException;
import io.cloudconnector.common.web.FieldProblem;
import io.cloudconnector.common.web.InvalidInputException;
import io.cloudconnector.common.web.NotFoundException;
import io.cloudconnector.filesystems.CorruptFileSystemException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * Admitting a files restore ({@code POST /v1/restores} with {@code target.type = files}): the recovery point is opened
 * as for browsing, and the volume and every path must be found in it before the job is queued. 400 for a missing or
 * malformed field, a path with {@code ..} or NUL, the point's own vault bucket, an unknown volume or a path that is not
 * in the volume (each named as {@code target.paths[i]}); 404 for an unknown point; 409 for a point still being
 * written, expired or deleted, or a volume that cannot be browsed.
 */
@Component
public class FilesRestores {

    /** The target type. */
    public static final String TARGET_TYPE = "files";

    /** The job parameters a files restore carries (with {@code targetType}). */
    public static final String VOLUME = "volume";

    public static final String PATHS = "paths";
    public static final String BUCKET = "bucket";
    public static final String PREFIX = "prefix";

    static final int MAX_PATHS = 1000;
    static final int MAX_PREFIX = 512;
    /** S3's bucket naming rules (general purpose buckets): 3-63 of lower case, digits, dots and hyphens. */
    private static final Pattern BUCKET_NAME =
            Pattern.compile("(?!xn--)(?!.*\\.\\.)(?!\\d+\\.\\d+\\.\\d+\\.\\d+$)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");

    private final OpenedPoints opened;
    private final RecoveryPointStore points;
    private final VaultDirectory vaults;
    private final Clock clock;

    FilesRestores(OpenedPoints opened, RecoveryPointStore points, VaultDirectory vaults, Clock clock) {
        this.opened = opened;
        this.points = points;
        this.vaults = vaults;
        this.clock = clock;
    }

    /** The queued job for a files restore; every check runs before anything is written. */
    public JobRecord job(
            String recoveryPointId,
            @Nullable String volume,
            @Nullable List<String> paths,
            @Nullable String bucket,
            @Nullable String prefix,
            Map<String, String> parameters) {
        List<FieldProblem> problems = new ArrayList<>();
        if (volume == null || volume.isBlank()) {
            problems.add(new FieldProblem(
                    "target.volume",
                    "is required: one of the names GET /v1/recovery-points/" + recoveryPointId + "/volumes lists"));
        }
        var checked = new java.util.LinkedHashMap<String, Integer>();
        if (paths == null || paths.isEmpty()) {
            problems.add(new FieldProblem(
                    "target.paths", "is required: the files and directories to restore, e.g. [\"/etc\"]"));
        } else if (paths.size() > MAX_PATHS) {
            problems.add(new FieldProblem(
                    "target.paths", "names " + paths.size() + " paths; at most " + MAX_PATHS + " (name directories)"));
        } else {
            for (int i = 0; i < paths.size(); i++) {
                String path = paths.get(i);
                String problem =
                        path == null || path.isBlank() ? "must be a path in the volume" : FilePaths.problem(path);
                if (problem != null) {
                    problems.add(new FieldProblem("target.paths[" + i + "]", problem));
                } else {
                    checked.putIfAbsent(FilePaths.check(path), i);
                }
            }
        }
        if (bucket == null || bucket.isBlank()) {
            problems.add(new FieldProblem("target.s3.bucket", "is required: the S3 bucket to write the files to"));
        } else if (!BUCKET_NAME.matcher(bucket).matches()) {
            problems.add(new FieldProblem("target.s3.bucket", "is not an S3 bucket name"));
        }
        if (prefix != null && (prefix.length() > MAX_PREFIX || prefix.indexOf('\0') >= 0)) {
            problems.add(
                    new FieldProblem("target.s3.prefix", "must be at most " + MAX_PREFIX + " characters, without NUL"));
        }
        if (!problems.isEmpty()) {
            throw new InvalidInputException(problems);
        }
        var open = opened.get(recoveryPointId);
        var point = points.find(recoveryPointId)
                .orElseThrow(() -> new NotFoundException("Recovery point", recoveryPointId));
        var vault = vaults.find(point.vaultId()).orElseThrow();
        if (vault.bucketName().equals(bucket)) {
            throw new InvalidInputException(
                    "target.s3.bucket", "is the vault's own bucket: restore into a bucket of your own");
        }
        String volumeName = java.util.Objects.requireNonNull(volume);
        var found = open.volume(volumeName)
                .orElseThrow(() -> new InvalidInputException(
                        "target.volume",
                        "no volume " + volumeName + " in " + recoveryPointId + "; it has "
                                + open.volumes().stream()
                                        .map(BrowsableVolume::name)
                                        .toList()));
        var fs = found.browsable();
        if (fs == null) {
            throw new ConflictException(
                    "target.volume",
                    "Volume " + volumeName + " of " + recoveryPointId + " cannot be browsed: " + found.reason());
        }
        List<String> resolved = new ArrayList<>(checked.keySet());
        for (var entry : checked.entrySet()) {
            String path = entry.getKey();
            try {
                if (fs.resolve(path).isEmpty()) {
                    problems.add(new FieldProblem(
                            "target.paths[" + entry.getValue() + "]",
                            "no file or directory " + path + " in volume " + volumeName));
                }
            } catch (CorruptFileSystemException e) {
                throw new ConflictException(
                        "target.paths", path + " cannot be read, the file system is damaged there: " + e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidInputException(problems);
        }
        Map<String, String> all = new HashMap<>(parameters);
        all.put(VOLUME, volumeName);
        all.put(PATHS, EventCodec.standardMapper().writeValueAsString(resolved));
        all.put(BUCKET, bucket);
        if (prefix != null && !prefix.isEmpty()) {
            all.put(PREFIX, prefix);
        }
        return JobRecord.queued(
                Ids.job(), JobKind.FILES_RESTORE, point.vaultId(), point.assetId(), point.id(), all, clock.instant());
    }

    /** The paths a files restore's parameters name (empty for any other restore). */
    public static List<String> paths(Map<String, String> parameters) {
        String encoded = parameters.get(PATHS);
        if (encoded == null) {
            return List.of();
        }
        return List.of(EventCodec.standardMapper().readValue(encoded, String[].class));
    }
}
