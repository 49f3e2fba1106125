package org.erosim.tools.image;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * Jazzer target for the description front end. Without {@code JAZZER_FUZZ} (as in CI) it
 * runs the inputs stored under {@code DescriptionFuzzTestInputs/<method>/} as a regression
 * test; with {@code JAZZER_FUZZ=1} it fuzzes (docs/robustness.md shows the command for the
 * CPU targets; use {@code -pl tools} and this class).
 */
class DescriptionFuzzTest {
    private static final Pattern ONE_LINE = Pattern.compile("^[^\\n\\r]+:[1-9][0-9]*:[1-9][0-9]*: [^\\n\\r]+$");
    /** A directory with the guest programs and an includable file, shared by every input. */
    private static Path dir;

    private static synchronized Path dir() {
        if (dir == null) {
            try {
                Path d = Files.createTempDirectory("erosys-fuzz");
                Fixtures.guest(d, "hello");
                Fixtures.guest(d, "echo");
                Files.writeString(d.resolve("part.erosys"), "page shared\nnode n {\n  slot 0 = page shared\n}\n");
                d.toFile().deleteOnExit();
                dir = d;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return dir;
    }

    /**
     * Any text (bytes read as ISO-8859-1, so every byte is one character) either builds an
     * image or fails with exactly one {@code file:line:col: message} line — never another
     * exception, whatever it includes or whichever files it names.
     */
    @FuzzTest(maxDuration = "5m")
    void anyTextBuildsOrFailsWithOneDiagnostic(byte[] input) {
        String text = new String(input, StandardCharsets.ISO_8859_1);
        try {
            ImageCompiler.compile(DescriptionParser.parse("fuzz.erosys", text, dir()));
        } catch (DescriptionException e) {
            assertTrue(ONE_LINE.matcher(e.getMessage()).matches(), e.getMessage());
        }
    }
}
