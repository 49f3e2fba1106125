package org.erosim.tools.conformance;

/**
 * One single-step test from a MOO file: initial and final machine state.
 *
 * <p>Register arrays are indexed by the file's register order ({@link #REG16_NAMES} for
 * 16-bit sets, {@link #REG32_NAMES} for 32-bit sets); a register absent from a state has
 * its bit clear in the corresponding mask.
 */
public final class MooTest {
    public static final String[] REG16_NAMES = {"ax", "bx", "cx", "dx", "cs", "ss", "ds", "es", "sp", "bp", "si", "di",
        "ip", "flags"};
    public static final String[] REG32_NAMES = {"cr0", "cr3", "eax", "ebx", "ecx", "edx", "esi", "edi", "ebp", "esp",
        "cs", "ds", "es", "fs", "gs", "ss", "eip", "eflags", "dr6", "dr7"};

    /** Machine state (INIT or FINA). */
    public static final class State {
        /** True if the registers are the 32-bit set (RG32). */
        public boolean regs32;
        public int regMask;
        public final int[] regs = new int[20];
        /** AND-masks for undefined register bits (RMSK/RM32), or null. */
        public int[] regAndMask;
        public int ramCount;
        public int[] ramAddr = new int[16];
        public byte[] ramValue = new byte[16];

        public boolean has(int reg) {
            return (regMask & (1 << reg)) != 0;
        }

        void addRam(int addr, byte value) {
            if (ramCount == ramAddr.length) {
                ramAddr = java.util.Arrays.copyOf(ramAddr, ramCount * 2);
                ramValue = java.util.Arrays.copyOf(ramValue, ramCount * 2);
            }
            ramAddr[ramCount] = addr;
            ramValue[ramCount] = value;
            ramCount++;
        }
    }

    public int index;
    public String name = "";
    public byte[] bytes = new byte[0];
    public final State initial = new State();
    public final State fin = new State();
    /** Exception vector, or -1 if none occurred. */
    public int exceptionVector = -1;
    /** Physical address of the FLAGS word the CPU pushed for the exception. */
    public int exceptionFlagsAddress;
    public String hash = "";
}
