package org.erosim.tools.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The MOO reader accepts the suite's files and rejects damaged ones with one clear message. */
class MooReaderTest {
    private static final Path ADD = Path.of(System.getProperty("erosim.conformance.dir", "../conformance"),
        "80286-real", "00.MOO.gz");

    @Test
    void readsTheHeaderMetadataAndEveryTest() throws Exception {
        MooReader.MooFile f = MooReader.read(ADD);
        assertEquals("C286", f.cpu);
        assertEquals(0x00, f.opcode);
        assertEquals(f.declaredTests, f.tests.size());
        MooTest t = f.tests.get(0);
        assertEquals("add [bx+0Eh],bl", t.name);
        assertEquals(40, t.hash.length());
        assertTrue(t.initial.ramCount > 0);
    }

    @Test
    void truncatedFileIsRejectedWithTheFileName(@TempDir Path tmp) throws Exception {
        byte[] raw = ungzip(Files.readAllBytes(ADD));
        Path cut = tmp.resolve("cut.MOO");
        Files.write(cut, java.util.Arrays.copyOf(raw, raw.length / 2));
        MooFormatException e = assertThrows(MooFormatException.class, () -> MooReader.read(cut));
        assertTrue(e.getMessage().startsWith(cut.toString()), e.getMessage());
    }

    @Test
    void truncatedGzipIsRejected(@TempDir Path tmp) throws Exception {
        byte[] gz = Files.readAllBytes(ADD);
        Path cut = tmp.resolve("cut.MOO.gz");
        Files.write(cut, java.util.Arrays.copyOf(gz, gz.length / 3));
        MooFormatException e = assertThrows(MooFormatException.class, () -> MooReader.read(cut));
        assertTrue(e.getMessage().contains("gzip"), e.getMessage());
    }

    @Test
    void notAMooFileIsRejected(@TempDir Path tmp) throws Exception {
        Path p = tmp.resolve("x.MOO");
        Files.writeString(p, "hello, this is not a MOO file at all");
        MooFormatException e = assertThrows(MooFormatException.class, () -> MooReader.read(p));
        assertTrue(e.getMessage().contains("not a MOO file"), e.getMessage());
    }

    @Test
    void chunkLengthPastTheEndIsRejected(@TempDir Path tmp) throws Exception {
        byte[] raw = ungzip(Files.readAllBytes(ADD));
        raw[4] = (byte) 0xFF; // MOO chunk length
        raw[5] = (byte) 0xFF;
        raw[6] = (byte) 0xFF;
        raw[7] = (byte) 0x7F;
        Path p = tmp.resolve("bad.MOO");
        Files.write(p, raw);
        MooFormatException e = assertThrows(MooFormatException.class, () -> MooReader.read(p));
        assertTrue(e.getMessage().contains("runs past the end"), e.getMessage());
    }

    @Test
    void randomCorruptionNeverEscapesAsAnotherException(@TempDir Path tmp) throws Exception {
        byte[] raw = ungzip(Files.readAllBytes(ADD));
        java.util.Random rnd = new java.util.Random(42);
        for (int round = 0; round < 200; round++) {
            byte[] b = raw.clone();
            for (int k = 0; k < 8; k++) {
                b[rnd.nextInt(Math.min(b.length, 4096))] = (byte) rnd.nextInt();
            }
            try {
                MooReader.parse("fuzz", b);
            } catch (MooFormatException expected) {
                assertTrue(expected.getMessage().startsWith("fuzz: "));
            }
        }
    }

    private static byte[] ungzip(byte[] gz) throws IOException {
        try (java.util.zip.GZIPInputStream in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(gz))) {
            return in.readAllBytes();
        }
    }

    @SuppressWarnings("unused")
    private static byte[] gzip(byte[] raw) throws IOException {
        ByteArrayOutputStream bo = new ByteArrayOutputStream();
        try (GZIPOutputStream g = new GZIPOutputStream(bo)) {
            g.write(raw);
        }
        return bo.toByteArray();
    }
}
