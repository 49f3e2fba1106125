package org.erosim.tools;

import static org.erosim.tools.Cli.cli;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code erosim cputest}: per-file lines, the summary line, JSON failures and bad input. */
class CputestCommandTest {
    @TempDir
    Path tmp;

    private static final Path CONFORMANCE = Path.of(System.getProperty("erosim.conformance.dir", "../conformance"));

    private String out;
    private String err;

    private int cputest(String... args) {
        String[] all = new String[args.length + 1];
        all[0] = "cputest";
        System.arraycopy(args, 0, all, 1, args.length);
        Cli run = cli(all);
        out = run.out();
        err = run.err();
        return run.status();
    }

    @Test
    void passingFilesPrintOneLineEachAndTheTotal() {
        int status = cputest(CONFORMANCE.resolve("80286-real/00.MOO.gz").toString(),
            CONFORMANCE.resolve("80386-real/00.MOO.gz").toString());
        assertEquals(0, status, err);
        String[] lines = out.strip().split("\n");
        assertEquals("00.MOO.gz: 1000 passed, 0 failed, 7 masked (LOCK_PREFIX)", lines[0]);
        assertEquals("00.MOO.gz: 500 passed, 0 failed", lines[1]);
        assertEquals("1500 passed, 0 failed", lines[lines.length - 1]);
    }

    @Test
    void jsonListsFailuresWithRegisterExpectedAndActual() throws Exception {
        // a copy of the 386 file with one expected register value changed fails exactly once
        byte[] raw = ungzip(Files.readAllBytes(CONFORMANCE.resolve("80386-real/00.MOO.gz")));
        int at = indexOf(raw, "FINA".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        int rg32 = indexOf(raw, "RG32".getBytes(java.nio.charset.StandardCharsets.US_ASCII), at);
        // RG32: tag(4) len(4) mask(4) then the first register present; flip one of its bits
        raw[rg32 + 12] ^= 0x01;
        Path bad = tmp.resolve("bad.MOO");
        Files.write(bad, raw);
        Path json = tmp.resolve("f.json");
        int status = cputest("--json", json.toString(), bad.toString());
        assertEquals(1, status, err);
        assertTrue(out.contains("499 passed, 1 failed"), out);
        String j = Files.readString(json);
        assertTrue(j.contains("\"failed\": 1"), j);
        assertTrue(j.contains("\"register\":"), j);
        assertTrue(j.contains("\"expected\":") && j.contains("\"actual\":"), j);
    }

    @Test
    void missingPathIsOneLineWithStatusTwo() {
        assertEquals(2, cputest(tmp.resolve("nothing.MOO").toString()));
        assertTrue(err.startsWith("erosim: ") && err.contains("no such file"), err);
        assertEquals(1, err.strip().lines().count(), err);
    }

    @Test
    void truncatedFileIsOneLineWithStatusTwo() throws Exception {
        byte[] gz = Files.readAllBytes(CONFORMANCE.resolve("80286-real/00.MOO.gz"));
        Path cut = tmp.resolve("cut.MOO.gz");
        Files.write(cut, java.util.Arrays.copyOf(gz, gz.length / 2));
        assertEquals(2, cputest(cut.toString()));
        assertTrue(err.startsWith("erosim: ") && err.contains("cut.MOO.gz"), err);
        assertEquals(1, err.strip().lines().count(), err);
    }

    @Test
    void directoryWithoutMooFilesIsAnError() {
        assertEquals(2, cputest(tmp.toString()));
        assertTrue(err.contains("no MOO files"), err);
    }

    private static byte[] ungzip(byte[] gz) throws Exception {
        try (java.util.zip.GZIPInputStream in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(gz))) {
            return in.readAllBytes();
        }
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        return indexOf(hay, needle, 0);
    }

    private static int indexOf(byte[] hay, byte[] needle, int from) {
        outer:
        for (int i = from; i <= hay.length - needle.length; i++) {
            for (int k = 0; k < needle.length; k++) {
                if (hay[i + k] != needle[k]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
