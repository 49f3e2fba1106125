package org.erosim.mmu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PhysicalMemoryTest {
    /** A device range that ends inside a page leaves the rest of the page RAM for reads too. */
    @Test
    void ramBesideADeviceOnTheSamePageReadsBackWhatWasWritten() {
        try (PhysicalMemory mem = new PhysicalMemory(1 << 20)) {
            mem.mapMmio(0xA0000, 0x800, new MmioHandler() {
                @Override
                public int read(long pa, int size) {
                    return 0x11;
                }

                @Override
                public void write(long pa, int size, int value) {
                }
            });
            mem.write8(0xA0900, 0x5A);
            mem.write32(0xA0A00, 0x12345678);
            assertEquals(0x5A, mem.read8(0xA0900));
            assertEquals(0x12345678, mem.read32(0xA0A00));
            assertEquals(0x11, mem.read8(0xA07FF));
        }
    }

    /**
     * A host write through a RAM view, reported with hostWritten, reaches the code listener
     * for exactly the code pages it covers (each part within its page), as writeBytes would.
     */
    @Test
    void hostWrittenReportsTheCodePagesOfTheRangeToTheCodeListener() {
        try (PhysicalMemory mem = new PhysicalMemory(16 * PhysicalMemory.PAGE_SIZE)) {
            List<long[]> seen = new ArrayList<>();
            mem.setCodeWriteListener((pa, length) -> seen.add(new long[] {pa, length}));
            mem.markCode(0x3000);
            mem.markCode(0x5000);
            mem.ramView(0x2800, 0x2000).setMemory(0, 0x2000, (byte) 0x90);
            assertEquals(0, seen.size(), "a view write alone is not seen");
            mem.hostWritten(0x2800, 0x2000); // 0x2800..0x4800: code page 0x3000 only
            assertEquals(1, seen.size());
            assertEquals(0x3000, seen.get(0)[0]);
            assertEquals(0x1000, seen.get(0)[1]);
            mem.hostWritten(0x5100, 0x10);
            assertEquals(0x5100, seen.get(1)[0]);
            assertEquals(0x10, seen.get(1)[1]);
            mem.zero(0x3ff0, 0x20); // zero reports through the same path
            assertEquals(0x3ff0, seen.get(2)[0]);
            assertEquals(0x10, seen.get(2)[1]);
            assertEquals(3, seen.size());
        }
    }

    /**
     * A bulk read returns what read8 returns byte by byte, across page boundaries: RAM
     * pages are copied whole, a page shared with a device and open bus go byte by byte.
     */
    @Test
    void bulkReadAgreesWithByteReadsAcrossRamDevicePagesAndOpenBus() {
        long ram = 1 << 20;
        try (PhysicalMemory mem = new PhysicalMemory(ram)) {
            mem.mapMmio(0xA0000, 0x800, new MmioHandler() {
                @Override
                public int read(long pa, int size) {
                    return (int) (pa * 7);
                }

                @Override
                public void write(long pa, int size, int value) {
                }
            });
            for (long pa = 0x9F000; pa < 0xA2000; pa += 4) {
                mem.write32(pa, (int) (pa * 0x9E3779B9L));
            }
            for (long pa = ram - 0x1000; pa < ram; pa += 4) {
                mem.write32(pa, (int) (pa * 31));
            }
            long[] starts = {0x9FFF0, 0x9F000, 0xA07F0, 0xA0FF8, ram - 0x10, 0x9FF00};
            int[] lengths = {0x20, 0x3000, 0x20, 0x10, 0x40, 0x300};
            for (int t = 0; t < starts.length; t++) {
                byte[] bulk = new byte[lengths[t] + 2];
                mem.readBytes(starts[t], bulk, 1, lengths[t]);
                for (int i = 0; i < lengths[t]; i++) {
                    assertEquals((byte) mem.read8(starts[t] + i), bulk[1 + i], "byte at 0x" + Long.toHexString(starts[t] + i));
                }
                assertEquals(0, bulk[0]);
                assertEquals(0, bulk[bulk.length - 1]);
            }
        }
    }
}
