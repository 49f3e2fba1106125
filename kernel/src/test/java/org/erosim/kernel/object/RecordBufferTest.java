package org.erosim.kernel.object;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/**
 * RecordBuffer's accessors agree with Agrona's over the same memory, in whichever mode the
 * JVM runs (the kernel suite runs twice: checked, and raw as benchmarks do, see kernel/pom.xml).
 */
class RecordBufferTest {
    @Test
    void intsAndLongsLandWhereAgronaReadsThemAndBackInBothDirections() {
        RecordBuffer records = new RecordBuffer(256);
        UnsafeBuffer view = new UnsafeBuffer(records.addressOffset(), 256);
        assertEquals(0, records.addressOffset() & 63, "64-byte aligned");
        for (int i = 0; i < 256; i += 4) {
            assertEquals(0, records.getInt(i), "zeroed at " + i);
        }
        records.putInt(4, 0x12345678);
        records.putLong(8, 0x1122334455667788L);
        assertEquals(0x12345678, view.getInt(4));
        assertEquals(0x1122334455667788L, view.getLong(8));
        view.putInt(248, -7);
        view.putLong(240, Long.MIN_VALUE);
        assertEquals(-7, records.getInt(248));
        assertEquals(Long.MIN_VALUE, records.getLong(240));
        assertEquals(0x55667788, records.getInt(8), "native order, as Agrona's accessors");
    }

    @Test
    void aViewOfExistingMemoryAddressesThatMemory() {
        RecordBuffer owner = new RecordBuffer(128);
        RecordBuffer view = new RecordBuffer(owner.addressOffset() + 64, 64);
        view.putInt(0, 42);
        assertEquals(42, owner.getInt(64));
    }

    @Test
    void theModeFollowsAgronasPropertyAndCheckedModeRefusesAccessesOutside() {
        assertEquals("true".equals(System.getProperty("agrona.disable.bounds.checks")), RecordBuffer.RAW);
        RecordBuffer records = new RecordBuffer(64);
        if (!RecordBuffer.RAW) {
            assertThrows(IndexOutOfBoundsException.class, () -> records.getInt(61));
            assertThrows(IndexOutOfBoundsException.class, () -> records.putLong(60, 1L));
        }
    }
}
