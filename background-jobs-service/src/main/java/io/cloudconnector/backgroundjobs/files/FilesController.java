package io.cloudconnector.backgroundjobs.files;

import io.cloudconnector.common.security.RequiresScope;
import io.cloudconnector.common.security.Scopes;
import io.cloudconnector.common.web.ConflictException;
import io.cloudconnector.common.web.FieldProblem;
import io.cloudconnector.common.web.InvalidInputException;
import io.cloudconnector.common.web.NotFoundException;
import io.cloudconnector.common.web.Page;
import io.cloudconnector.common.web.PageRequest;
import io.cloudconnector.common.web.Problems;
import io.cloudconnector.filesystems.Browsable;
import io.cloudconnector.filesystems.CorruptFileSystemException;
import io.cloudconnector.filesystems.Node;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /v1/recovery-points/{id}/volumes} and {@code /files}: the volumes of a recovery point, a directory's entries
 * page by page, and a file's bytes (with {@code Range}) or a directory's subtree as tar, read from the vault without
 * restoring the point. All need {@code files:read}: reading a file is as sensitive as restoring it.
 */
@RestController
@RequestMapping("/v1/recovery-points/{id}")
class FilesController {

    private final OpenedPoints points;
    private final int readAhead;

    FilesController(OpenedPoints points, @Value("${connector.files.readers-per-point:4}") int readAhead) {
        this.points = points;
        this.readAhead = readAhead;
    }

    @GetMapping("/volumes")
    @RequiresScope(Scopes.FILES_READ)
    Page<VolumeView> volumes(@PathVariable String id) {
        return new Page<>(points.get(id).volumes().stream().map(VolumeView::of).toList(), null);
    }

    @GetMapping("/files")
    @RequiresScope(Scopes.FILES_READ)
    Page<FileView> list(
            @PathVariable String id,
            @RequestParam(required = false) @Nullable String volume,
            @RequestParam(required = false) @Nullable String path,
            @RequestParam(required = false) @Nullable Integer limit,
            @RequestParam(required = false) @Nullable String pageToken) {
        var page = PageRequest.of(limit, pageToken);
        String after = page.pageToken() == null ? null : decode(page.pageToken());
        String at = FilePaths.check(path);
        var fs = browsable(id, volume);
        var directory = resolve(fs, id, volume, at);
        if (!directory.directory()) {
            throw new InvalidInputException(
                    "path",
                    at + " is not a directory (a " + FileView.of(directory).type() + ")");
        }
        List<Node> entries = new ArrayList<>(read(at, () -> fs.list(directory)));
        entries.sort(Comparator.comparing(Node::name));
        List<FileView> items = new ArrayList<>();
        String next = null;
        for (var entry : entries) {
            if (after != null && entry.name().compareTo(after) <= 0) {
                continue;
            }
            if (items.size() == page.limit()) {
                next = encode(items.getLast().name());
                break;
            }
            items.add(FileView.of(entry));
        }
        return new Page<>(items, next);
    }

    @GetMapping("/files/content")
    @RequiresScope(Scopes.FILES_READ)
    void content(
            @PathVariable String id,
            @RequestParam(required = false) @Nullable String volume,
            @RequestParam(required = false) @Nullable String path,
            @RequestParam(required = false) @Nullable String format,
            HttpServletRequest request,
            HttpServletResponse response)
            throws IOException {
        if (path == null || path.isBlank()) {
            throw new InvalidInputException(
                    "path", "is required: the file (or, with format=tar, the directory) to read");
        }
        String at = FilePaths.check(path);
        if (format != null && !format.equals("tar")) {
            throw new InvalidInputException("format", "must be tar (a directory's subtree) or left out (a file)");
        }
        var fs = browsable(id, volume);
        var node = resolve(fs, id, volume, at);
        String etag = etag(id, volume, node, format);
        response.setHeader(HttpHeaders.ETAG, etag);
        response.setDateHeader(HttpHeaders.LAST_MODIFIED, node.modifiedSeconds() * 1000);
        if (etag.equals(request.getHeader(HttpHeaders.IF_NONE_MATCH))) {
            response.setStatus(HttpServletResponse.SC_NOT_MODIFIED);
            return;
        }
        if (format != null) {
            if (!node.directory()) {
                throw new InvalidInputException("format", at + " is not a directory: leave format out to read it");
            }
            response.setContentType("application/x-tar");
            response.setHeader(
                    HttpHeaders.CONTENT_DISPOSITION,
                    ContentDisposition.attachment()
                            .filename((node.name().isEmpty() ? "root" : node.name()) + ".tar", StandardCharsets.UTF_8)
                            .build()
                            .toString());
            FileStreams.tar(fs, node, readAhead, response.getOutputStream());
            return;
        }
        if (node.type() != Node.Type.FILE) {
            throw new InvalidInputException(
                    "path",
                    at + " is a " + FileView.of(node).type()
                            + (node.directory() ? ": add format=tar to download its subtree" : ", not a regular file")
                            + (node.target() != null ? " (to " + node.target() + ")" : ""));
        }
        var data = read(at, () -> fs.content(node));
        long size = data.size();
        var range = ByteRange.parse(
                request.getHeader(HttpHeaders.RANGE), request.getHeader(HttpHeaders.IF_RANGE), etag, size);
        response.setContentType("application/octet-stream");
        response.setHeader(HttpHeaders.ACCEPT_RANGES, "bytes");
        response.setHeader(
                HttpHeaders.CONTENT_DISPOSITION,
                ContentDisposition.attachment()
                        .filename(node.name(), StandardCharsets.UTF_8)
                        .build()
                        .toString());
        long from = 0;
        long length = size;
        if (range != null) {
            from = range.first();
            length = range.length();
            response.setStatus(HttpServletResponse.SC_PARTIAL_CONTENT);
            response.setHeader(HttpHeaders.CONTENT_RANGE, "bytes " + from + "-" + range.last() + "/" + size);
        }
        response.setContentLengthLong(length);
        FileStreams.copy(data, from, length, readAhead, response.getOutputStream());
    }

    @ExceptionHandler(ByteRange.NotSatisfiable.class)
    ResponseEntity<ProblemDetail> notSatisfiable(ByteRange.NotSatisfiable e) {
        var problem = Problems.of(
                HttpStatus.REQUESTED_RANGE_NOT_SATISFIABLE,
                "range-not-satisfiable",
                String.valueOf(e.getMessage()),
                List.of(new FieldProblem("Range", String.valueOf(e.getMessage()))));
        return ResponseEntity.status(HttpStatus.REQUESTED_RANGE_NOT_SATISFIABLE)
                .header(HttpHeaders.CONTENT_RANGE, "bytes */" + e.size)
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(problem);
    }

    private Browsable browsable(String id, @Nullable String volume) {
        if (volume == null || volume.isBlank()) {
            throw new InvalidInputException(
                    "volume", "is required: one of the names GET /v1/recovery-points/" + id + "/volumes lists");
        }
        var point = points.get(id);
        var found = point.volume(volume).orElseThrow(() -> new NotFoundException("Volume", volume + " of " + id));
        var fs = found.browsable();
        if (fs == null) {
            throw new ConflictException(
                    "volume", "Volume " + volume + " of " + id + " cannot be browsed: " + found.reason());
        }
        return fs;
    }

    private static Node resolve(Browsable fs, String id, @Nullable String volume, String path) {
        return read(path, () -> fs.resolve(path))
                .orElseThrow(() -> new NotFoundException("Path", path + " in volume " + volume + " of " + id));
    }

    /** Damaged metadata met on the way is the point's state, not the caller's error: a 409 naming the path. */
    private static <T> T read(String path, Supplier<T> reading) {
        try {
            return reading.get();
        } catch (CorruptFileSystemException e) {
            throw new ConflictException(
                    "path", path + " cannot be read, the file system is damaged there: " + e.getMessage());
        }
    }

    private static String etag(String id, @Nullable String volume, Node node, @Nullable String format) {
        try {
            var digest = MessageDigest.getInstance("SHA-256");
            digest.update((id + "\n" + volume + "\n" + node.path() + "\n" + node.reference() + "\n" + node.size() + "\n"
                            + node.modifiedSeconds() + "." + node.modifiedNanos() + "\n" + format)
                    .getBytes(StandardCharsets.UTF_8));
            return "\"" + HexFormat.of().formatHex(digest.digest(), 0, 16) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String encode(String name) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(name.getBytes(StandardCharsets.UTF_8));
    }

    private static String decode(String token) {
        try {
            return new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("pageToken", "is not a token this list gave");
        }
    }
}
