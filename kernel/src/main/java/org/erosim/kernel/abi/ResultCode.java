package org.erosim.kernel.abi;

/** Result codes in w0 of a reply ({@code abi.md} §3). */
public final class ResultCode {
    public static final int OK = 0;
    public static final int VOID = 0x80000001;
    public static final int UNKNOWN_REQUEST = 0x80000002;
    public static final int REQUEST_ERROR = 0x80000003;
    public static final int NO_ACCESS = 0x80000004;
    public static final int NO_RESOURCES = 0x80000005;
    public static final int RESTART = 0x80000006;

    private ResultCode() {
    }
}
