package com.cloudtuner.kubecost.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The documentation's relative links lead somewhere: every relative Markdown link in README.md,
 * RELIABILITY.md, bench/RESULTS.md and docs/*.md names a file that exists and, when it has an
 * anchor ({@code #...}) into a Markdown file, an anchor one of that file's headings produces
 * (GitHub's rule: the heading's text in lower case, spaces to '-', punctuation other than '-' and
 * '_' dropped, a repeated anchor numbered -1, -2, ...). Links in code blocks and code spans are not
 * links and are not checked; links with a scheme (https:, mailto:) are not checked either.
 */
class DocumentationLinksTest {

    private static final Path ROOT = Path.of(System.getProperty("basedir", "")).toAbsolutePath();

    /** An inline link or image: [text](target "title"); the text may hold one level of brackets and span lines. */
    private static final Pattern INLINE_LINK = Pattern.compile(
            "!?\\[(?:[^\\[\\]]|\\[[^\\[\\]]*\\])*\\]\\(\\s*<?([^()\\s<>]*)>?(?:\\s+(?:\"[^\"]*\"|'[^']*'))?\\s*\\)");
    /** A link reference definition: [label]: target. */
    private static final Pattern REFERENCE_DEFINITION = Pattern.compile("(?m)^ {0,3}\\[[^\\]]+\\]:\\s*<?([^\\s<>]+)>?");
    private static final Pattern SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*:");
    private static final Pattern FENCE = Pattern.compile("^\\s*(`{3,}|~{3,})");
    private static final Pattern HEADING = Pattern.compile("^ {0,3}#{1,6}\\s+(.*?)(?:\\s+#+)?\\s*$");
    /** A code span, not crossing a blank line. */
    private static final Pattern CODE_SPAN = Pattern.compile("(`+)(?:(?!\\n[ \\t]*\\n)[\\s\\S])*?\\1");

    @Test
    void everyRelativeLinkLeadsToAFileAndAHeadingThatExist() {
        List<String> broken = new ArrayList<>();
        int checked = 0;
        for (Path doc : documents()) {
            for (Link link : links(doc)) {
                checked++;
                String problem = problem(doc, link.target());
                if (problem != null) {
                    broken.add(ROOT.relativize(doc) + ":" + link.line() + ": (" + link.target() + ") " + problem);
                }
            }
        }
        assertThat(checked).as("relative links found (none would mean the scan is broken)").isPositive();
        assertThat(broken).as("broken relative links").isEmpty();
    }

    @Test
    void theReadmeLinksEveryDocument() {
        Set<String> linked = new TreeSet<>();
        for (Link link : links(ROOT.resolve("README.md"))) {
            linked.add(ROOT.relativize(ROOT.resolve(decode(link.target().split("#", 2)[0])).normalize()).toString());
        }
        for (Path doc : documents()) {
            String name = ROOT.relativize(doc).toString();
            if (!name.equals("README.md")) {
                assertThat(linked).as("README.md links " + name).contains(name);
            }
        }
    }

    @Test
    void anchorsFollowGitHubsRule() {
        assertThat(anchors(List.of("# Tables (the contract)", "## `k8s_expenses`", "### How the exporter's series are read",
                "#### Operator's tools: `check`, `explain`, `gaps`", "## `clean_expenses.sql`: cost per namespace resource",
                "### 1. Build and publish the image", "## Runbook", "## Runbook", "## [Linked](x.md) *heading* ##")))
                .containsExactly("tables-the-contract", "k8s_expenses", "how-the-exporters-series-are-read",
                        "operators-tools-check-explain-gaps", "clean_expensessql-cost-per-namespace-resource",
                        "1-build-and-publish-the-image", "runbook", "runbook-1", "linked-heading");
        assertThat(anchors(List.of("```", "# not a heading", "```", "# A heading"))).containsExactly("a-heading");
    }

    @Test
    void linksInCodeAreNotLinks() {
        List<Link> found = links(String.join("\n", "[a](a.md) `[b](b.md)`", "```", "[c](c.md)", "```",
                "[d\ne](d.md#x) [f](https://example.com) [g](#g \"title\")", "[h]: h.md"));
        assertThat(found).extracting(Link::target).containsExactly("a.md", "d.md#x", "#g", "h.md");
        assertThat(found).extracting(Link::line).containsExactly(1, 5, 6, 7);
    }

    /** Why a link from {@code doc} to {@code target} is broken, or null when it is not. */
    private static String problem(Path doc, String target) {
        String[] parts = target.split("#", 2);
        Path file = parts[0].isEmpty() ? doc
                : (parts[0].startsWith("/") ? ROOT.resolve(decode(parts[0].substring(1))) : doc.getParent().resolve(decode(parts[0])))
                        .normalize();
        if (!file.startsWith(ROOT)) {
            return "leads out of the repository";
        }
        if (!Files.exists(file)) {
            return "no such file: " + ROOT.relativize(file);
        }
        if (parts.length == 2 && file.toString().endsWith(".md")) {
            String anchor = decode(parts[1]);
            Set<String> anchors = anchors(lines(file));
            if (!anchors.contains(anchor)) {
                return "no heading of " + ROOT.relativize(file) + " gives #" + anchor;
            }
        }
        return null;
    }

    private static List<Path> documents() {
        List<Path> docs = new ArrayList<>(List.of(ROOT.resolve("README.md"), ROOT.resolve("RELIABILITY.md"),
                ROOT.resolve("bench/RESULTS.md")));
        try (Stream<Path> files = Files.list(ROOT.resolve("docs"))) {
            files.filter(p -> p.toString().endsWith(".md")).sorted().forEach(docs::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return docs;
    }

    record Link(String target, int line) {
    }

    private static List<Link> links(Path doc) {
        return links(String.join("\n", lines(doc)));
    }

    /** The relative links of a Markdown text, outside code blocks and code spans, with their line numbers. */
    static List<Link> links(String markdown) {
        String text = masked(markdown);
        List<Link> found = new ArrayList<>();
        for (Pattern p : List.of(INLINE_LINK, REFERENCE_DEFINITION)) {
            Matcher m = p.matcher(text);
            while (m.find()) {
                String target = m.group(1);
                if (!target.isEmpty() && !SCHEME.matcher(target).find()) {
                    found.add(new Link(target, lineOf(text, m.start())));
                }
            }
        }
        found.sort((a, b) -> Integer.compare(a.line(), b.line()));
        return found;
    }

    /** The text with fenced code blocks and code spans blanked out, line breaks kept, so offsets still give lines. */
    private static String masked(String markdown) {
        StringBuilder out = new StringBuilder();
        String fence = null;
        for (String line : markdown.split("\n", -1)) {
            Matcher f = FENCE.matcher(line);
            if (fence == null && f.find()) {
                fence = f.group(1);
                out.append('\n');
            } else if (fence != null) {
                if (f.find() && f.group(1).charAt(0) == fence.charAt(0) && f.group(1).length() >= fence.length()
                        && line.strip().length() == f.group(1).length()) {
                    fence = null;
                }
                out.append('\n');
            } else {
                out.append(line).append('\n');
            }
        }
        Matcher span = CODE_SPAN.matcher(out);
        StringBuilder result = new StringBuilder();
        while (span.find()) {
            span.appendReplacement(result, Matcher.quoteReplacement(span.group().replaceAll("[^\\n]", " ")));
        }
        span.appendTail(result);
        return result.toString();
    }

    /** The anchors the headings of a Markdown file produce, by GitHub's rule. */
    static Set<String> anchors(List<String> lines) {
        Set<String> anchors = new LinkedHashSet<>();
        Map<String, Integer> seen = new HashMap<>();
        String fence = null;
        for (String line : lines) {
            Matcher f = FENCE.matcher(line);
            if (fence == null && f.find()) {
                fence = f.group(1);
                continue;
            }
            if (fence != null) {
                if (f.find() && f.group(1).charAt(0) == fence.charAt(0) && f.group(1).length() >= fence.length()
                        && line.strip().length() == f.group(1).length()) {
                    fence = null;
                }
                continue;
            }
            Matcher h = HEADING.matcher(line);
            if (h.matches()) {
                String base = slug(h.group(1));
                int n = seen.merge(base, 1, Integer::sum) - 1;
                anchors.add(n == 0 ? base : base + "-" + n);
            }
        }
        return anchors;
    }

    private static String slug(String heading) {
        String text = heading.replaceAll("!?\\[([^\\]]*)\\]\\([^)]*\\)", "$1") // a link gives its text
                .replaceAll("<[^>]+>", ""); // HTML tags give nothing
        StringBuilder slug = new StringBuilder();
        text.toLowerCase(Locale.ROOT).codePoints().forEach(c -> {
            if (c == ' ') {
                slug.append('-');
            } else if (Character.isLetterOrDigit(c) || c == '-' || c == '_') {
                slug.appendCodePoint(c);
            }
        });
        return slug.toString();
    }

    private static int lineOf(String text, int offset) {
        int line = 1;
        for (int i = 0; i < offset; i++) {
            if (text.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
