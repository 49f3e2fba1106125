package org.erosim.kernel.object;

/**
 * Wakes the activities queued on an object that is leaving memory (kernel.md §6, §12: an
 * evicted node's stall queue is woken; sleepers retry, which is harmless by design). Issue 5
 * plugs the scheduler in; until then nothing ever stalls and the default does nothing.
 * Called with the queue's head and tail activity handles, never with an empty queue; the
 * cache forgets the queue afterwards. Must not touch the object cache.
 */
@FunctionalInterface
public interface StallQueueWaker {
    StallQueueWaker NONE = (head, tail) -> { };

    void wakeAll(int head, int tail);
}
