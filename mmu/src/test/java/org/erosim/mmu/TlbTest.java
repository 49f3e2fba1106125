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

    // ------------------------------------------------------------------ address-space tagging

    /** Directories whose salts differ, so the same linear page sits at different indices. */
    private static final int DIR_A = 0x00100000;
    private static final int DIR_B = 0x00101000;

    private static Tlb tagged(int directory) {
        Tlb t = new Tlb();
        t.flush();
        t.setDirectory(directory, true);
        return t;
    }

    /** Enters {@code linear} for reads and writes as the MMU's fill would (user set). */
    private static int enter(Tlb t, int linear) {
        int i = t.slot(linear, true);
        t.readTag[i] = Tlb.tagOf(t.readGen, linear);
        t.writeTag[i] = Tlb.tagOf(t.writeGen, linear);
        return i;
    }

    private static boolean hits(Tlb t, int linear) {
        return t.readTag[t.slot(linear, true)] == Tlb.tagOf(t.readGen, linear);
    }

    @Test
    void aSpaceSwitchKeepsEachSpacesEntriesApartAndRestoresThem() {
        Tlb t = tagged(DIR_A);
        assertNotEquals(t.slot(0x10000, true), tagged(DIR_B).slot(0x10000, true), "salts differ");
        enter(t, 0x10000);
        long epochA = t.epoch;
        t.switchSpace(DIR_B);
        assertFalse(hits(t, 0x10000), "B does not see A's page");
        assertNotEquals(epochA, t.epoch, "block links made in A are not valid in B");
        enter(t, 0x10000); // B's own page at the same linear address, at another index
        t.switchSpace(DIR_A);
        assertTrue(hits(t, 0x10000), "A's entry survived B");
        assertEquals(epochA, t.epoch, "A's block links are valid again");
        t.switchSpace(DIR_B);
        assertTrue(hits(t, 0x10000), "and B's survived A");
        assertEquals(1, t.flushCount(), "no flush since the one at the start");
        assertEquals(3, t.spaceSwitches());
    }

    @Test
    void aSpaceSwitchStillFlushesTheCostModelsTlb() {
        Tlb t = tagged(DIR_A);
        assertTrue(t.modelWalk(0x10000, true));
        t.switchSpace(DIR_B);
        t.switchSpace(DIR_A);
        assertTrue(t.modelWalk(0x10000, true), "hardware without PCIDs flushes on every CR3 load");
    }

    @Test
    void invalidatingAPageInOneSpaceForgetsEveryOtherSpace() {
        Tlb t = tagged(DIR_A);
        enter(t, 0x10000);
        enter(t, 0x20000);
        long epochA = t.epoch;
        t.switchSpace(DIR_B);
        t.invalidatePage(0x10000); // the host took a translation of A away while B runs
        t.switchSpace(DIR_A);
        assertFalse(hits(t, 0x10000), "the invalidated page is gone");
        assertFalse(hits(t, 0x20000), "and A's other entries with it (forgotten, never stale)");
        assertNotEquals(epochA, t.epoch, "A's old block links are not trusted");
    }

    @Test
    void aFlushOrRevokedWritesForgetEverySpace() {
        Tlb t = tagged(DIR_A);
        int i = enter(t, 0x10000);
        t.switchSpace(DIR_B);
        t.flush();
        t.switchSpace(DIR_A);
        assertFalse(hits(t, 0x10000), "a flush reaches saved spaces");

        enter(t, 0x10000);
        t.switchSpace(DIR_B);
        t.flushWrites(); // a page of some space became code
        t.switchSpace(DIR_A);
        i = t.slot(0x10000, true);
        assertNotEquals(Tlb.tagOf(t.writeGen, 0x10000), t.writeTag[i], "no fast write survives in a saved space");
    }

    @Test
    void aForgottenSpaceNeverGetsItsGenerationsBack() {
        Tlb t = tagged(DIR_A);
        java.util.Set<Long> seen = new java.util.HashSet<>();
        int current = DIR_A;
        for (int k = 0; k < 1000; k++) {
            assertTrue(seen.add(t.readGen), "read generation handed out twice");
            assertTrue(seen.add(t.writeGen), "write generation handed out twice");
            if (k % 3 == 0) {
                t.flush();
            } else {
                t.invalidatePage(k << 12); // forgets the saved space we switch to next
                current = current == DIR_A ? DIR_B : DIR_A;
                t.switchSpace(current);
            }
        }
    }

    @Test
    void withoutTaggingTheSaltIsZero() {
        Tlb t = new Tlb();
        t.flush();
        t.setDirectory(DIR_A, false);
        assertEquals(Tlb.index(0x10000, true), t.slot(0x10000, true));
    }
}
