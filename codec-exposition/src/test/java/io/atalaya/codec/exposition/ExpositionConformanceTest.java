package io.atalaya.codec.exposition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs the exposition conformance data in {@code <atalaya.shared>/conformance/exposition} (see its README.md):
 * the OpenMetrics 1.0 parser suite (strict: valid cases must parse, invalid ones must be rejected), the Go expfmt
 * corpus (strict text format 0.0.4), the Prometheus textparse benchmark pages, and the {@link Validation#PROMETHEUS}
 * mode against what Prometheus 2.42 accepted and how many samples it scraped.
 */
@Tag("conformance")
class ExpositionConformanceTest {

    static Path root() {
        String shared = System.getProperty("atalaya.shared");
        if (shared == null || shared.isBlank()) {
            fail("system property atalaya.shared is not set: run with -Datalaya.shared=$PWD/../shared");
        }
        Path dir = Path.of(shared, "conformance", "exposition");
        if (!Files.isDirectory(dir)) {
            fail("conformance data not found at " + dir + " (system property atalaya.shared=" + shared + ")");
        }
        return dir;
    }

    /** Parses everything; returns the sample count or throws the parse error. */
    static int parseAll(byte[] data, ExpositionFormat format, Validation validation) {
        ExpositionParser parser = new ExpositionParser(format, validation).reset(data);
        int n = 0;
        while (parser.next()) {
            parser.labels(); // exercise label building on every sample
            n++;
        }
        return n;
    }

    static byte[] read(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @TestFactory
    Stream<DynamicTest> openMetricsSuite() throws IOException {
        Path suite = root().resolve("openmetrics-parsers");
        Pattern shouldParse = Pattern.compile("\"shouldParse\"\\s*:\\s*(true|false)");
        List<DynamicTest> tests = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(suite)) {
            for (Path dir : dirs.sorted().toList()) {
                String json = Files.readString(dir.resolve("test.json"));
                Matcher m = shouldParse.matcher(json);
                assertThat(m.find()).as("shouldParse in " + dir).isTrue();
                boolean valid = m.group(1).equals("true");
                byte[] data = read(dir.resolve("metrics"));
                tests.add(DynamicTest.dynamicTest("openmetrics " + dir.getFileName(),
                        () -> parsesOrIsRejected(data, ExpositionFormat.OPENMETRICS, valid)));
            }
        }
        return tests.stream();
    }

    /** A valid input must parse in strict mode; an invalid one must be refused with a parse error. */
    private static void parsesOrIsRejected(byte[] data, ExpositionFormat format, boolean valid) {
        if (valid) {
            parseAll(data, format, Validation.STRICT);
            return;
        }
        try {
            int n = parseAll(data, format, Validation.STRICT);
            fail("accepted an input the reference parser rejects (" + n + " samples)");
        } catch (ExpositionParseException expected) {
            // refused, as the reference parser does
        }
    }

    @TestFactory
    Stream<DynamicTest> expfmtCorpus() throws IOException {
        Path corpus = root().resolve("expfmt-corpus");
        List<DynamicTest> tests = new ArrayList<>();
        try (Stream<Path> files = Files.list(corpus)) {
            for (Path f : files.sorted().toList()) {
                String name = f.getFileName().toString();
                boolean valid = !name.contains("error");
                byte[] data = read(f);
                tests.add(DynamicTest.dynamicTest("expfmt " + name,
                        () -> parsesOrIsRejected(data, ExpositionFormat.PROMETHEUS_TEXT, valid)));
            }
        }
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> textparsePages() throws IOException {
        Path dir = root().resolve("prometheus-textparse");
        List<DynamicTest> tests = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.sorted().toList()) {
                String name = f.getFileName().toString();
                ExpositionFormat format = name.endsWith(".om.txt") ? ExpositionFormat.OPENMETRICS
                        : ExpositionFormat.PROMETHEUS_TEXT;
                tests.add(DynamicTest.dynamicTest("textparse " + name, () -> {
                    int n = parseAll(read(f), format, Validation.PROMETHEUS);
                    assertThat(n).isPositive();
                }));
            }
        }
        return tests.stream();
    }

    /**
     * Expected samples for valid OpenMetrics cases whose meaning is subtle (the suite itself only says "parses"):
     * escapes in label values and HELP text, where unknown escapes are kept as written, and timestamps in seconds.
     */
    @org.junit.jupiter.api.Test
    void openMetricsValidCasesParseToTheExpectedSamples() {
        Path suite = root().resolve("openmetrics-parsers");
        String[] unescaped = {"foo", "\\foo", "\\foo", "foo\\", "\\", "\n", "\\n", "\\\n", "\"", "\\\""};
        ExpositionParser p = new ExpositionParser(ExpositionFormat.OPENMETRICS).reset(
                read(suite.resolve("label_escaping/metrics")));
        for (int i = 0; i < 10; i++) {
            assertThat(p.next()).isTrue();
            assertThat(p.labels().get("foo")).as("a" + i).isEqualTo(unescaped[i]);
            assertThat(p.labels().get("bar")).isEqualTo("baz");
        }
        assertThat(p.next()).isFalse();
        p.reset(read(suite.resolve("help_escaping/metrics")));
        for (int i = 0; i < 10; i++) {
            assertThat(p.next()).isTrue();
            assertThat(p.family().help()).as("a" + i).isEqualTo(unescaped[i]);
        }
        p.reset(read(suite.resolve("timestamps/metrics")));
        long[] expected = {0, 0, 1100, Long.MAX_VALUE, 1_500_000, 1_234_567_890_000L};
        for (long t : expected) {
            assertThat(p.next()).isTrue();
            assertThat(p.hasTimestamp()).isTrue();
            assertThat(p.timestampMillis()).isEqualTo(t);
        }
        p.reset(read(suite.resolve("escaping/metrics")));
        String[] values = {"b\"a\nr", "b\\a\\z", "b\"a\nr # ", "b\\a\\z # "};
        for (String v : values) {
            assertThat(p.next()).isTrue();
            assertThat(p.labels().get("foo")).isEqualTo(v);
        }
        assertThat(p.family().help()).isEqualTo("he\n\\l\\tp");
        p.reset(read(suite.resolve("uint64_counter/metrics")));
        assertThat(p.next()).isTrue();
        assertThat(p.value()).isEqualTo(9223372036854775808.0);
    }

    /**
     * The same pages under {@link Validation#STRICT}. One page is not valid OpenMetrics 1.0 and must be rejected:
     * alltypes.5mfs.om.txt has a histogram with a negative {@code _sum} (and negative buckets), which OpenMetrics
     * 1.0 forbids.
     */
    @TestFactory
    Stream<DynamicTest> textparsePagesStrict() throws IOException {
        Path dir = root().resolve("prometheus-textparse");
        List<DynamicTest> tests = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.sorted().toList()) {
                String name = f.getFileName().toString();
                ExpositionFormat format = name.endsWith(".om.txt") ? ExpositionFormat.OPENMETRICS
                        : ExpositionFormat.PROMETHEUS_TEXT;
                tests.add(DynamicTest.dynamicTest("textparse strict " + name, () -> {
                    if (name.equals("alltypes.5mfs.om.txt")) {
                        try {
                            parseAll(read(f), format, Validation.STRICT);
                            fail("accepted a histogram with a negative _sum");
                        } catch (ExpositionParseException expected) {
                            assertThat(expected.reason()).contains("cannot be negative");
                        }
                    } else {
                        assertThat(parseAll(read(f), format, Validation.STRICT)).isPositive();
                    }
                }));
            }
        }
        return tests.stream();
    }

    /**
     * Validation.PROMETHEUS against Prometheus 2.42: the same inputs must be accepted or rejected as Prometheus did,
     * and for accepted OpenMetrics and text inputs the sample count must match scrape_samples_scraped.
     */
    @TestFactory
    Stream<DynamicTest> prometheus242() throws IOException {
        Path base = root();
        List<String> rows = Files.readAllLines(base.resolve("prometheus-2.42-scrape-results.tsv"));
        List<DynamicTest> tests = new ArrayList<>();
        for (String row : rows) {
            if (row.startsWith("#") || row.startsWith("input\t")) {
                continue;
            }
            String[] c = row.split("\t", -1);
            String input = c[0];
            ExpositionFormat format = c[1].startsWith("openmetrics") ? ExpositionFormat.OPENMETRICS
                    : ExpositionFormat.PROMETHEUS_TEXT;
            boolean up = c[3].equals("up");
            int scraped = Integer.parseInt(c[4]);
            byte[] data = read(base.resolve(input));
            tests.add(DynamicTest.dynamicTest("prometheus-2.42 " + input, () -> {
                if (up) {
                    int n = parseAll(data, format, Validation.PROMETHEUS);
                    assertThat(n).as("samples (Prometheus scraped " + scraped + ")").isEqualTo(scraped);
                } else {
                    try {
                        int n = parseAll(data, format, Validation.PROMETHEUS);
                        fail("accepted an input Prometheus 2.42 rejected (" + n + " samples; Prometheus: " + c[5]
                                + ")");
                    } catch (ExpositionParseException expected) {
                        // rejected like Prometheus
                    }
                }
            }));
        }
        return tests.stream();
    }

}
