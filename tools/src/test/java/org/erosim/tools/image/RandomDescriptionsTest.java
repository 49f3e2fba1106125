package org.erosim.tools.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Pattern;
import java.util.stream.LongStream;
import org.erosim.kernel.store.StoreChecker;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Property-style tests over seeded random descriptions: generated valid systems always
 * build (and their images pass the consistency checker), and token-level mutations of
 * them always end in success or exactly one clean {@code file:line:col: message} — never
 * another exception.
 */
class RandomDescriptionsTest {
    @TempDir
    Path dir;

    /** file:line:col: message — one line, the file being one of the two the test wrote. */
    private Pattern diagnostic;

    @BeforeEach
    void guests() throws Exception {
        Fixtures.guest(dir, "hello");
        Fixtures.guest(dir, "echo");
        diagnostic = Pattern.compile("^" + Pattern.quote(dir.toString()) + "/(sys|part)\\.erosys:[1-9][0-9]*:[1-9][0-9]*: "
            + "[^\\n]+$");
    }

    static LongStream seeds() {
        return LongStream.range(0, 40).map(i -> 0x5EED_0000L + i);
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void generatedDescriptionsBuildAndTheirImagesAreConsistent(long seed) throws Exception {
        RandomSystems g = new RandomSystems(seed);
        Fixtures.write(dir, "part.erosys", g.part);
        Path sys = Fixtures.write(dir, "sys.erosys", g.main);
        ImageCompiler.Result r;
        try {
            r = ImageCompiler.compile(sys);
        } catch (DescriptionException e) {
            fail(e.getMessage() + "\n--- sys.erosys\n" + g.main + "\n--- part.erosys\n" + g.part);
            return;
        }
        assertEquals(g.processes, r.processes());
        Path img = dir.resolve("sys.img");
        r.builder().write(img);
        StoreChecker.Report report = StoreChecker.check(img);
        assertTrue(report.consistent(), () -> String.join("\n", report.findings()));
        assertEquals(g.processes, report.processes());
    }

    /** The generator does exercise maps (of pages and of segments) across the seeds. */
    @Test
    void generatedDescriptionsIncludeMaps() {
        long pageMaps = seeds().filter(s -> mapsA(s, "page")).count();
        long segmentMaps = seeds().filter(s -> mapsA(s, "segment")).count();
        assertTrue(pageMaps >= 5 && segmentMaps >= 5, pageMaps + " seeds map pages, " + segmentMaps + " segments");
    }

    private static boolean mapsA(long seed, String kind) {
        RandomSystems g = new RandomSystems(seed);
        return (g.main + g.part).matches("(?s).*\n    map \\S+ = " + kind + " .*");
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void mutatedDescriptionsBuildOrFailWithOneDiagnostic(long seed) throws Exception {
        RandomSystems g = new RandomSystems(seed);
        SplittableRandom rnd = new SplittableRandom(seed * 31 + 7);
        int failures = 0;
        for (int round = 0; round < 12; round++) {
            String main = mutate(g.main, rnd);
            String part = rnd.nextInt(3) == 0 ? mutate(g.part, rnd) : g.part;
            Fixtures.write(dir, "part.erosys", part);
            Path sys = Fixtures.write(dir, "sys.erosys", main);
            try {
                ImageCompiler.compile(sys);
            } catch (DescriptionException e) {
                failures++;
                String m = e.getMessage();
                assertTrue(diagnostic.matcher(m).matches(), () -> "not a one-line diagnostic: " + m + "\n" + main);
            } catch (RuntimeException | StackOverflowError e) {
                throw new AssertionError("mutation escaped as " + e + "\n--- sys.erosys\n" + main + "\n--- part\n" + part,
                    e);
            }
        }
        // most mutations break something: a test in which none did would be testing nothing
        assertTrue(failures > 0, "no mutation of seed " + seed + " was rejected");
    }

    /** Deletes, inserts or replaces 1-3 tokens (words, numbers, strings, punctuation, line breaks). */
    static String mutate(String text, SplittableRandom rnd) {
        List<String> toks = new ArrayList<>();
        var m = Pattern.compile("\"[^\"\\n]*\"|\\n|[^\\s\"]+|[ \\t]+").matcher(text);
        while (m.find()) {
            toks.add(m.group());
        }
        int edits = rnd.nextInt(1, 4);
        for (int i = 0; i < edits && !toks.isEmpty(); i++) {
            int at = rnd.nextInt(toks.size());
            switch (rnd.nextInt(3)) {
                case 0 -> toks.remove(at);
                case 1 -> toks.add(at, " " + junk(rnd) + " ");
                default -> toks.set(at, junk(rnd));
            }
        }
        return String.join("", toks);
    }

    private static final String[] VOCABULARY = {"include", "program", "page", "node", "segment", "red-segment",
        "process", "slot", "keyreg", "space", "entry", "keeper", "background", "initial", "height", "convention",
        "pass", "none", "run", "start", "badge", "number", "void", "console", "read-only", "weak", "{", "}", "=",
        "\n", "0", "31", "32", "0x", "0xffffffff", "99999999999", "4G", "12ab", "\"", "\"part.erosys\"",
        "\"sys.erosys\"", "\"hello.elf\"", "\"nothere\"", "\"echo.elf\"", "#", "proc0", "page0", "seg0", "red3", "hello",
        "echo", "\\", ";", "\u00e9", "stack", "stack-top", "0x1000", "register", "eax", "ebp", "stack-pointer",
        "schedule", "sched", "-1", "_", "K", "map", "0x80000000"};

    private static String junk(SplittableRandom rnd) {
        return VOCABULARY[rnd.nextInt(VOCABULARY.length)];
    }

    /** The generated files stay small: the whole test runs in a few seconds. */
    static long size(Path p) throws java.io.IOException {
        return Files.size(p);
    }
}
