package org.erosim.kernel.abi;

/**
 * The register file of abi.md §7: the string of PROCESS GET_REGS and SET_REGS and of a
 * {@code PROCESS_FAULT} keeper upcall. Thirteen little-endian u32 fields, 52 bytes:
 *
 * <pre>
 *   0 version (= VERSION_CURRENT)   4 faultCode   8 faultInfo   12 eip   16 eflags
 *  20 eax  24 ebx  28 ecx  32 edx  36 esi  40 edi  44 ebp  48 esp
 * </pre>
 *
 * The guest SDK mirrors these as {@code ERO_REGFILE_*} (SdkHeaderTest checks both ways).
 */
public final class RegisterFile {
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
    public static final int SIZE = 52;

    private RegisterFile() {
    }
}
