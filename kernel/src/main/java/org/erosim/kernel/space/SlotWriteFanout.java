package org.erosim.kernel.space;

import org.erosim.kernel.object.SlotWriteListener;

/**
 * Lets several subsystems hear {@code Keys}' single {@link SlotWriteListener}: address-space
 * invalidation ({@link PageTableCache}) now, keeper rewake (issue 6) later. Listeners are
 * called in the order they were added; the set is fixed before the kernel runs (adding is
 * not a hot-path operation). Keys' contract is unchanged: each listener must not allocate
 * and must not write keys.
 */
public final class SlotWriteFanout implements SlotWriteListener {
    private final SlotWriteListener[] listeners;
    private int count;

    public SlotWriteFanout(int capacity) {
        listeners = new SlotWriteListener[capacity];
    }

    public SlotWriteFanout add(SlotWriteListener listener) {
        if (count == listeners.length) {
            throw new IllegalStateException("slot-write fan-out full (" + count + " listeners)");
        }
        listeners[count++] = listener;
        return this;
    }

    public int size() {
        return count;
    }

    @Override
    public void slotWritten(int location, int oldTail, long oldBody01, int oldBody2, int newTail, int cause) {
        for (int i = 0; i < count; i++) {
            listeners[i].slotWritten(location, oldTail, oldBody01, oldBody2, newTail, cause);
        }
    }
}
