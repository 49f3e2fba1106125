package org.erosim.kernel.cost;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * The named costs of the kernel's trap and invocation path, in emulated cycles
 * ({@code kernel.md} §14). Immutable; hot paths read the public final fields (or {@link
 * #cost(int)} by id), never a map.
 *
 * <p>Defaults come from {@code costs-pentium.properties} next to this class, which must set
 * every cost exactly once. An override file ({@link #withOverrides}) uses the same format
 * and names and may set any subset.
 *
 * <p>File format: one {@code name = cycles} per line; blank lines and lines whose first
 * non-blank character is {@code #} are ignored; cycles is a non-negative decimal integer
 * that fits an int. Unknown names, a name set twice in one file, a missing {@code =}, and
 * values that are not non-negative integers are {@link CostModelException}s reading
 * {@code FILE:LINE: message}. (The CPU's {@code CycleTable} reads its file with {@code
 * java.util.Properties}, which cannot report lines or duplicates; rather than change its
 * behaviour, this parser is separate and small.)
 */
public final class CostModel {
    // Cost ids: indexes of NAMES, of the per-step counters of CostAccount, and the order of
    // the breakdown. The defaults file lists them in the same order.
    public static final int TRAP_ENTRY = 0;
    public static final int INVOCATION_DECODE = 1;
    public static final int KEY_PREPARE = 2;
    public static final int GATE_CHECK = 3;
    public static final int STALL_ENQUEUE = 4;
    public static final int WORD_COPY = 5;
    public static final int STRING_COPY_PER_16_BYTES = 6;
    public static final int KEY_COPY = 7;
    public static final int RESUME_FABRICATE = 8;
    public static final int RESUME_CONSUME = 9;
    public static final int CONTEXT_SWITCH = 10;
    public static final int ADDRESS_SPACE_SWITCH = 11;
    public static final int TLB_REFILL = 12;
    public static final int TRAP_EXIT = 13;
    public static final int WAKEUP_PER_SLEEPER = 14;
    public static final int POST_FIRE = 15;
    public static final int KERNEL_KEY_INVOKE = 16;
    /** Number of named costs. */
    public static final int COUNT = 17;

    private static final String[] NAMES = {
        "trap_entry", "invocation_decode", "key_prepare", "gate_check", "stall_enqueue", "word_copy",
        "string_copy_per_16_bytes", "key_copy", "resume_fabricate", "resume_consume", "context_switch",
        "address_space_switch", "tlb_refill", "trap_exit", "wakeup_per_sleeper", "post_fire", "kernel_key_invoke"};

    /** The defaults' resource, next to this class. */
    public static final String DEFAULTS_RESOURCE = "costs-pentium.properties";

    private static final CostModel DEFAULTS = loadDefaults();

    public final int trapEntry;
    public final int invocationDecode;
    public final int keyPrepare;
    public final int gateCheck;
    public final int stallEnqueue;
    public final int wordCopy;
    /** Per started 16 bytes of string: {@code ceil(n / 16)} units for n bytes (see {@link #stringCopy}). */
    public final int stringCopyPer16Bytes;
    public final int keyCopy;
    public final int resumeFabricate;
    public final int resumeConsume;
    public final int contextSwitch;
    public final int addressSpaceSwitch;
    public final int tlbRefill;
    public final int trapExit;
    public final int wakeupPerSleeper;
    public final int postFire;
    public final int kernelKeyInvoke;

    /** Private copy; never handed out. */
    private final int[] costs;

    private CostModel(int[] costs) {
        this.costs = costs.clone();
        trapEntry = costs[TRAP_ENTRY];
        invocationDecode = costs[INVOCATION_DECODE];
        keyPrepare = costs[KEY_PREPARE];
        gateCheck = costs[GATE_CHECK];
        stallEnqueue = costs[STALL_ENQUEUE];
        wordCopy = costs[WORD_COPY];
        stringCopyPer16Bytes = costs[STRING_COPY_PER_16_BYTES];
        keyCopy = costs[KEY_COPY];
        resumeFabricate = costs[RESUME_FABRICATE];
        resumeConsume = costs[RESUME_CONSUME];
        contextSwitch = costs[CONTEXT_SWITCH];
        addressSpaceSwitch = costs[ADDRESS_SPACE_SWITCH];
        tlbRefill = costs[TLB_REFILL];
        trapExit = costs[TRAP_EXIT];
        wakeupPerSleeper = costs[WAKEUP_PER_SLEEPER];
        postFire = costs[POST_FIRE];
        kernelKeyInvoke = costs[KERNEL_KEY_INVOKE];
    }

    /** The Pentium-class defaults. */
    public static CostModel defaults() {
        return DEFAULTS;
    }

    private static CostModel loadDefaults() {
        try (InputStream in = CostModel.class.getResourceAsStream(DEFAULTS_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(DEFAULTS_RESOURCE + " missing from the classpath");
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return parse(DEFAULTS_RESOURCE, text, null);
        } catch (IOException | CostModelException e) {
            // The resource is part of the build; a bad one is a bug, not a user error.
            throw new IllegalStateException("bad default cost model: " + e.getMessage(), e);
        }
    }

    /**
     * This model with the entries of {@code file} replacing its own.
     *
     * @throws CostModelException {@code FILE:LINE: message} for the first bad line
     * @throws IOException when the file cannot be read
     */
    public CostModel withOverrides(Path file) throws IOException, CostModelException {
        return parse(file.toString(), Files.readString(file, StandardCharsets.UTF_8), this);
    }

    /**
     * Parses cost file text named {@code source} (for messages). With a {@code base}, the
     * text overrides a subset of it; without, it must set every cost.
     */
    public static CostModel parse(String source, String text, CostModel base) throws CostModelException {
        int[] costs = base == null ? new int[COUNT] : base.costs.clone();
        int[] setOnLine = new int[COUNT]; // 0 = not set by this text
        List<String> lines = text.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            int lineNo = i + 1;
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int eq = line.indexOf('=');
            if (eq < 0) {
                throw new CostModelException(source, lineNo, "expected 'name = cycles', got '" + line + "'");
            }
            String name = line.substring(0, eq).strip();
            String value = line.substring(eq + 1).strip();
            int id = id(name);
            if (id < 0) {
                throw new CostModelException(source, lineNo, "unknown cost '" + name + "' (known: "
                    + String.join(", ", NAMES) + ")");
            }
            if (setOnLine[id] != 0) {
                throw new CostModelException(source, lineNo, "cost '" + name + "' is set twice (first on line "
                    + setOnLine[id] + ")");
            }
            costs[id] = cycles(source, lineNo, name, value);
            setOnLine[id] = lineNo;
        }
        if (base == null) {
            for (int id = 0; id < COUNT; id++) {
                if (setOnLine[id] == 0) {
                    throw new CostModelException(source, 0, "no value for cost '" + NAMES[id] + "'");
                }
            }
        }
        return new CostModel(costs);
    }

    private static int cycles(String source, int line, String name, String value) throws CostModelException {
        boolean digits = !value.isEmpty() && value.length() <= 10;
        for (int i = 0; digits && i < value.length(); i++) {
            digits = value.charAt(i) >= '0' && value.charAt(i) <= '9';
        }
        long v = digits ? Long.parseLong(value) : -1;
        if (v < 0 || v > Integer.MAX_VALUE) {
            throw new CostModelException(source, line, "cost '" + name + "' must be a non-negative integer (cycles), got '"
                + value + "'");
        }
        return (int) v;
    }

    /** The cost with id {@code id} (0 &lt;= id &lt; {@link #COUNT}). */
    public int cost(int id) {
        return costs[id];
    }

    /** Cycles to copy a string of {@code bytes}: one unit per started 16 bytes, none for an empty string. */
    public int stringCopy(int bytes) {
        return ((bytes + 15) >>> 4) * stringCopyPer16Bytes;
    }

    /** The file name of a cost ("trap_entry"). */
    public static String name(int id) {
        return NAMES[id];
    }

    /** The id of a cost name, or -1. */
    public static int id(String name) {
        for (int i = 0; i < NAMES.length; i++) {
            if (NAMES[i].equals(name)) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CostModel m && Arrays.equals(costs, m.costs);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(costs);
    }

    /** {@code name = cycles} lines in id order: a valid cost file. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        for (int id = 0; id < COUNT; id++) {
            b.append(NAMES[id]).append(" = ").append(costs[id]).append('\n');
        }
        return b.toString();
    }
}
