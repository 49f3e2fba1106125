package org.erosim.mmu;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
}
