package org.erosim.kernel.object;

/**
 * The persistent header of one object as it crosses between the object cache and an
 * {@link ObjectSource}: a reusable holder (the caller owns it; nothing keeps a reference),
 * so faulting objects in and writing them back allocates nothing.
 */
public final class ObjectHeader {
    /** {@link ObjectSource#KIND_NODE} or {@link ObjectSource#KIND_PAGE}. */
    public int kind;
    public long oid;
    /** Allocation count: bumped by rescind; keys with a smaller count are void. Only grows. */
    public int allocationCount;
    /** Call count (nodes only): resume keys to a process carry its root node's call count. */
    public int callCount;

    public ObjectHeader set(int kind, long oid, int allocationCount, int callCount) {
        this.kind = kind;
        this.oid = oid;
        this.allocationCount = allocationCount;
        this.callCount = callCount;
        return this;
    }
}
