package org.erosim.kernel.post;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.erosim.kernel.abi.ResultCode;
import org.junit.jupiter.api.Test;

/** The post pool's free list and its per-gate lists (kernel.md §11). */
class PostTableTest {
    private static final int GATE = 2;

    private static List<Integer> gated(PostTable t, int node) {
        List<Integer> out = new ArrayList<>();
        for (int p = t.firstGated(node); p != PostDescriptor.NONE; p = t.nextGated(p)) {
            out.add(p);
        }
        return out;
    }

    @Test
    void freeingAGatedPostUnlinksItWhereverItIsOnItsGatesList() {
        PostTable t = new PostTable(4, 8);
        int a = t.allocate();
        int b = t.allocate();
        int c = t.allocate();
        t.gate(a, GATE);
        t.gate(b, GATE);
        t.gate(c, GATE);
        assertEquals(List.of(a, b, c), gated(t, GATE), "oldest first: an eviction fires them in queue order");
        assertEquals(c, t.lastGated(GATE));
        assertEquals(b, t.previousGated(c));

        t.free(b); // the middle
        assertEquals(List.of(a, c), gated(t, GATE));
        assertEquals(PostDescriptor.NONE, t.gateNode(b));
        assertEquals(a, t.previousGated(c));
        t.free(a); // the head
        assertEquals(List.of(c), gated(t, GATE));
        assertEquals(c, t.lastGated(GATE));
        t.free(c); // the last
        assertEquals(List.of(), gated(t, GATE));
        assertEquals(PostDescriptor.NONE, t.lastGated(GATE));
        assertEquals(0, t.inUse());
        assertFalse(t.isInUse(a));
    }

    @Test
    void ungateThenFreeAndFreeingTwice() {
        PostTable t = new PostTable(2, 8);
        int a = t.allocate();
        int b = t.allocate();
        assertEquals(ResultCode.NO_RESOURCES, t.allocate(), "the pool never grows");
        t.gate(a, GATE);
        t.gate(b, GATE);
        t.ungate(a);
        t.ungate(a); // not gated: nothing happens
        assertEquals(List.of(b), gated(t, GATE));
        assertEquals(b, t.lastGated(GATE));
        t.free(a);
        assertEquals(List.of(b), gated(t, GATE), "freeing an ungated post leaves the list alone");
        assertThrows(IllegalStateException.class, () -> t.free(a));
        int again = t.allocate();
        assertEquals(a, again, "a freed record is the next allocated");
        assertTrue(t.isInUse(again));
        assertEquals(PostDescriptor.NONE, t.gateNode(again));
        assertEquals(List.of(b), gated(t, GATE));
    }
}
