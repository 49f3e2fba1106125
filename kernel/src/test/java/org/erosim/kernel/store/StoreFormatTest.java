package org.erosim.kernel.store;

import java.nio.file.Files;
import java.nio.file.Path;

import org.erosim.kernel.image.ImageBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.erosim.kernel.store.StoreDescriptor.*;
import static org.junit.jupiter.api.Assertions.*;

/** Corrupt and truncated files: opening them gives one StoreFormatException line, never an index error. */
class StoreFormatTest {
    @TempDir
    Path dir;

    private Path image() {
        ImageBuilder b = new ImageBuilder();
        int p = b.process();
        b.setNumberKey(b.keyRegistersNode(p), 1, 1, 2, 3);
        b.page(new byte[] {1});
        b.zeroPage();
        Path f = dir.resolve("s.img");
        b.write(f);
        return f;
    }

    private static void assertOpenFails(Path f, String expected) {
        StoreFormatException e = assertThrows(StoreFormatException.class, () -> StoreFile.openReadOnly(f).close());
        assertEquals(f + ": " + expected, e.getMessage());
        // A writable open reports the same and leaves the file as it was.
        long length = f.toFile().length();
        StoreFormatException w = assertThrows(StoreFormatException.class, () -> StoreFile.open(f).close());
        assertEquals(e.getMessage(), w.getMessage());
        assertEquals(length, f.toFile().length(), "a failed writable open restores the file length");
    }

    @Test
    void anEmptyFileIsTruncated() throws Exception {
        Path f = dir.resolve("empty.img");
        Files.write(f, new byte[0]);
        assertOpenFails(f, "truncated: 0 bytes, shorter than the 128-byte store header");
    }

    @Test
    void aFileCutInsideTheDataIsTruncated() throws Exception {
        Path f = image();
        long length = Files.size(f);
        new StoreBytes(f).truncate((int) length - 100);
        assertOpenFails(f, "truncated: data ends at byte " + length + " but the file has " + (length - 100) + " bytes");
    }

    @Test
    void aFileCutInsideTheHeaderIsTruncated() throws Exception {
        Path f = image();
        new StoreBytes(f).truncate(60);
        assertOpenFails(f, "truncated: 60 bytes, shorter than the 128-byte store header");
    }

    @Test
    void badMagicIsNotAStore() throws Exception {
        Path f = dir.resolve("text.img");
        Files.write(f, "this is not a store file, just some text that is long enough to hold a header of 128 bytes......................................".getBytes());
        assertOpenFails(f, "not an erosim store (bad magic 0x2073692073696874)");
    }

    @Test
    void aFlippedHeaderByteFailsTheHeaderChecksum() throws Exception {
        Path f = image();
        StoreBytes s = new StoreBytes(f);
        int stored = s.buf.getInt(HEADER_CRC_OFFSET);
        s.buf.put(NODE_COUNT_OFFSET, (byte) 9);
        s.save(false);
        StoreFormatException e = assertThrows(StoreFormatException.class, () -> StoreFile.openReadOnly(f).close());
        assertTrue(e.getMessage().startsWith(f + ": header checksum mismatch (stored 0x" + Integer.toHexString(stored)),
            e.getMessage());
    }

    @Test
    void aFlippedDirectoryByteFailsTheDirectoryChecksum() throws Exception {
        Path f = image();
        StoreBytes s = new StoreBytes(f);
        s.buf.put(s.entryAt(1) + ENTRY_ALLOCATION_COUNT_OFFSET, (byte) 1);
        s.save(false);
        StoreFormatException e = assertThrows(StoreFormatException.class, () -> StoreFile.openReadOnly(f).close());
        assertTrue(e.getMessage().startsWith(f + ": directory checksum mismatch"), e.getMessage());
    }

    @Test
    void aDirectoryPointingOutsideTheFileIsRejected() throws Exception {
        Path f = image();
        StoreBytes s = new StoreBytes(f);
        long dataEnd = s.buf.getLong(DATA_END_OFFSET);
        s.buf.putLong(DIRECTORY_OFFSET_OFFSET, dataEnd - 64);
        s.save(true);
        int cap = s.buf.getInt(DIRECTORY_CAPACITY_OFFSET);
        assertOpenFails(f, "directory [" + (dataEnd - 64) + ", " + (dataEnd - 64 + (long) cap * ENTRY_LENGTH)
            + ") lies outside the file's data (128.." + dataEnd + ")");
    }

    @Test
    void aRecordPointingOutsideTheFileIsRejected() throws Exception {
        Path f = image();
        StoreBytes s = new StoreBytes(f);
        s.buf.putLong(s.entry(3) + ENTRY_RECORD_OFFSET, 1L << 40);
        s.save(true);
        long dataOffset = s.buf.getLong(DATA_OFFSET_OFFSET);
        long dataEnd = s.buf.getLong(DATA_END_OFFSET);
        assertOpenFails(f, "OID 3: record [" + (1L << 40) + ", " + ((1L << 40) + 4096) + ") lies outside the data area ["
            + dataOffset + ", " + dataEnd + ")");
    }

    @Test
    void duplicateOidsAreRejected() throws Exception {
        Path f = image();
        StoreBytes s = new StoreBytes(f);
        s.buf.putLong(s.entryAt(2) + ENTRY_OID_OFFSET, 2);
        s.save(true);
        assertOpenFails(f, "duplicate OID 2 in directory entries 1 and 2");
    }

    @Test
    void unsortedOidsAreRejected() throws Exception {
        Path f = image();
        StoreBytes s = new StoreBytes(f);
        s.buf.putLong(s.entryAt(2) + ENTRY_OID_OFFSET, 1);
        s.save(true);
        assertOpenFails(f, "directory entry 2 has OID 1, not above the previous OID 2");
    }

    @Test
    void aNodeRecordOfImpossibleLengthIsRejected() throws Exception {
        Path f = image();
        StoreBytes s = new StoreBytes(f);
        s.buf.putInt(s.entry(1) + ENTRY_LENGTH_OFFSET, 7);
        s.save(true);
        assertOpenFails(f, "OID 1: node record length 7 / capacity " + s.buf.getShort(s.entry(1) + ENTRY_CAPACITY_OFFSET)
            + " impossible (4 + 16 n bytes, n <= 32)");
    }

    @Test
    void aNodeBitmapThatDisagreesWithItsLengthIsRejected() throws Exception {
        Path f = image();
        StoreBytes s = new StoreBytes(f);
        s.buf.putInt(s.record(2), 0b11);
        s.save(true);
        assertOpenFails(f, "OID 2: node bitmap has 2 slots but the record length 20 holds 1 keys");
    }

    @Test
    void anUnknownKindIsRejected() throws Exception {
        Path f = image();
        StoreBytes s = new StoreBytes(f);
        s.buf.put(s.entry(4) + ENTRY_KIND_OFFSET, (byte) 9);
        s.save(true);
        assertOpenFails(f, "OID 4: unknown object kind 9");
    }

    @Test
    void aMissingFileIsOneLine() {
        Path f = dir.resolve("nope.img");
        StoreException e = assertThrows(StoreException.class, () -> StoreFile.open(f));
        assertEquals(f + ": no such store file", e.getMessage());
        StoreException c = assertThrows(StoreException.class, () -> StoreChecker.check(f));
        assertEquals(f + ": no such store file", c.getMessage());
    }

    @Test
    void randomGarbageNeverEscapesAsAnotherException() throws Exception {
        Path good = image();
        byte[] original = Files.readAllBytes(good);
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(4);
        Path f = dir.resolve("fuzz.img");
        for (int round = 0; round < 300; round++) {
            byte[] b = original.clone();
            int flips = 1 + rnd.nextInt(8);
            for (int i = 0; i < flips; i++) {
                b[rnd.nextInt(b.length)] = (byte) rnd.nextInt(256);
            }
            int length = rnd.nextInt(4) == 0 ? rnd.nextInt(b.length) : b.length;
            Files.write(f, java.util.Arrays.copyOf(b, length));
            StoreBytes s = new StoreBytes(f);
            if (length >= HEADER_LENGTH && rnd.nextBoolean()) {
                s.save(true);
            }
            try (StoreFile store = StoreFile.openReadOnly(f)) {
                store.objectCount();
            } catch (StoreFormatException expected) {
                assertFalse(expected.getMessage().contains("\n"));
            }
            try {
                StoreChecker.check(f);
            } catch (StoreFormatException expected) {
                assertFalse(expected.getMessage().contains("\n"));
            }
        }
    }
}
