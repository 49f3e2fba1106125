package org.erosim.kernel.abi;

/** The invType byte of an invocation descriptor ({@code abi.md} §1). */
public final class InvocationType {
    public static final int RETURN = 0;
    public static final int PRETURN = 1;
    public static final int CALL = 2;
    public static final int PCALL = 3;
    public static final int SEND = 4;
    public static final int PSEND = 5;
    public static final int QPOST = 6;

    private InvocationType() {
    }

    public static boolean isValid(int type) {
        return type >= RETURN && type <= QPOST;
    }
}
