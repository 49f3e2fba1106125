package org.erosim.kernel.abi;

/** Order codes of the kernel-implemented keys ({@code abi.md} §4), named KEY_ORDER. */
public final class OrderCode {
    /** Every non-void key answers it with OK and w1 = key type. */
    public static final int GET_TYPE = 0x80000000;

    public static final int NUMBER_GET = 0;

    public static final int NODE_COPY_SLOT = 0;
    public static final int NODE_SWAP_SLOT = 1;
    public static final int NODE_WRITE_NUMBER = 2;
    public static final int NODE_CLEAR = 3;
    public static final int NODE_MAKE_SEGMENT_KEY = 4;
    /** Also the REDUCE order of segment and page keys. */
    public static final int REDUCE = 5;

    public static final int PAGE_ZERO = 0;
    public static final int PAGE_CLONE = 1;

    public static final int PROCESS_COPY_SLOT = 0;
    public static final int PROCESS_SWAP_SLOT = 1;
    public static final int PROCESS_COPY_KEYREG = 2;
    public static final int PROCESS_SWAP_KEYREG = 3;
    public static final int PROCESS_MAKE_START_KEY = 4;
    public static final int PROCESS_MAKE_RESUME_KEY = 5;
    public static final int PROCESS_GET_REGS = 6;
    public static final int PROCESS_SET_REGS = 7;
    public static final int PROCESS_GET_STATE = 8;

    public static final int RANGE_NEW_NODE = 0;
    public static final int RANGE_NEW_PAGE = 1;
    public static final int RANGE_NEW_PROCESS = 2;
    public static final int RANGE_RESCIND = 3;
    public static final int RANGE_MAKE_NUMBER = 4;

    public static final int DISCRIM_CLASSIFY = 0;
    public static final int DISCRIM_COMPARE = 1;

    public static final int SLEEP_FOR = 0;
    public static final int CONSOLE_WRITE = 0;

    public static final int SYSTRACE_MARK = 0;
    public static final int SYSTRACE_READ_COUNTERS = 1;
    public static final int SYSTRACE_RESET_COUNTERS = 2;
    public static final int SYSTRACE_STOP_RUN = 3;

    public static final int CHECKPOINT_TAKE = 0;

    private OrderCode() {
    }
}
