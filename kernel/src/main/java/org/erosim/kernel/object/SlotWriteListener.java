package org.erosim.kernel.object;

/**
 * Told about every change of a key at a {@link KeyLocation}: {@link Keys#store} is the one
 * path all key writes take, and it calls this after the write. Issue 5 (address-space
 * invalidation: a mapping built from a slot dies when the slot changes, including when the
 * key in it is deprepared because its page leaves memory) and issue 6 (keeper rewake: the
 * old key of a red segment's keeper slot was a start key) plug in here.
 *
 * <p>The old key is passed by value because it is gone when this is called; the new key is
 * at {@code location}. For a prepared old key {@code oldBody2} is the handle of its object
 * and {@code oldBody01} its (stale) ring links; for an unprepared one they are count and OID.
 * Implementations must not allocate and must not write keys (no re-entrancy).
 */
public interface SlotWriteListener {
    /** A semantic write: copy, swap, write of a number key, clear. Marks the owner dirty. */
    int CAUSE_WRITE = 0;
    /** The key became void by revocation: rescind, or a count mismatch found by preparation. */
    int CAUSE_VOID = 1;
    /** Representation only: the key was prepared (linked into its object's ring). */
    int CAUSE_PREPARE = 2;
    /** Representation only: the key was deprepared (its object is leaving memory). */
    int CAUSE_DEPREPARE = 3;

    SlotWriteListener NONE = (location, oldTail, oldBody01, oldBody2, newTail, cause) -> { };

    void slotWritten(int location, int oldTail, long oldBody01, int oldBody2, int newTail, int cause);
}
