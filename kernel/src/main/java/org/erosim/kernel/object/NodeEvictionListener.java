package org.erosim.kernel.object;

/**
 * Told when a node leaves memory ({@link ObjectCache#evict}), after its keys were deprepared
 * and its stall queue woken, before its record is freed: whatever holds the node's
 * node-table index (queued posts gated on a red segment, kernel.md §11) must let go of it.
 * Must not allocate and must not touch the object cache.
 */
@FunctionalInterface
public interface NodeEvictionListener {
    NodeEvictionListener NONE = node -> { };

    void nodeEvicted(int node);
}
