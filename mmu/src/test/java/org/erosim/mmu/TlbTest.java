package org.erosim.mmu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TlbTest {
    @Test
    void flushInvalidatesEveryTagInConstantTime() {
        Tlb t = new Tlb();
        int i = Tlb.index(0x12345000, false);
        t.readTag[i] = Tlb.tagOf(t.readGen, 0x12345000);
        t.writeTag[i] = Tlb.tagOf(t.writeGen, 0x12345000);
        long epoch = t.epoch;
        t.flush();
        assertNotEquals(Tlb.tagOf(t.readGen, 0x12345000), t.readTag[i]);
        assertNotEquals(Tlb.tagOf(t.writeGen, 0x12345000), t.writeTag[i]);
        assertTrue(t.epoch > epoch, "whoever caches translations must see the flush");
        assertEquals(1, t.flushCount());
    }

    @Test
    void flushWritesKeepsReadsAndRevokesWrites() {
        Tlb t = new Tlb();
        int i = Tlb.index(0x5000, true);
        assertEquals(Tlb.USER_SET + 5, i);
        t.readTag[i] = Tlb.tagOf(t.readGen, 0x5000);
        t.writeTag[i] = Tlb.tagOf(t.writeGen, 0x5000);
        t.flushWrites();
        assertEquals(Tlb.tagOf(t.readGen, 0x5000), t.readTag[i]);
        assertNotEquals(Tlb.tagOf(t.writeGen, 0x5000), t.writeTag[i]);
    }

    @Test
    void invalidatePageForgetsBothPrivilegeSets() {
        Tlb t = new Tlb();
        for (boolean user : new boolean[] {false, true}) {
            int i = Tlb.index(0x7000, user);
            t.readTag[i] = Tlb.tagOf(t.readGen, 0x7000);
            t.writeTag[i] = Tlb.tagOf(t.writeGen, 0x7000);
        }
        t.invalidatePage(0x7123);
        for (boolean user : new boolean[] {false, true}) {
            int i = Tlb.index(0x7000, user);
            assertEquals(Tlb.INVALID, t.readTag[i]);
            assertEquals(Tlb.INVALID, t.writeTag[i]);
        }
    }

    @Test
    void costModelChargesOneWalkPerPageAndPrivilegeUntilAnArchitecturalFlush() {
        Tlb t = new Tlb();
        assertTrue(t.modelWalk(0x40001234, false), "first access walks");
        assertFalse(t.modelWalk(0x40001FFC, false), "same page, same privilege: cached");
        assertTrue(t.modelWalk(0x40001000, true), "the user set is separate");
        // host-side events do not touch the model: write revocation when a page becomes code
        t.flushWrites();
        assertFalse(t.modelWalk(0x40001000, false));
        // a conflicting page evicts the model entry, as in a direct-mapped TLB
        assertTrue(t.modelWalk(0x40001000 + (Tlb.SIZE << 12), false));
        assertTrue(t.modelWalk(0x40001000, false));
        // INVLPG and CR3 loads do
        t.invalidatePage(0x40001000);
        assertTrue(t.modelWalk(0x40001000, false));
        t.flush();
        assertTrue(t.modelWalk(0x40001000, false));
        assertTrue(t.modelWalk(0x40001000, true));
    }
}
