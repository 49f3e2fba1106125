package org.erosim.kernel.object;

import static org.erosim.kernel.object.Fixture.FIRST_NODE;
import static org.erosim.kernel.object.Fixture.FIRST_PAGE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.erosim.kernel.abi.KeyType;
import org.erosim.kernel.abi.Restriction;
import org.erosim.kernel.testing.AllocationGuard;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Backs the 0 B/op claim of the key hot paths (kernel.md §15): after warm-up, a loop of
 * slot reads and writes, key copies and swaps, and preparations that fault nodes and pages
 * in and evict others (depreparing rings, writing dirty nodes back to the source) allocates
 * nothing on this thread.
 */
class AllocationGuardTest {
    private static final int TARGETS = 64;
    private static final int WARM_UP = 50_000;
    private static final int MEASURED = 20_000;
    private static final int CLEAN_ROUNDS = 5;
    private static final int MAX_ROUNDS = 60;

    private Fixture f;
    private int holder;
    /** Keeps the loop's results alive so the JIT cannot drop the work. */
    private long sink;

    @BeforeEach
    void setUp() {
        f = new Fixture(8, 4);
        f.putNode(FIRST_NODE, 0, 0);
        for (int t = 1; t <= TARGETS; t++) {
            f.putNode(FIRST_NODE + t, 0, 0);
            f.putPage(FIRST_PAGE + t, 0, t);
        }
        holder = f.node(FIRST_NODE);
        f.nodes.pin(holder);
    }

    @AfterEach
    void tearDown() {
        f.nodes.unpin(holder);
        f.assertConsistent();
        f.close();
    }

    private long run(int iterations) {
        Keys keys = f.keys;
        int sum = 0;
        for (int i = 0; i < iterations; i++) {
            int t = 1 + (i & (TARGETS - 1));
            int nodeKey = KeyLocation.nodeSlot(holder, 0);
            int pageKey = KeyLocation.nodeSlot(holder, 1);
            // Fresh unprepared keys each time: preparing them faults their objects in through
            // the 8-node / 4-frame cache, so most iterations evict a node and a frame.
            keys.storeObjectKey(nodeKey, KeyType.NODE, FIRST_NODE + t, 0, 0, 0);
            keys.storeObjectKey(pageKey, KeyType.PAGE, FIRST_PAGE + t, 0, Restriction.READ_ONLY, 0);
            int node = keys.prepare(nodeKey);
            sum += keys.prepare(pageKey);
            keys.copy(nodeKey, KeyLocation.nodeSlot(holder, 2 + (i & 7)), Restriction.WEAK);
            keys.copy(pageKey, KeyLocation.nodeSlot(node, i & 31), 0); // dirties the target: write-back on eviction
            keys.swap(KeyLocation.nodeSlot(holder, 2), KeyLocation.nodeSlot(holder, 3));
            keys.storeNumber(KeyLocation.nodeSlot(holder, 12), i, t, node);
            sum += keys.tailAt(KeyLocation.nodeSlot(holder, 12)) + keys.word2At(KeyLocation.nodeSlot(holder, 2));
            keys.fetchSlot(nodeKey, i & 31, KeyLocation.nodeSlot(holder, 13));
        }
        return sum;
    }

    @Test
    void keyOperationsWithFaultInAndEvictionAllocateNothingAfterWarmUp() {
        run(WARM_UP);
        long evictionsBefore = f.cache.evictions();
        long writeBacksBefore = f.cache.writeBacks();
        int rounds = AllocationGuard.assertSteadyStateAllocatesNothing("key operations with fault-in and eviction",
            () -> sink += run(MEASURED), CLEAN_ROUNDS, MAX_ROUNDS);
        long evictions = f.cache.evictions() - evictionsBefore;
        assertTrue(evictions > (long) rounds * MEASURED, "the loop must fault and evict: " + evictions);
        assertTrue(f.cache.writeBacks() - writeBacksBefore > (long) rounds * MEASURED / 2,
            "the loop must write dirty nodes back");
    }
}
