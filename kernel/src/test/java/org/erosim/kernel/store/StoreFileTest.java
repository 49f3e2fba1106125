package org.erosim.kernel.store;

import java.nio.file.Files;
import java.nio.file.Path;

import org.agrona.concurrent.UnsafeBuffer;
import org.erosim.kernel.abi.KeyType;
import org.erosim.kernel.image.ImageBuilder;
import org.erosim.kernel.key.KeyDescriptor;
import org.erosim.kernel.object.ObjectHeader;
import org.erosim.kernel.object.ObjectSource;
import org.erosim.kernel.testing.AllocationGuard;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.*;

class StoreFileTest {
    @TempDir
    Path dir;

    private final ObjectHeader header = new ObjectHeader();
    private final UnsafeBuffer keys = new UnsafeBuffer(new byte[ObjectSource.NODE_KEYS_LENGTH]);
    private final UnsafeBuffer page = new UnsafeBuffer(new byte[ObjectSource.PAGE_LENGTH]);

    /** An image with one process (OIDs 1, 2), a node (3) with one number key, a zero page (4), a data page (5). */
    private Path smallImage() {
        ImageBuilder b = new ImageBuilder();
        b.process();
        int n = b.node();
        b.setNumberKey(n, 4, 1, 2, 3);
        b.zeroPage();
        b.page(new byte[] {42});
        Path f = dir.resolve("small.img");
        b.write(f);
        return f;
    }

    private static void voidAll(UnsafeBuffer k) {
        for (int s = 0; s < 32; s++) {
            k.putLong(s * 16, 0);
            k.putInt(s * 16 + 8, 0);
            k.putInt(s * 16 + 12, KeyDescriptor.VOID_TAIL);
        }
    }

    private static void number(UnsafeBuffer k, int slot, int w0) {
        k.putInt(slot * 16, w0);
        k.putInt(slot * 16 + 4, 0);
        k.putInt(slot * 16 + 8, 0);
        k.putInt(slot * 16 + 12, KeyDescriptor.tail(KeyType.NUMBER, 0, 0, 0));
    }

    @Test
    void readsOfAbsentOidsAndOfTheWrongKindReturnFalse() {
        Path f = smallImage();
        try (StoreFile s = StoreFile.openReadOnly(f)) {
            assertEquals(5, s.objectCount());
            assertFalse(s.readNode(99, header, keys, 0));
            assertFalse(s.readNode(0, header, keys, 0));
            assertFalse(s.readPage(3, header, page, 0), "OID 3 is a node");
            assertFalse(s.readNode(5, header, keys, 0), "OID 5 is a page");
            assertTrue(s.isZeroPage(4));
            assertFalse(s.isZeroPage(5));
            page.setMemory(0, 4096, (byte) 7);
            assertTrue(s.readPage(4, header, page, 0));
            assertEquals(0, page.getLong(0));
            assertEquals(0, page.getLong(4088));
            assertTrue(s.readPage(5, header, page, 0));
            assertEquals(42, page.getByte(0));
        }
    }

    @Test
    void aRewrittenNodeThatFitsStaysInPlaceAndOneThatGrowsIsAppended() throws Exception {
        Path f = smallImage();
        long before = Files.size(f);
        try (StoreFile s = StoreFile.open(f)) {
            assertTrue(s.readNode(3, header, keys, 0));
            number(keys, 4, 77); // same shape: fits in place
            s.writeNode(header, keys, 0);
            assertEquals(before, s.dataEnd(), "in place: nothing appended");
            number(keys, 20, 88); // one more key: 36 bytes no longer fit the 20 reserved
            s.writeNode(header, keys, 0);
            assertEquals(before + StoreDescriptor.MAX_NODE_RECORD, s.dataEnd(), "appended with full capacity");
            number(keys, 21, 99);
            s.writeNode(header, keys, 0);
            assertEquals(before + StoreDescriptor.MAX_NODE_RECORD, s.dataEnd(), "a moved node never moves again");
        }
        assertEquals(before + StoreDescriptor.MAX_NODE_RECORD, Files.size(f), "close trims the file to its data end");
        try (StoreFile s = StoreFile.openReadOnly(f)) {
            assertTrue(s.readNode(3, header, keys, 0));
            assertEquals(77, keys.getInt(4 * 16));
            assertEquals(88, keys.getInt(20 * 16));
            assertEquals(99, keys.getInt(21 * 16));
            assertEquals(KeyDescriptor.VOID_TAIL, keys.getInt(5 * 16 + 12));
        }
        assertTrue(StoreChecker.check(f).consistent());
    }

    @Test
    void newOidsAreFreshAcrossReopeningAndNewObjectsPersist() {
        Path f = smallImage();
        long first;
        try (StoreFile s = StoreFile.open(f)) {
            first = s.newOid(ObjectSource.KIND_PAGE);
            assertEquals(6, first);
            page.setMemory(0, 4096, (byte) 0);
            page.putByte(100, (byte) 5);
            s.writePage(header.set(ObjectSource.KIND_PAGE, first, 0, 0), page, 0);
        }
        try (StoreFile s = StoreFile.open(f)) {
            assertEquals(7, s.newOid(ObjectSource.KIND_NODE));
            assertEquals(8, s.newOid(ObjectSource.KIND_NODE));
            assertTrue(s.readPage(first, header, page, 0));
            assertEquals(5, page.getByte(100));
        }
        try (StoreFile s = StoreFile.open(f)) {
            assertEquals(9, s.newOid(ObjectSource.KIND_NODE), "OIDs handed out but never written are not reused");
        }
    }

    @Test
    void newObjectsBeyondTheDirectoryCapacityRelocateTheDirectory() {
        Path f = smallImage();
        int extra = StoreDescriptor.DIRECTORY_SLACK_MIN + 500;
        long[] oids = new long[extra];
        try (StoreFile s = StoreFile.open(f)) {
            for (int i = 0; i < extra; i++) {
                oids[i] = s.newOid(ObjectSource.KIND_NODE);
            }
            // Write in reverse so that every insertion lands below existing new entries.
            for (int i = extra - 1; i >= 0; i--) {
                voidAll(keys);
                number(keys, i % 32, i);
                s.writeNode(header.set(ObjectSource.KIND_NODE, oids[i], i, i), keys, 0);
            }
            assertEquals(5 + extra, s.objectCount());
        }
        try (StoreFile s = StoreFile.openReadOnly(f)) {
            for (int i = 0; i < extra; i++) {
                assertTrue(s.readNode(oids[i], header, keys, 0));
                assertEquals(i, header.allocationCount);
                assertEquals(i, keys.getInt((i % 32) * 16));
            }
            assertTrue(s.readNode(3, header, keys, 0), "old objects still found");
            assertEquals(1, keys.getInt(4 * 16));
        }
        StoreChecker.Report r = StoreChecker.check(f);
        assertTrue(r.consistent(), () -> String.join("\n", r.findings()));
        assertEquals(5 + extra, r.objects());
    }

    /** The header's flags word, read from the file itself. */
    private static int flags(Path f) {
        try {
            byte[] b = Files.readAllBytes(f);
            int o = StoreDescriptor.FLAGS_OFFSET;
            return (b[o] & 0xFF) | (b[o + 1] & 0xFF) << 8 | (b[o + 2] & 0xFF) << 16 | (b[o + 3] & 0xFF) << 24;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void flushMakesAnOpenStoreACompleteCheckedStoreUntilTheNextWrite() {
        Path f = smallImage();
        try (StoreFile s = StoreFile.open(f)) {
            assertTrue(s.readNode(3, header, keys, 0));
            number(keys, 4, 77);
            s.writeNode(header, keys, 0);
            long oid = s.newOid(ObjectSource.KIND_NODE);
            voidAll(keys);
            number(keys, 0, 5);
            s.writeNode(header.set(ObjectSource.KIND_NODE, oid, 0, 0), keys, 0);
            s.flush();
            // Still open: a second, read-only opening checks the directory checksum (CLEAN).
            try (StoreFile r = StoreFile.openReadOnly(f)) {
                assertEquals(StoreDescriptor.FLAG_CLEAN, flags(f) & StoreDescriptor.FLAG_CLEAN);
                assertTrue(r.readNode(oid, header, keys, 0));
                assertEquals(5, keys.getInt(0));
            }
            assertTrue(StoreChecker.check(f).consistent(), StoreChecker.check(f).findings().toString());
            s.writeNode(header, keys, 0); // the next write makes it a store in use again
            try (StoreFile r = StoreFile.openReadOnly(f)) {
                assertEquals(0, flags(f) & StoreDescriptor.FLAG_CLEAN);
            }
        }
        try (StoreFile r = StoreFile.openReadOnly(f)) {
            assertEquals(StoreDescriptor.FLAG_CLEAN, flags(f) & StoreDescriptor.FLAG_CLEAN);
        }
    }

    @Test
    void aZeroPageStaysRecordlessUntilItGetsData() throws Exception {
        Path f = smallImage();
        long before = Files.size(f);
        try (StoreFile s = StoreFile.open(f)) {
            page.setMemory(0, 4096, (byte) 0);
            s.writePage(header.set(ObjectSource.KIND_PAGE, 4, 1, 0), page, 0);
            assertEquals(before, s.dataEnd());
            assertTrue(s.isZeroPage(4));
            page.putByte(4095, (byte) 1);
            s.writePage(header.set(ObjectSource.KIND_PAGE, 4, 1, 0), page, 0);
            assertEquals(before + 4096, s.dataEnd());
            assertFalse(s.isZeroPage(4));
        }
        try (StoreFile s = StoreFile.openReadOnly(f)) {
            assertTrue(s.readPage(4, header, page, 0));
            assertEquals(1, header.allocationCount);
            assertEquals(1, page.getByte(4095));
        }
    }

    @Test
    void writesThatWouldBreakTheStoreAreRejectedWithOneLine() {
        Path f = smallImage();
        try (StoreFile s = StoreFile.open(f)) {
            assertTrue(s.readNode(3, header, keys, 0));
            s.writeNode(header.set(ObjectSource.KIND_NODE, 3, 5, 0), keys, 0);
            StoreException shrink = assertThrows(StoreException.class,
                () -> s.writeNode(header.set(ObjectSource.KIND_NODE, 3, 4, 0), keys, 0));
            assertEquals(f + ": OID 3: counts only grow (stored allocation 5, call 0; written 4, 0)", shrink.getMessage());
            StoreException kind = assertThrows(StoreException.class,
                () -> s.writePage(header.set(ObjectSource.KIND_PAGE, 3, 9, 0), page, 0));
            assertEquals(f + ": OID 3 is a node, cannot write it as a page", kind.getMessage());
            keys.putInt(2 * 16 + 12, KeyDescriptor.tail(KeyType.NODE, KeyDescriptor.FLAG_PREPARED, 0, 0));
            StoreException prepared = assertThrows(StoreException.class,
                () -> s.writeNode(header.set(ObjectSource.KIND_NODE, 3, 5, 0), keys, 0));
            assertEquals(f + ": OID 3 slot 2: a prepared key cannot be written to the store (deprepare first)",
                prepared.getMessage());
        }
        StoreFile closed;
        try (StoreFile s = StoreFile.openReadOnly(f)) {
            StoreException ro = assertThrows(StoreException.class, () -> s.newOid(ObjectSource.KIND_NODE));
            assertEquals(f + ": the store is open read-only", ro.getMessage());
            closed = s;
        }
        StoreException afterClose = assertThrows(StoreException.class, () -> closed.readNode(3, header, keys, 0));
        assertEquals(f + ": the store is closed", afterClose.getMessage());
    }

    @Test
    void steadyStateReadsAndWritesAllocateNothing() {
        ImageBuilder b = new ImageBuilder();
        for (int i = 0; i < 200; i++) {
            int p = b.process();
            b.setNumberKey(b.keyRegistersNode(p), 1, i, i, i);
            b.page(new byte[] {(byte) i});
        }
        Path f = dir.resolve("alloc.img");
        b.write(f);
        int objects = b.objectCount();
        try (StoreFile s = StoreFile.open(f)) {
            Runnable loop = () -> {
                for (long oid = 1; oid <= objects; oid++) {
                    if (s.readNode(oid, header, keys, 0)) {
                        s.writeNode(header, keys, 0);
                    } else if (s.readPage(oid, header, page, 0)) {
                        s.writePage(header, page, 0);
                    }
                }
            };
            for (int i = 0; i < 200; i++) {
                loop.run();
            }
            AllocationGuard.assertSteadyStateAllocatesNothing("10 x " + objects + " store reads and writes", () -> {
                for (int i = 0; i < 10; i++) {
                    loop.run();
                }
            }, 3, 40);
        }
    }

    private static long mappingsOf(Path f) throws Exception {
        String name = f.toAbsolutePath().toString();
        return Files.readAllLines(Path.of("/proc/self/maps")).stream().filter(l -> l.endsWith(name)).count();
    }

    @Test
    void closingUnmapsTheFile() throws Exception {
        Path f = smallImage();
        for (int i = 0; i < 50; i++) {
            try (StoreFile s = StoreFile.open(f)) {
                assertTrue(mappingsOf(f) > 0, "mapped while open");
                s.newOid(ObjectSource.KIND_NODE);
            }
            try (StoreFile s = StoreFile.openReadOnly(f)) {
                s.objectCount();
            }
            StoreChecker.check(f);
            assertThrows(StoreFormatException.class, () -> {
                Path bad = dir.resolve("bad.img");
                Files.write(bad, new byte[200]);
                StoreFile.openReadOnly(bad);
            });
        }
        assertEquals(0, mappingsOf(f), "no mapping survives close (Chronicle keeps one unless released)");
        assertEquals(0, mappingsOf(dir.resolve("bad.img")), "nor a failed open");
    }
}
