package org.erosim.kernel.abi;

/**
 * A process's root node ({@code abi.md} §6) and its run states. Slots 8-13 hold number
 * keys; each word of a number key is one 32-bit field of its 96-bit value (word 0 first).
 */
public final class ProcessLayout {
    public static final int SLOT_SCHEDULE = 0;
    public static final int SLOT_KEEPER = 1;
    public static final int SLOT_ADDRESS_SPACE = 2;
    public static final int SLOT_KEY_REGISTERS = 3;
    public static final int SLOT_IO = 4;
    public static final int SLOT_SYMBOLS = 5;
    public static final int SLOT_BRAND = 6;
    /** Words: fault code, fault info, run state | flags &lt;&lt; 8. */
    public static final int SLOT_FAULT_AND_STATE = 8;
    /** Words: EIP, ESP, EFLAGS. */
    public static final int SLOT_EIP_ESP_EFLAGS = 9;
    /** Words: EAX, EBX, ECX. */
    public static final int SLOT_EAX_EBX_ECX = 10;
    /** Words: EDX, ESI, EDI. */
    public static final int SLOT_EDX_ESI_EDI = 11;
    /** Words: EBP, 0, 0. */
    public static final int SLOT_EBP = 12;
    /** Words: rcvKeys, rcvPtr, rcvLimit. */
    public static final int SLOT_RECEIVE = 13;

    public static final int AVAILABLE = 0;
    public static final int RUNNING = 1;
    public static final int WAITING = 2;

    /** Key registers (slots of the key-registers node); register 0 always reads as void. */
    public static final int KEY_REGISTERS = 32;

    private ProcessLayout() {
    }
}
