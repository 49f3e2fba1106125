package org.erosim.kernel.abi;

/**
 * Key type codes ({@code abi.md} §2), the 8-bit type field of a key's tail. Codes 0-5 are
 * object keys: they name a node, page or process by OID and need preparation before use.
 */
public final class KeyType {
    public static final int START = 0;
    public static final int RESUME = 1;
    public static final int PROCESS = 2;
    public static final int SEGMENT = 3;
    public static final int NODE = 4;
    public static final int PAGE = 5;
    public static final int NUMBER = 6;
    public static final int VOID = 7;
    public static final int RANGE = 8;
    public static final int DISCRIM = 9;
    public static final int SCHED = 10;
    public static final int SLEEP = 11;
    public static final int CONSOLE = 12;
    public static final int SYSTRACE = 13;
    public static final int CHECKPOINT = 14;
    /** One past the highest defined code. */
    public static final int COUNT = 15;

    private static final String[] NAMES = {
        "start", "resume", "process", "segment", "node", "page", "number", "void", "range",
        "discrim", "sched", "sleep", "console", "systrace", "checkpoint"};

    private KeyType() {
    }

    /** Object keys (start, resume, process, segment, node, page) carry an OID and a count. */
    public static boolean isObjectKey(int type) {
        return type >= START && type <= PAGE;
    }

    /** Keys whose object is a process (prepared against the process, counted by its root node). */
    public static boolean namesProcess(int type) {
        return type == START || type == RESUME || type == PROCESS;
    }

    /** Keys whose object is a node (segment keys name the segment's root node). */
    public static boolean namesNode(int type) {
        return type == SEGMENT || type == NODE;
    }

    public static boolean isValid(int type) {
        return type >= 0 && type < COUNT;
    }

    /** Lower-case name as used by the image language and reports ("start", "void", ...). */
    public static String name(int type) {
        return isValid(type) ? NAMES[type] : "type" + type;
    }

    /** The code for a lower-case name, or -1. */
    public static int byName(String name) {
        for (int i = 0; i < NAMES.length; i++) {
            if (NAMES[i].equals(name)) {
                return i;
            }
        }
        return -1;
    }
}
