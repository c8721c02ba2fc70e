package io.cloudconnector.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds references that do not resolve inside the repository: a citation of one of the design files the
 * project started from (they are not in the repository; what is still true of them is in
 * docs/architecture.md), a Markdown link that leaves the repository or names a missing file or heading, and
 * a {@code docs/<page>.md} named in code or configuration that does not exist.
 *
 * <p>This package is not scanned: its tests write broken references into fixtures on purpose.
 */
final class DocReferences {

    /** The design files of the project's start, and paths that lead to them. */
    private static final Pattern EXTERNAL_CITATION = Pattern.compile(
            "\\b(?:ARCHITECTURE|CONVENTIONS|DESIGN-NOTES|EMULATOR)\\.md\\b|(?:\\.\\./)+shared/|/work/shared\\b");

    private static final Pattern FENCE = Pattern.compile(" {0,3}(```|~~~)");
    private static final Pattern INLINE_CODE = Pattern.compile("`[^`\\n]*`");
    private static final Pattern INLINE_LINK =
            Pattern.compile("!?\\[[^\\]\\n]*\\]\\(\\s*<?([^)\\s>]+)>?(?:\\s+\"[^\"]*\")?\\s*\\)");
    private static final Pattern REFERENCE_LINK =
            Pattern.compile("(?m)^ {0,3}\\[[^\\]\\n]+\\]:\\s*<?(\\S+?)>?(?:\\s.*)?$");
    private static final Pattern HEADING = Pattern.compile("(?m)^ {0,3}#{1,6}\\s+(.*?)\\s*#*\\s*$");
    private static final Pattern HTML_ANCHOR = Pattern.compile("<a\\s+(?:name|id)=\"([^\"]+)\"");
    private static final Pattern SCHEME = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]*:");
    private static final Pattern DOC_PAGE = Pattern.compile("(?<![\\w/.-])docs/([\\w.-]+\\.md)\\b");
    private static final Set<String> SKIPPED_DIRECTORIES = Set.of(".git", "target", "node_modules", ".idea");
    private static final Set<String> TEXT_EXTENSIONS = Set.of(
            "md", "java", "xml", "yaml", "yml", "properties", "sh", "txt", "json", "html", "js", "css", "py", "toml");
    private static final Path OWN_SOURCES = Path.of("docs", "src", "test", "java", "io", "cloudconnector", "docs");
    private static final long MAX_SIZE = 1 << 20;

    private final Path root;
    private final Map<Path, Set<String>> anchors = new HashMap<>();

    private DocReferences(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    /** Every unresolved reference under {@code root}, as {@code path:line: what}; empty when there is none. */
    static List<String> problems(Path root) {
        var references = new DocReferences(root);
        var problems = new ArrayList<String>();
        for (Path file : references.textFiles()) {
            problems.addAll(references.check(file));
        }
        return problems;
    }

    private List<Path> textFiles() {
        var files = new ArrayList<Path>();
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) {
                    return !dir.equals(root)
                                    && SKIPPED_DIRECTORIES.contains(
                                            dir.getFileName().toString())
                            ? FileVisitResult.SKIP_SUBTREE
                            : FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                    if (attributes.isRegularFile() && attributes.size() <= MAX_SIZE && isText(file)) {
                        files.add(file);
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list " + root, e);
        }
        files.sort(null);
        return files;
    }

    /** A file by a text extension, or an executable script (no extension, starts with {@code #!}). */
    private static boolean isText(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        if (dot > 0) {
            return TEXT_EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
        }
        return read(file).startsWith("#!");
    }

    private List<String> check(Path file) {
        String text = read(file);
        if (text.indexOf('\0') >= 0 || root.relativize(file).startsWith(OWN_SOURCES)) {
            return List.of();
        }
        var problems = new ArrayList<String>();
        Matcher citation = EXTERNAL_CITATION.matcher(text);
        while (citation.find()) {
            problems.add(where(file, text, citation.start()) + "cites " + citation.group()
                    + ", which is not in the repository (cite a docs/ page instead)");
        }
        if (file.getFileName().toString().endsWith(".md")) {
            String prose = withoutCode(text);
            for (Pattern link : List.of(INLINE_LINK, REFERENCE_LINK)) {
                Matcher matcher = link.matcher(prose);
                while (matcher.find()) {
                    String problem = resolve(file, matcher.group(1));
                    if (problem != null) {
                        problems.add(where(file, prose, matcher.start()) + "link " + matcher.group(1) + " " + problem);
                    }
                }
            }
        } else {
            Matcher page = DOC_PAGE.matcher(text);
            while (page.find()) {
                if (!Files.isRegularFile(root.resolve("docs").resolve(page.group(1)))) {
                    problems.add(
                            where(file, text, page.start()) + "names docs/" + page.group(1) + ", which does not exist");
                }
            }
        }
        return problems;
    }

    /** Why {@code target}, linked from {@code file}, does not resolve; null when it does or is not a file link. */
    private String resolve(Path file, String target) {
        if (SCHEME.matcher(target).find()) {
            return null;
        }
        int hash = target.indexOf('#');
        String path = hash < 0 ? target : target.substring(0, hash);
        String fragment = hash < 0 ? null : target.substring(hash + 1);
        Path resolved = path.isEmpty() ? file : file.getParent().resolve(path).normalize();
        if (!resolved.startsWith(root)) {
            return "leaves the repository";
        }
        if (!Files.exists(resolved)) {
            return "points to a missing file";
        }
        if (fragment != null
                && !fragment.isEmpty()
                && resolved.getFileName().toString().endsWith(".md")
                && !anchorsOf(resolved).contains(fragment)) {
            return "points to a missing heading";
        }
        return null;
    }

    private Set<String> anchorsOf(Path markdown) {
        return anchors.computeIfAbsent(markdown, file -> {
            String prose = withoutFences(read(file));
            var found = new HashSet<String>();
            var seen = new HashMap<String, Integer>();
            Matcher heading = HEADING.matcher(prose);
            while (heading.find()) {
                String slug = slug(heading.group(1));
                int count = seen.merge(slug, 1, Integer::sum);
                found.add(count == 1 ? slug : slug + "-" + (count - 1));
            }
            Matcher html = HTML_ANCHOR.matcher(prose);
            while (html.find()) {
                found.add(html.group(1));
            }
            return found;
        });
    }

    /** The anchor GitHub gives a heading: its text in lower case, punctuation dropped, spaces as dashes. */
    static String slug(String heading) {
        String text = heading.replaceAll("!?\\[([^\\]]*)\\]\\([^)]*\\)", "$1");
        return text.toLowerCase(Locale.ROOT)
                .replaceAll("[^\\p{L}\\p{N} _-]", "")
                .replace(' ', '-');
    }

    /** The text with inline code and fenced code blocks blanked out: links inside code are examples, not references. */
    private static String withoutCode(String text) {
        return INLINE_CODE
                .matcher(withoutFences(text))
                .replaceAll(code -> " ".repeat(code.group().length()));
    }

    /** The text with fenced code blocks blanked out, keeping its length and line breaks so offsets stay true. */
    private static String withoutFences(String text) {
        var out = new StringBuilder(text.length() + 1);
        String openFence = null;
        for (String line : text.split("\n", -1)) {
            Matcher fence = FENCE.matcher(line);
            boolean isFence = fence.lookingAt();
            if (openFence == null && !isFence) {
                out.append(line);
            } else {
                if (openFence == null) {
                    openFence = fence.group(1);
                } else if (isFence && fence.group(1).equals(openFence)) {
                    openFence = null;
                }
                out.append(" ".repeat(line.length()));
            }
            out.append('\n');
        }
        out.setLength(text.length());
        return out.toString();
    }

    private String where(Path file, String text, int offset) {
        int line = 1;
        for (int i = 0; i < offset; i++) {
            if (text.charAt(i) == '\n') {
                line++;
            }
        }
        return root.relativize(file) + ":" + line + ": ";
    }

    private static String read(Path file) {
        try {
            return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
    }
}
