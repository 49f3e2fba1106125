package org.erosim.kernel.store;

import java.nio.file.Files;
import java.nio.file.Path;

import org.agrona.concurrent.UnsafeBuffer;
import org.erosim.kernel.image.ImageBuilder;
import org.erosim.kernel.image.ImageException;
import org.erosim.kernel.object.ObjectHeader;
import org.erosim.kernel.object.ObjectSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.erosim.kernel.store.StoreDescriptor.*;
import static org.junit.jupiter.api.Assertions.*;

class StoreWriterTest {
    @TempDir
    Path dir;

    @Test
    void oidsMustStrictlyIncrease() {
        Path f = dir.resolve("w.img");
        try (StoreWriter w = StoreWriter.create(f, 3)) {
            w.addZeroPage(5, 0);
            StoreException e = assertThrows(StoreException.class, () -> w.addZeroPage(5, 0));
            assertEquals(f + ": OID 5 added after OID 5 (OIDs must be positive and strictly increasing)", e.getMessage());
        }
        assertFalse(Files.exists(f), "an unfinished store is removed, never left looking valid");
    }

    @Test
    void finishingWithFewerObjectsThanAnnouncedIsRefused() {
        Path f = dir.resolve("w.img");
        try (StoreWriter w = StoreWriter.create(f, 2)) {
            w.addZeroPage(1, 0);
            StoreException e = assertThrows(StoreException.class, w::finish);
            assertEquals(f + ": 1 objects added, 2 announced", e.getMessage());
        }
    }

    @Test
    void anEmptyStoreIsValidAndGrows() {
        Path f = dir.resolve("empty.img");
        try (StoreWriter w = StoreWriter.create(f, 0)) {
            w.finish();
        }
        try (StoreFile s = StoreFile.open(f)) {
            assertEquals(0, s.objectCount());
            assertEquals(1, s.newOid(ObjectSource.KIND_PAGE));
            UnsafeBuffer page = new UnsafeBuffer(new byte[4096]);
            page.putInt(0, 17);
            s.writePage(new ObjectHeader().set(ObjectSource.KIND_PAGE, 1, 0, 0), page, 0);
        }
        assertTrue(StoreChecker.check(f).consistent());
    }

    @Test
    void aWriterThatOutgrowsItsEstimateRemapsAndStaysCorrect() {
        Path f = dir.resolve("grow.img");
        UnsafeBuffer page = new UnsafeBuffer(new byte[4096]);
        int pages = 600; // 2.4 MB of records, estimate 1 MiB
        try (StoreWriter w = StoreWriter.create(f, pages)) {
            for (int i = 0; i < pages; i++) {
                page.putInt(0, i);
                w.addPage(i + 1, 0, page, 0);
            }
            w.finish();
        }
        try (StoreFile s = StoreFile.openReadOnly(f)) {
            ObjectHeader h = new ObjectHeader();
            for (int i = 0; i < pages; i++) {
                assertTrue(s.readPage(i + 1, h, page, 0));
                assertEquals(i, page.getInt(0));
            }
        }
    }

    @Test
    void aStoreThatWasNotClosedOpensWithoutTheDirectoryChecksum() throws Exception {
        ImageBuilder b = new ImageBuilder();
        b.process();
        Path f = dir.resolve("crashed.img");
        b.write(f);
        StoreBytes s = new StoreBytes(f);
        s.buf.putInt(FLAGS_OFFSET, 0);
        s.buf.putInt(DIRECTORY_CRC_OFFSET, 12345); // stale, as after a crash
        s.save(false);
        StoreBytes sealed = new StoreBytes(f);
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(sealed.buf.array(), 0, HEADER_CRC_OFFSET);
        sealed.buf.putInt(HEADER_CRC_OFFSET, (int) crc.getValue());
        Files.write(f, sealed.buf.array());
        try (StoreFile store = StoreFile.openReadOnly(f)) {
            assertEquals(2, store.objectCount());
        }
        assertTrue(StoreChecker.check(f).consistent());
    }

    @Test
    void theBuilderReportsAnUnwritablePathInOneLine() {
        ImageBuilder b = new ImageBuilder();
        b.node();
        Path f = dir.resolve("no/such/dir/x.img");
        ImageException e = assertThrows(ImageException.class, () -> b.write(f));
        assertTrue(e.getMessage().startsWith(f + ": cannot map the file: "), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }
}
