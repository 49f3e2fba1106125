package org.erosim.kernel.abi;

/**
 * The register file of PROCESS GET_REGS / SET_REGS and of the PROCESS_FAULT string
 * ({@code abi.md} §7): thirteen little-endian 32-bit words, byte offsets below.
 *
 * <pre>
 *   0          4           8           12    16       20    24    28    32    36    40    44    48    52
 *   +----------+-----------+-----------+-----+--------+-----+-----+-----+-----+-----+-----+-----+-----+
 *   | version  | faultCode | faultInfo | eip | eflags | eax | ebx | ecx | edx | esi | edi | ebp | esp |
 *   +----------+-----------+-----------+-----+--------+-----+-----+-----+-----+-----+-----+-----+-----+
 * </pre>
 *
 * The guest SDK mirrors it as {@code ERO_REGFILE_*} and {@code struct ero_regfile}.
 */
public final class RegisterFile {
    /** The only version: SET_REGS refuses any other with REQUEST_ERROR. */
    public static final int VERSION_CURRENT = 1;

    public static final int VERSION = 0;
    public static final int FAULT_CODE = 4;
    public static final int FAULT_INFO = 8;
    public static final int EIP = 12;
    public static final int EFLAGS = 16;
    public static final int EAX = 20;
    public static final int EBX = 24;
    public static final int ECX = 28;
    public static final int EDX = 32;
    public static final int ESI = 36;
    public static final int EDI = 40;
    public static final int EBP = 44;
    public static final int ESP = 48;
    /** Bytes in the register file. */
    public static final int SIZE = 52;

    private RegisterFile() {
    }
}
