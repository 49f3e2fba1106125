package org.erosim.kernel.space;

import org.erosim.kernel.abi.FaultCode;
import org.erosim.kernel.abi.Limits;
import org.erosim.kernel.object.NodeDescriptor;

/**
 * The answer of one {@link SegmentWalker#walk}: a reusable, mutable result object (one per
 * caller, allocated once), so a walk allocates nothing.
 *
 * <p>Handles in here ({@link #frame}, {@link #keptNode}) are valid only until the next
 * object fault-in: the walker unpins the path when it returns (see {@link SegmentWalker}).
 * A caller that must keep one across a fault-in (the segment-keeper upcall keeps the red
 * segment node) pins it first.
 */
public final class WalkResult {
    /** The walk reached a page and the access is allowed. */
    public static final int TRANSLATED = 0;
    /** The walk ended in a fault: {@link #faultCode} says which. */
    public static final int FAULTED = 1;
    /**
     * An object on the path could not be brought into memory (every record pinned). Nothing
     * is translated and no fault is due: the caller retries later (a stall, never a fault).
     */
    public static final int NO_RESOURCES = 2;

    /**
     * Most key locations a walk depends on: the space key, then per node level at most two
     * slots (the slot descended through and slot 31, which makes a node red or plain).
     */
    public static final int MAX_DEPENDENCIES = 1 + 2 * Limits.MAX_WALK_DEPTH;

    int status;
    int faultCode;
    int frame;
    int pageOffset;
    int restrictions;
    int levels;
    int keptNode;
    long keptOffset;
    final int[] dependencies = new int[MAX_DEPENDENCIES];
    int dependencyCount;

    void reset() {
        status = FAULTED;
        faultCode = FaultCode.NONE;
        frame = NodeDescriptor.NONE;
        pageOffset = 0;
        restrictions = 0;
        levels = 0;
        keptNode = NodeDescriptor.NONE;
        keptOffset = 0;
        dependencyCount = 0;
    }

    /** {@link #TRANSLATED}, {@link #FAULTED} or {@link #NO_RESOURCES}. */
    public int status() {
        return status;
    }

    public boolean translated() {
        return status == TRANSLATED;
    }

    /** The fault code ({@code FaultCode}) when {@link #FAULTED}; NONE otherwise. */
    public int faultCode() {
        return faultCode;
    }

    /** Frame-table index of the page reached (TRANSLATED, and for ACCESS_VIOLATION); NONE otherwise. */
    public int frame() {
        return frame;
    }

    /** Offset of the translated byte within its page. */
    public int pageOffset() {
        return pageOffset;
    }

    /** Restrictions accumulated along the walk up to where it ended. */
    public int restrictions() {
        return restrictions;
    }

    /** Node levels traversed (background hops included). */
    public int levels() {
        return levels;
    }

    /**
     * For a fault: node-table index of the innermost kept red segment on the walk (its keeper
     * slot holds a start key and no key above it, nor the key naming it, is no-call); NONE
     * if there is none, or for a translation.
     */
    public int keptNode() {
        return keptNode;
    }

    /** The offset of the faulting address within {@link #keptNode} (0..2^32-1). */
    public long keptOffset() {
        return keptOffset;
    }

    public int dependencyCount() {
        return dependencyCount;
    }

    /** The {@code i}th key location the translation depends on (KeyLocation encoding). */
    public int dependency(int i) {
        return dependencies[i];
    }

    void depend(int location) {
        dependencies[dependencyCount++] = location;
    }
}
