package org.erosim.kernel.abi;

/**
 * Restriction bits ({@code abi.md} §2), the 5-bit restrictions field of a key's tail.
 * Restrictions only accumulate: every operation that derives a key ORs them in.
 */
public final class Restriction {
    public static final int READ_ONLY = 1;
    public static final int NO_CALL = 2;
    public static final int WEAK = 4;
    public static final int OPAQUE = 8;
    /** Every defined bit. */
    public static final int ALL = READ_ONLY | NO_CALL | WEAK | OPAQUE;

    private Restriction() {
    }

    /** What a key fetched through a weak key becomes: weak keys make weak, read-only keys. */
    public static int diminished(int restrictions) {
        return restrictions | WEAK | READ_ONLY;
    }
}
