package org.erosim.kernel.cost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/**
 * Backs kernel.md §15 for the cost model: charging (every step of a CALL and RETURN, a
 * string, a wakeup batch) allocates nothing on this thread after warm-up. The pattern of
 * kernel/object/AllocationGuardTest: the thread's allocated bytes before and after a
 * measured loop, retried a bounded number of times to ride out JIT compilation.
 */
class CostAccountAllocationTest {
    private static final int WARM_UP = 50_000;
    private static final int MEASURED = 20_000;
    private static final int CLEAN_ROUNDS = 3;
    private static final int MAX_ROUNDS = 40;

    private final com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private long sink;

    private static long round(CostAccount a, int iterations) {
        long sum = 0;
        for (int i = 0; i < iterations; i++) {
            sum += NullRoundTripTest.call(a);
            NullRoundTripTest.ret(a);
            sum += a.chargeString(i & 0xFFFF);
            sum += a.charge(CostModel.WAKEUP_PER_SLEEPER, i & 7);
            sum += a.charge(CostModel.STALL_ENQUEUE) + a.charge(CostModel.POST_FIRE) + a.model().cost(i % CostModel.COUNT);
        }
        return sum;
    }

    @Test
    void chargingAllocatesNothingAfterWarmUp() {
        assertTrue(threads.isThreadAllocatedMemorySupported());
        threads.setThreadAllocatedMemoryEnabled(true);
        CostAccount a = new CostAccount(CostModel.defaults());
        sink += round(a, WARM_UP);
        long thread = Thread.currentThread().getId();
        int clean = 0;
        long lastAllocated = -1;
        for (int r = 0; r < MAX_ROUNDS && clean < CLEAN_ROUNDS; r++) {
            long before = threads.getThreadAllocatedBytes(thread);
            sink += round(a, MEASURED);
            lastAllocated = threads.getThreadAllocatedBytes(thread) - before;
            clean = lastAllocated == 0 ? clean + 1 : 0;
        }
        assertEquals(CLEAN_ROUNDS, clean, "last round allocated " + lastAllocated + " bytes");
        assertTrue(sink != 0 && a.total() > 0);
    }
}
