package org.erosim.kernel.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32C;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.agrona.concurrent.UnsafeBuffer;
import org.erosim.kernel.object.ObjectHeader;

import static org.erosim.kernel.store.StoreDescriptor.*;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Jazzer target for the image reader (quality.md: no file a user passes can crash the
 * host). Without {@code JAZZER_FUZZ} (as in CI) it runs the inputs stored under
 * {@code StoreFuzzTestInputs/anyFileOpensOrFailsInOneLine/} as regression tests.
 */
class StoreFuzzTest {
    /**
     * Any bytes as a store file either open — and then every object reads back, and the
     * checker runs to a report — or fail with one {@link StoreFormatException} line. Input
     * byte 0, bit 0: re-seal both checksums first, so that mutations reach the checks
     * behind them instead of stopping at "checksum mismatch".
     */
    @FuzzTest(maxDuration = "5m")
    void anyFileOpensOrFailsInOneLine(byte[] input) throws IOException {
        if (input.length == 0) {
            return;
        }
        byte[] file = Arrays.copyOfRange(input, 1, input.length);
        if ((input[0] & 1) != 0) {
            reseal(file);
        }
        Path f = Files.createTempFile("erosim-fuzz", ".img");
        try {
            Files.write(f, file);
            try (StoreFile s = StoreFile.openReadOnly(f)) {
                ObjectHeader h = new ObjectHeader();
                UnsafeBuffer buf = new UnsafeBuffer(new byte[4096]);
                for (int i = 0; i < s.objectCount(); i++) {
                    long oid = s.oidAt(i);
                    assertTrue(s.readNode(oid, h, buf, 0) || s.readPage(oid, h, buf, 0), "OID " + oid + " reads back");
                }
            } catch (StoreFormatException e) {
                assertFalse(e.getMessage().contains("\n"), e.getMessage());
            }
            try {
                StoreChecker.Report r = StoreChecker.check(f, 100);
                assertTrue(r.findings().stream().noneMatch(x -> x.contains("\n")));
            } catch (StoreFormatException e) {
                assertFalse(e.getMessage().contains("\n"), e.getMessage());
            }
        } finally {
            try {
                Files.deleteIfExists(f);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static void reseal(byte[] file) {
        if (file.length < HEADER_LENGTH) {
            return;
        }
        ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        long dir = b.getLong(DIRECTORY_OFFSET_OFFSET);
        long count = b.getInt(OBJECT_COUNT_OFFSET);
        CRC32C crc = new CRC32C();
        if (dir >= 0 && count >= 0 && dir + count * ENTRY_LENGTH <= file.length) {
            crc.update(file, (int) dir, (int) (count * ENTRY_LENGTH));
            b.putInt(DIRECTORY_CRC_OFFSET, (int) crc.getValue());
            crc.reset();
        }
        crc.update(file, 0, HEADER_CRC_OFFSET);
        b.putInt(HEADER_CRC_OFFSET, (int) crc.getValue());
    }
}
