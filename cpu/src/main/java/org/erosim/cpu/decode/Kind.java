package org.erosim.cpu.decode;

/** Executor families: which instruction implementation a decoded opcode is built into. */
public final class Kind {
    private Kind() {
    }

    private static final String[] NAMES = new String[128];
    private static int next;

    private static int k(String name) {
        NAMES[next] = name;
        return next++;
    }

    public static final int UD = k("UD");
    public static final int ALU = k("ALU");
    public static final int INC = k("INC");
    public static final int DEC = k("DEC");
    public static final int NOT = k("NOT");
    public static final int NEG = k("NEG");
    public static final int TEST = k("TEST");
    public static final int MUL = k("MUL");
    public static final int IMUL1 = k("IMUL1");
    public static final int IMUL2 = k("IMUL2");
    public static final int IMUL3 = k("IMUL3");
    public static final int DIV = k("DIV");
    public static final int IDIV = k("IDIV");
    public static final int SHIFT = k("SHIFT");
    public static final int SHLD = k("SHLD");
    public static final int SHRD = k("SHRD");
    public static final int MOV = k("MOV");
    public static final int MOVZX = k("MOVZX");
    public static final int MOVSX = k("MOVSX");
    public static final int LEA = k("LEA");
    public static final int XCHG = k("XCHG");
    public static final int MOV_FROM_SREG = k("MOV_FROM_SREG");
    public static final int MOV_TO_SREG = k("MOV_TO_SREG");
    public static final int MOV_CR = k("MOV_CR");
    public static final int MOV_DR = k("MOV_DR");
    public static final int PUSH = k("PUSH");
    public static final int POP = k("POP");
    public static final int PUSH_SREG = k("PUSH_SREG");
    public static final int POP_SREG = k("POP_SREG");
    public static final int PUSHA = k("PUSHA");
    public static final int POPA = k("POPA");
    public static final int PUSHF = k("PUSHF");
    public static final int POPF = k("POPF");
    public static final int ENTER = k("ENTER");
    public static final int LEAVE = k("LEAVE");
    public static final int JCC = k("JCC");
    public static final int JMP = k("JMP");
    public static final int JMP_FAR = k("JMP_FAR");
    public static final int CALL = k("CALL");
    public static final int CALL_FAR = k("CALL_FAR");
    public static final int RET = k("RET");
    public static final int RETF = k("RETF");
    public static final int IRET = k("IRET");
    public static final int INT = k("INT");
    public static final int INT3 = k("INT3");
    public static final int INTO = k("INTO");
    public static final int INT1 = k("INT1");
    public static final int LOOP = k("LOOP");
    public static final int JCXZ = k("JCXZ");
    public static final int CBW = k("CBW");
    public static final int CWD = k("CWD");
    public static final int FLAGOP = k("FLAGOP");
    public static final int SAHF = k("SAHF");
    public static final int LAHF = k("LAHF");
    public static final int SALC = k("SALC");
    public static final int XLAT = k("XLAT");
    public static final int HLT = k("HLT");
    public static final int NOP = k("NOP");
    public static final int WAIT = k("WAIT");
    public static final int ESC = k("ESC");
    public static final int STRING = k("STRING");
    public static final int IN = k("IN");
    public static final int OUT = k("OUT");
    public static final int BCD = k("BCD");
    public static final int BOUND = k("BOUND");
    public static final int ARPL = k("ARPL");
    public static final int LOAD_FAR = k("LOAD_FAR");
    public static final int SETCC = k("SETCC");
    public static final int CMOVCC = k("CMOVCC");
    public static final int BT = k("BT");
    public static final int BSF = k("BSF");
    public static final int BSR = k("BSR");
    public static final int BSWAP = k("BSWAP");
    public static final int XADD = k("XADD");
    public static final int CMPXCHG = k("CMPXCHG");
    public static final int CMPXCHG8B = k("CMPXCHG8B");
    public static final int CPUID = k("CPUID");
    public static final int RDTSC = k("RDTSC");
    public static final int RDMSR = k("RDMSR");
    public static final int WRMSR = k("WRMSR");
    public static final int RDPMC = k("RDPMC");
    public static final int SYS = k("SYS");

    public static String name(int kind) {
        return kind >= 0 && kind < next ? NAMES[kind] : "?" + kind;
    }
}
