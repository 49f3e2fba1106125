/* erosim.h: the guest SDK of the erosim capability kernel.
 *
 * Mirrors every table of the guest ABI (/work/shared/spec/abi.md, summarised in
 * docs/guest-sdk.md) and offers typed helpers for the seven invocation types, all built on
 * one assembly stub (ero_invoke, lib/trap.S) that performs the trap.
 *
 * Freestanding: needs only the compiler's own <stdint.h> and <stddef.h>
 * (gcc -m32 -ffreestanding -fno-pic -fno-pie -fno-stack-protector). The object-like
 * macros are plain numbers so that assembly sources (.S, through cpp) can include this
 * header too; everything C-only is inside #ifndef __ASSEMBLER__.
 *
 * Agreement with the kernel: tools/src/test/java/org/erosim/tools/sdk/SdkHeaderTest.java
 * parses every "#define ERO_<TABLE>_<NAME> <number>" line below and checks it against the
 * public static final int fields of org.erosim.kernel.abi (and KeyDescriptor.KEYDATA_FAULT),
 * in both directions. Naming rule: Java Class.FIELD is C ERO_<PREFIX>_FIELD with
 *   KeyType KT, Restriction RESTRICT, ResultCode RC, OrderCode OC, FaultCode FC,
 *   InvocationType INV, ProcessLayout PROC, RedSegmentFormat RSEG, Limits LIMIT,
 *   RegisterFile REGFILE, KernelCounters CTR,
 *   KeyDescriptor KEYDATA (only KEYDATA_FAULT, as ERO_KEYDATA_FAULT).
 * The layouts (ERO_REGFILE_*, ERO_CTR_*) are also checked here by _Static_assert against
 * their C structs. Layout macros that have no Java constant (ERO_TRAP_*, ERO_DESC_*, and the
 * ERO_RSEG_*_SHIFT / *_WIDTH bit positions) are checked here by _Static_assert against the
 * C structs, and the bit positions by the Java test against RedSegmentFormat.encode. */
#ifndef EROSIM_H
#define EROSIM_H

/* ---- §1 The trap ----------------------------------------------------------------------
 * INT 0x31 from ring 3. At the trap: EAX = w0 (order code, or result code when replying),
 * EBX/ECX/EDX = w1..w3, EBP = address of the 32-byte invocation descriptor; ESI and EDI
 * are preserved. When the process is next resumed with a message: EAX..EDX = the words
 * received, ESI = length of the string received, EDI = keyInfo (badge of the start key the
 * sender used, 0 for a resume key), EBP preserved, EIP = the instruction after the trap.
 * A process receives only while AVAILABLE (after RETURN) or WAITING (after CALL), into
 * the receive fields of the descriptor it passed on that invocation. */
#define ERO_TRAP_VECTOR 0x31

/* Invocation types: the invType byte of the descriptor (Java InvocationType). */
#define ERO_INV_RETURN 0
#define ERO_INV_PRETURN 1
#define ERO_INV_CALL 2
#define ERO_INV_PCALL 3
#define ERO_INV_SEND 4
#define ERO_INV_PSEND 5
#define ERO_INV_QPOST 6

/* Invocation descriptor byte offsets (for assembly; struct ero_desc below is asserted to
   match). Any field out of range, or an unreadable descriptor or send string, is fault
   ERO_FC_MALFORMED_SYSCALL to the process keeper. */
#define ERO_DESC_INV_TYPE 0
#define ERO_DESC_INV_KEY 1
#define ERO_DESC_GATE_KEY 2
#define ERO_DESC_RESERVED0 3
#define ERO_DESC_SND_KEYS 4
#define ERO_DESC_SND_PTR 8
#define ERO_DESC_SND_LEN 12
#define ERO_DESC_RCV_KEYS 16
#define ERO_DESC_RCV_PTR 20
#define ERO_DESC_RCV_LIMIT 24
#define ERO_DESC_RESERVED1 28
#define ERO_DESC_SIZE 32

/* ---- §2 Key types (Java KeyType) ------------------------------------------------------ */
#define ERO_KT_START 0
#define ERO_KT_RESUME 1
#define ERO_KT_PROCESS 2
#define ERO_KT_SEGMENT 3
#define ERO_KT_NODE 4
#define ERO_KT_PAGE 5
#define ERO_KT_NUMBER 6
#define ERO_KT_VOID 7
#define ERO_KT_RANGE 8
#define ERO_KT_DISCRIM 9
#define ERO_KT_SCHED 10
#define ERO_KT_SLEEP 11
#define ERO_KT_CONSOLE 12
#define ERO_KT_SYSTRACE 13
#define ERO_KT_CHECKPOINT 14
/* One past the highest key type. Codes 0..5 are object keys. */
#define ERO_KT_COUNT 15

/* Restriction bits (Java Restriction); they only accumulate. */
#define ERO_RESTRICT_READ_ONLY 1
#define ERO_RESTRICT_NO_CALL 2
#define ERO_RESTRICT_WEAK 4
#define ERO_RESTRICT_OPAQUE 8
#define ERO_RESTRICT_ALL 15

/* A fault resume key is a RESUME key with this flag in its keyData (Java
   KeyDescriptor.KEYDATA_FAULT). */
#define ERO_KEYDATA_FAULT 1

/* ---- §3 Result codes (w0 of a reply; Java ResultCode) --------------------------------- */
#define ERO_RC_OK 0
#define ERO_RC_VOID 0x80000001
#define ERO_RC_UNKNOWN_REQUEST 0x80000002
#define ERO_RC_REQUEST_ERROR 0x80000003
#define ERO_RC_NO_ACCESS 0x80000004
#define ERO_RC_NO_RESOURCES 0x80000005
#define ERO_RC_RESTART 0x80000006

/* ---- §4 Order codes (w0 of a request; Java OrderCode, named KEY_ORDER) ----------------- */
/* Every non-void key answers GET_TYPE with OK and w1 = key type. */
#define ERO_OC_GET_TYPE 0x80000000

#define ERO_OC_NUMBER_GET 0                 /* -> w1..w3 = value */

#define ERO_OC_NODE_COPY_SLOT 0             /* w1 = slot -> key 0 (diminished if weak) */
#define ERO_OC_NODE_SWAP_SLOT 1             /* w1 = slot, key 0 in -> key 0 out */
#define ERO_OC_NODE_WRITE_NUMBER 2          /* w1 = slot, w2..w3 + string[0..3] = value */
#define ERO_OC_NODE_CLEAR 3                 /* all slots void */
#define ERO_OC_NODE_MAKE_SEGMENT_KEY 4      /* w1 = height 1..4 -> key 0 */
/* REDUCE: node, segment and page keys; w1 = restriction bits -> key 0. */
#define ERO_OC_REDUCE 5

#define ERO_OC_PAGE_ZERO 0
#define ERO_OC_PAGE_CLONE 1                 /* key 0 = source page key */

#define ERO_OC_PROCESS_COPY_SLOT 0          /* w1 = root slot 0..7 -> key 0 */
#define ERO_OC_PROCESS_SWAP_SLOT 1          /* w1 = root slot 0..7 but 3, key 0 in -> key 0 out */
#define ERO_OC_PROCESS_COPY_KEYREG 2        /* w1 = index -> key 0 */
#define ERO_OC_PROCESS_SWAP_KEYREG 3        /* w1 = index, key 0 in -> key 0 out */
#define ERO_OC_PROCESS_MAKE_START_KEY 4     /* w1 = badge (16 bits) -> key 0 */
#define ERO_OC_PROCESS_MAKE_RESUME_KEY 5    /* -> key 0; the process becomes WAITING */
#define ERO_OC_PROCESS_GET_REGS 6           /* -> string = struct ero_regfile */
#define ERO_OC_PROCESS_SET_REGS 7           /* string = struct ero_regfile */
#define ERO_OC_PROCESS_GET_STATE 8          /* -> w1 run state, w2 fault code, w3 fault info */

#define ERO_OC_RANGE_NEW_NODE 0             /* -> key 0 = node key */
#define ERO_OC_RANGE_NEW_PAGE 1             /* -> key 0 = page key to a zero page */
#define ERO_OC_RANGE_NEW_PROCESS 2          /* -> key 0 = process key (AVAILABLE, void slots) */
#define ERO_OC_RANGE_RESCIND 3              /* key 0 = object key: all its keys become void */
#define ERO_OC_RANGE_MAKE_NUMBER 4          /* w1..w3 -> key 0 = number key */

#define ERO_OC_DISCRIM_CLASSIFY 0           /* key 0 -> w1 = ERO_CLASS_* */
#define ERO_OC_DISCRIM_COMPARE 1            /* keys 0, 1 -> w1 = 1 if the same capability */

#define ERO_OC_SLEEP_FOR 0                  /* w1:w2 = emulated cycles (low, high) */
#define ERO_OC_CONSOLE_WRITE 0              /* string -> console output */

#define ERO_OC_SYSTRACE_MARK 0              /* w1 = tag */
#define ERO_OC_SYSTRACE_READ_COUNTERS 1     /* -> string = struct ero_counters */
#define ERO_OC_SYSTRACE_RESET_COUNTERS 2
#define ERO_OC_SYSTRACE_STOP_RUN 3          /* w1 = exit status of the run */

#define ERO_OC_CHECKPOINT_TAKE 0

/* Answers of DISCRIM CLASSIFY in w1 (abi.md §4; no Java constant yet, so not in the test). */
#define ERO_CLASS_VOID 0
#define ERO_CLASS_NUMBER 1
#define ERO_CLASS_RESUME 2
#define ERO_CLASS_MEMORY 3
#define ERO_CLASS_OTHER 4

/* ---- §4/§9 Keeper upcall codes (w0 a keeper receives; Java FaultCode) ------------------ */
#define ERO_FC_PROCESS_FAULT 0xFFFF0001
#define ERO_FC_SEGMENT_FAULT 0xFFFF0002

/* ---- §5 Fault codes (Java FaultCode) -------------------------------------------------- */
#define ERO_FC_NONE 0
#define ERO_FC_MALFORMED_SYSCALL 1
#define ERO_FC_INVALID_ADDR 4
#define ERO_FC_ACCESS_VIOLATION 6
#define ERO_FC_TRAVERSE_LIMIT 12
#define ERO_FC_MALFORMED_SPACE 13
#define ERO_FC_NO_SCHEDULE 33
#define ERO_FC_BREAKPOINT 34
#define ERO_FC_BAD_OPCODE 36
#define ERO_FC_DIV_ZERO 38
#define ERO_FC_MALFORMED_PROCESS 50
/* An IA-32 exception vector v without a code of its own is ERO_FC_VECTOR(v). */
#define ERO_FC_VECTOR_BASE 0x100
#define ERO_FC_VECTOR(v) (ERO_FC_VECTOR_BASE + (v))

/* ---- §6 Process root node (Java ProcessLayout) ----------------------------------------- */
#define ERO_PROC_SLOT_SCHEDULE 0
#define ERO_PROC_SLOT_KEEPER 1
#define ERO_PROC_SLOT_ADDRESS_SPACE 2
#define ERO_PROC_SLOT_KEY_REGISTERS 3
#define ERO_PROC_SLOT_IO 4
#define ERO_PROC_SLOT_SYMBOLS 5
#define ERO_PROC_SLOT_BRAND 6
#define ERO_PROC_SLOT_FAULT_AND_STATE 8     /* fault code, fault info, run state | flags << 8 */
#define ERO_PROC_SLOT_EIP_ESP_EFLAGS 9
#define ERO_PROC_SLOT_EAX_EBX_ECX 10
#define ERO_PROC_SLOT_EDX_ESI_EDI 11
#define ERO_PROC_SLOT_EBP 12                /* EBP, 0, 0 */
#define ERO_PROC_SLOT_RECEIVE 13            /* saved rcvKeys, rcvPtr, rcvLimit */
/* Run states (low byte of word 2 of slot 8). */
#define ERO_PROC_AVAILABLE 0
#define ERO_PROC_RUNNING 1
#define ERO_PROC_WAITING 2
#define ERO_PROC_RUN_STATE(word2) ((word2) & 0xFF)
#define ERO_PROC_FLAGS(word2) ((word2) >> 8)
/* Key registers per process; register 0 always reads as void. */
#define ERO_PROC_KEY_REGISTERS 32

/* ---- §7 Register file (GET_REGS, SET_REGS, the PROCESS_FAULT string; Java RegisterFile) - */
#define ERO_REGFILE_VERSION_CURRENT 1
#define ERO_REGFILE_VERSION 0
#define ERO_REGFILE_FAULT_CODE 4
#define ERO_REGFILE_FAULT_INFO 8
#define ERO_REGFILE_EIP 12
#define ERO_REGFILE_EFLAGS 16
#define ERO_REGFILE_EAX 20
#define ERO_REGFILE_EBX 24
#define ERO_REGFILE_ECX 28
#define ERO_REGFILE_EDX 32
#define ERO_REGFILE_ESI 36
#define ERO_REGFILE_EDI 40
#define ERO_REGFILE_EBP 44
#define ERO_REGFILE_ESP 48
#define ERO_REGFILE_SIZE 52

/* ---- Kernel counters: the string SYSTRACE READ_COUNTERS answers (Java KernelCounters) ----
 * A version word, a reserved word, then unsigned 64-bit counters (byte offsets below), each
 * counting since the last RESET_COUNTERS (or since the run started). A receive buffer
 * shorter than ERO_CTR_SIZE gets a prefix; ESI (rcv_len) says how much. */
#define ERO_CTR_VERSION_CURRENT 1
#define ERO_CTR_VERSION 0
#define ERO_CTR_RESERVED 4
#define ERO_CTR_CYCLES 8                    /* emulated cycles: instructions + kernel costs */
#define ERO_CTR_INSTRUCTIONS 16             /* guest instructions executed */
#define ERO_CTR_KERNEL_CYCLES 24            /* cycles charged by the kernel cost model */
#define ERO_CTR_TRAPS 32                    /* INT 0x31, exceptions and page faults */
#define ERO_CTR_INVOCATIONS 40              /* invocations committed */
#define ERO_CTR_GATE_INVOCATIONS 48         /* ... of them through start and resume keys */
#define ERO_CTR_STALLS 56                   /* activities put on a stall queue */
#define ERO_CTR_WAKEUPS 64                  /* activities woken from a stall queue */
#define ERO_CTR_RETRIES 72                  /* woken activities that committed or stalled again */
#define ERO_CTR_RESTALLS 80                 /* ... that stalled again */
#define ERO_CTR_TIMER_WAKEUPS 88            /* SLEEP_FOR sleepers woken */
#define ERO_CTR_DISPATCHES 96               /* fresh slices handed out */
#define ERO_CTR_PREEMPTIONS 104             /* slices spent */
#define ERO_CTR_PAGE_FAULTS 112             /* guest page faults handled */
#define ERO_CTR_PROCESS_FAULTS 120          /* processes halted by a fault */
#define ERO_CTR_MARKS 128                   /* SYSTRACE MARK events */
#define ERO_CTR_OBJECT_FAULTS 136           /* objects brought in from the store */
#define ERO_CTR_EVICTIONS 144               /* objects evicted from memory */
#define ERO_CTR_WRITE_BACKS 152             /* dirty objects written to the store */
#define ERO_CTR_CHECKPOINTS 160             /* CHECKPOINT TAKE orders carried out */
#define ERO_CTR_SIZE 168
#define ERO_CTR_FIRST 8                     /* offset of the first counter */
#define ERO_CTR_COUNT 20                    /* number of counters */

/* ---- §8 Red segment format key (number key in slot 31, word 0; Java RedSegmentFormat) --- */
#define ERO_RSEG_FORMAT_SLOT 31
#define ERO_RSEG_NONE 31                    /* keeper/background slot: none */
#define ERO_RSEG_CONVENTION_NODE_KEY 0      /* key 2 becomes a node key to the red segment */
#define ERO_RSEG_CONVENTION_PASS 1          /* key 2 passes through */
#define ERO_RSEG_INITIAL_SHIFT 0            /* I: slots >= I are not part of the space */
#define ERO_RSEG_INITIAL_WIDTH 5
#define ERO_RSEG_KEEPER_SHIFT 5             /* K: keeper slot */
#define ERO_RSEG_KEEPER_WIDTH 5
#define ERO_RSEG_BACKGROUND_SHIFT 10        /* B: background slot */
#define ERO_RSEG_BACKGROUND_WIDTH 5
#define ERO_RSEG_CONVENTION_SHIFT 15
#define ERO_RSEG_CONVENTION_WIDTH 2
#define ERO_RSEG_HEIGHT_SHIFT 20            /* height of this node, 1..4 */
#define ERO_RSEG_HEIGHT_WIDTH 4
/* The function-like macros here are for C (they use unsigned suffixes): assembly may use
   the plain-number macros only. */
#define ERO_RSEG_FIELD_(word, f) \
    (((word) >> ERO_RSEG_##f##_SHIFT) & ((1u << ERO_RSEG_##f##_WIDTH) - 1))
#define ERO_RSEG_PUT_(value, f) \
    (((value) & ((1u << ERO_RSEG_##f##_WIDTH) - 1)) << ERO_RSEG_##f##_SHIFT)
#define ERO_RSEG_ENCODE(initial, keeper, background, convention, height)            \
    (ERO_RSEG_PUT_(initial, INITIAL) | ERO_RSEG_PUT_(keeper, KEEPER)                \
     | ERO_RSEG_PUT_(background, BACKGROUND) | ERO_RSEG_PUT_(convention, CONVENTION) \
     | ERO_RSEG_PUT_(height, HEIGHT))
#define ERO_RSEG_INITIAL(word) ERO_RSEG_FIELD_(word, INITIAL)
#define ERO_RSEG_KEEPER(word) ERO_RSEG_FIELD_(word, KEEPER)
#define ERO_RSEG_BACKGROUND(word) ERO_RSEG_FIELD_(word, BACKGROUND)
#define ERO_RSEG_CONVENTION(word) ERO_RSEG_FIELD_(word, CONVENTION)
#define ERO_RSEG_HEIGHT(word) ERO_RSEG_FIELD_(word, HEIGHT)

/* ---- §9 Limits (Java Limits) ----------------------------------------------------------- */
#define ERO_LIMIT_SLOTS_PER_NODE 32
#define ERO_LIMIT_PAGE_SIZE 4096
#define ERO_LIMIT_MAX_STRING 65536          /* sndLen and rcvLimit */
#define ERO_LIMIT_MAX_POST_STRING 256       /* string of a queued post */
#define ERO_LIMIT_MAX_HEIGHT 4
#define ERO_LIMIT_MAX_WALK_DEPTH 20

#ifndef __ASSEMBLER__
#include <stddef.h>
#include <stdint.h>

/* The invocation descriptor the trap reads at EBP (32 bytes). Key register numbers are
   0..31; register 0 as a send key sends void, as a receive key discards. */
struct ero_desc {
    uint8_t inv_type;      /* ERO_INV_* */
    uint8_t inv_key;       /* key register invoked */
    uint8_t gate_key;      /* QPOST only: register of the gate red segment key; else 0 */
    uint8_t reserved0;     /* 0 */
    uint8_t snd_keys[4];   /* on CALL the 4th key delivered is always the new resume key */
    uint32_t snd_ptr;
    uint32_t snd_len;      /* 0..ERO_LIMIT_MAX_STRING */
    uint8_t rcv_keys[4];   /* registers that receive the 4 keys (0 discards) */
    uint32_t rcv_ptr;
    uint32_t rcv_limit;    /* 0..ERO_LIMIT_MAX_STRING; longer strings are truncated */
    uint32_t reserved1;    /* 0 */
};
_Static_assert(offsetof(struct ero_desc, inv_type) == ERO_DESC_INV_TYPE, "invType");
_Static_assert(offsetof(struct ero_desc, inv_key) == ERO_DESC_INV_KEY, "invKey");
_Static_assert(offsetof(struct ero_desc, gate_key) == ERO_DESC_GATE_KEY, "gateKey");
_Static_assert(offsetof(struct ero_desc, reserved0) == ERO_DESC_RESERVED0, "reserved0");
_Static_assert(offsetof(struct ero_desc, snd_keys) == ERO_DESC_SND_KEYS, "sndKeys");
_Static_assert(offsetof(struct ero_desc, snd_ptr) == ERO_DESC_SND_PTR, "sndPtr");
_Static_assert(offsetof(struct ero_desc, snd_len) == ERO_DESC_SND_LEN, "sndLen");
_Static_assert(offsetof(struct ero_desc, rcv_keys) == ERO_DESC_RCV_KEYS, "rcvKeys");
_Static_assert(offsetof(struct ero_desc, rcv_ptr) == ERO_DESC_RCV_PTR, "rcvPtr");
_Static_assert(offsetof(struct ero_desc, rcv_limit) == ERO_DESC_RCV_LIMIT, "rcvLimit");
_Static_assert(offsetof(struct ero_desc, reserved1) == ERO_DESC_RESERVED1, "reserved1");
_Static_assert(sizeof(struct ero_desc) == ERO_DESC_SIZE, "descriptor size");

/* The words of one invocation, in and out. Before the trap w[0] is the order code (or
   the result code of a reply) and w[1..3] the arguments; ero_invoke overwrites all of it
   with what the process receives when it is resumed: EAX..EDX, ESI (string length
   received) and EDI (keyInfo: badge of the start key the sender invoked, 0 via a resume
   key). */
struct ero_msg {
    uint32_t w[4];
    uint32_t rcv_len;
    uint32_t key_info;
};
_Static_assert(offsetof(struct ero_msg, w) == 0, "ero_msg.w: trap.S stores EAX..EDX at 0..12");
_Static_assert(offsetof(struct ero_msg, rcv_len) == 16, "ero_msg.rcv_len: trap.S stores ESI at 16");
_Static_assert(offsetof(struct ero_msg, key_info) == 20, "ero_msg.key_info: trap.S stores EDI at 20");
_Static_assert(sizeof(struct ero_msg) == 24, "ero_msg size");

/* The register file of GET_REGS, SET_REGS and the PROCESS_FAULT string (§7). */
struct ero_regfile {
    uint32_t version;      /* ERO_REGFILE_VERSION_CURRENT */
    uint32_t fault_code;
    uint32_t fault_info;
    uint32_t eip;
    uint32_t eflags;
    uint32_t eax, ebx, ecx, edx, esi, edi, ebp, esp;
};
_Static_assert(offsetof(struct ero_regfile, version) == ERO_REGFILE_VERSION, "version");
_Static_assert(offsetof(struct ero_regfile, fault_code) == ERO_REGFILE_FAULT_CODE, "faultCode");
_Static_assert(offsetof(struct ero_regfile, fault_info) == ERO_REGFILE_FAULT_INFO, "faultInfo");
_Static_assert(offsetof(struct ero_regfile, eip) == ERO_REGFILE_EIP, "eip");
_Static_assert(offsetof(struct ero_regfile, eflags) == ERO_REGFILE_EFLAGS, "eflags");
_Static_assert(offsetof(struct ero_regfile, eax) == ERO_REGFILE_EAX, "eax");
_Static_assert(offsetof(struct ero_regfile, ebx) == ERO_REGFILE_EBX, "ebx");
_Static_assert(offsetof(struct ero_regfile, ecx) == ERO_REGFILE_ECX, "ecx");
_Static_assert(offsetof(struct ero_regfile, edx) == ERO_REGFILE_EDX, "edx");
_Static_assert(offsetof(struct ero_regfile, esi) == ERO_REGFILE_ESI, "esi");
_Static_assert(offsetof(struct ero_regfile, edi) == ERO_REGFILE_EDI, "edi");
_Static_assert(offsetof(struct ero_regfile, ebp) == ERO_REGFILE_EBP, "ebp");
_Static_assert(offsetof(struct ero_regfile, esp) == ERO_REGFILE_ESP, "esp");
_Static_assert(sizeof(struct ero_regfile) == ERO_REGFILE_SIZE, "register file size");

/* The string of SYSTRACE READ_COUNTERS. */
struct ero_counters {
    uint32_t version;      /* ERO_CTR_VERSION_CURRENT */
    uint32_t reserved;
    uint64_t cycles, instructions, kernel_cycles, traps, invocations, gate_invocations;
    uint64_t stalls, wakeups, retries, restalls, timer_wakeups, dispatches, preemptions;
    uint64_t page_faults, process_faults, marks, object_faults, evictions, write_backs;
    uint64_t checkpoints;
} __attribute__((packed, aligned(4)));
_Static_assert(offsetof(struct ero_counters, version) == ERO_CTR_VERSION, "version");
_Static_assert(offsetof(struct ero_counters, reserved) == ERO_CTR_RESERVED, "reserved");
_Static_assert(offsetof(struct ero_counters, cycles) == ERO_CTR_CYCLES, "cycles");
_Static_assert(offsetof(struct ero_counters, cycles) == ERO_CTR_FIRST, "first counter");
_Static_assert(offsetof(struct ero_counters, instructions) == ERO_CTR_INSTRUCTIONS, "instructions");
_Static_assert(offsetof(struct ero_counters, kernel_cycles) == ERO_CTR_KERNEL_CYCLES, "kernel cycles");
_Static_assert(offsetof(struct ero_counters, traps) == ERO_CTR_TRAPS, "traps");
_Static_assert(offsetof(struct ero_counters, invocations) == ERO_CTR_INVOCATIONS, "invocations");
_Static_assert(offsetof(struct ero_counters, gate_invocations) == ERO_CTR_GATE_INVOCATIONS, "gate invocations");
_Static_assert(offsetof(struct ero_counters, stalls) == ERO_CTR_STALLS, "stalls");
_Static_assert(offsetof(struct ero_counters, wakeups) == ERO_CTR_WAKEUPS, "wakeups");
_Static_assert(offsetof(struct ero_counters, retries) == ERO_CTR_RETRIES, "retries");
_Static_assert(offsetof(struct ero_counters, restalls) == ERO_CTR_RESTALLS, "restalls");
_Static_assert(offsetof(struct ero_counters, timer_wakeups) == ERO_CTR_TIMER_WAKEUPS, "timer wakeups");
_Static_assert(offsetof(struct ero_counters, dispatches) == ERO_CTR_DISPATCHES, "dispatches");
_Static_assert(offsetof(struct ero_counters, preemptions) == ERO_CTR_PREEMPTIONS, "preemptions");
_Static_assert(offsetof(struct ero_counters, page_faults) == ERO_CTR_PAGE_FAULTS, "page faults");
_Static_assert(offsetof(struct ero_counters, process_faults) == ERO_CTR_PROCESS_FAULTS, "process faults");
_Static_assert(offsetof(struct ero_counters, marks) == ERO_CTR_MARKS, "marks");
_Static_assert(offsetof(struct ero_counters, object_faults) == ERO_CTR_OBJECT_FAULTS, "object faults");
_Static_assert(offsetof(struct ero_counters, evictions) == ERO_CTR_EVICTIONS, "evictions");
_Static_assert(offsetof(struct ero_counters, write_backs) == ERO_CTR_WRITE_BACKS, "write-backs");
_Static_assert(offsetof(struct ero_counters, checkpoints) == ERO_CTR_CHECKPOINTS, "checkpoints");
_Static_assert(sizeof(struct ero_counters) == ERO_CTR_SIZE, "counters size");
_Static_assert((ERO_CTR_SIZE - ERO_CTR_FIRST) / 8 == ERO_CTR_COUNT, "counter count");

/* Red segment format: every field survives a round trip through encode and decode. */
_Static_assert(ERO_RSEG_ENCODE(31, 31, 31, 3, 15) == 0xF1FFFFu, "format key fields");
_Static_assert(ERO_RSEG_HEIGHT(ERO_RSEG_ENCODE(1, 2, 3, 1, 4)) == 4
               && ERO_RSEG_CONVENTION(ERO_RSEG_ENCODE(1, 2, 3, 1, 4)) == 1
               && ERO_RSEG_BACKGROUND(ERO_RSEG_ENCODE(1, 2, 3, 1, 4)) == 3
               && ERO_RSEG_KEEPER(ERO_RSEG_ENCODE(1, 2, 3, 1, 4)) == 2
               && ERO_RSEG_INITIAL(ERO_RSEG_ENCODE(1, 2, 3, 1, 4)) == 1, "format key decode");

/* The one trap stub (lib/trap.S): INT 0x31 with EBP = d and EAX..EDX = m->w; when the
   process is resumed with a message, stores EAX..EDX, ESI and EDI into *m and returns
   m->w[0] (the order code or result code received). Clobbers no callee-saved register. */
uint32_t ero_invoke(const struct ero_desc *d, struct ero_msg *m);

/* ---- Descriptor builders -------------------------------------------------------------- */

/* Keys to send (registers; 0 = void). On CALL the kernel replaces the 4th with the resume
   key it fabricates. */
static inline void ero_send_keys(struct ero_desc *d, unsigned k0, unsigned k1, unsigned k2, unsigned k3)
{
    d->snd_keys[0] = (uint8_t) k0;
    d->snd_keys[1] = (uint8_t) k1;
    d->snd_keys[2] = (uint8_t) k2;
    d->snd_keys[3] = (uint8_t) k3;
}

static inline void ero_send_string(struct ero_desc *d, const void *p, uint32_t len)
{
    d->snd_ptr = (uint32_t) (uintptr_t) p;
    d->snd_len = len;
}

/* Registers that receive the keys of the next message (0 discards). */
static inline void ero_rcv_keys(struct ero_desc *d, unsigned k0, unsigned k1, unsigned k2, unsigned k3)
{
    d->rcv_keys[0] = (uint8_t) k0;
    d->rcv_keys[1] = (uint8_t) k1;
    d->rcv_keys[2] = (uint8_t) k2;
    d->rcv_keys[3] = (uint8_t) k3;
}

static inline void ero_rcv_string(struct ero_desc *d, void *p, uint32_t limit)
{
    d->rcv_ptr = (uint32_t) (uintptr_t) p;
    d->rcv_limit = limit;
}

static inline void ero_msg_set(struct ero_msg *m, uint32_t w0, uint32_t w1, uint32_t w2, uint32_t w3)
{
    m->w[0] = w0;
    m->w[1] = w1;
    m->w[2] = w2;
    m->w[3] = w3;
}

/* ---- Typed invocations ----------------------------------------------------------------
 * Each sets the invocation type and invoked key register in *d (the rest of *d is the
 * caller's: strings and keys to send, where to receive) and traps. They return the
 * received w0: the result code of a reply (CALL, PCALL), or the order code of the next
 * request (RETURN, PRETURN: the process waits AVAILABLE for its next caller). SEND, PSEND
 * and QPOST receive nothing and do not wait: abi.md does not say what the registers hold
 * when the invoker continues, so *m is meaningless after them (rebuild it before reuse). */
static inline uint32_t ero_inv_(struct ero_desc *d, unsigned type, unsigned key, unsigned gate, struct ero_msg *m)
{
    d->inv_type = (uint8_t) type;
    d->inv_key = (uint8_t) key;
    d->gate_key = (uint8_t) gate;
    return ero_invoke(d, m);
}

/* CALL: become WAITING; the callee gets a resume key to us as its 4th key. */
static inline uint32_t ero_call(struct ero_desc *d, unsigned key, struct ero_msg *m)
{
    return ero_inv_(d, ERO_INV_CALL, key, 0, m);
}

/* RETURN: reply through key (usually a resume key), become AVAILABLE, wait for a caller.
   RETURN on register 0 (void) is how a server first waits for callers. */
static inline uint32_t ero_return(struct ero_desc *d, unsigned key, struct ero_msg *m)
{
    return ero_inv_(d, ERO_INV_RETURN, key, 0, m);
}

/* SEND: the invokee gets a new activity; we stay RUNNING. */
static inline uint32_t ero_send(struct ero_desc *d, unsigned key, struct ero_msg *m)
{
    return ero_inv_(d, ERO_INV_SEND, key, 0, m);
}

/* The prompt variants never block: a key that is not a resume key is treated as void. */
static inline uint32_t ero_pcall(struct ero_desc *d, unsigned key, struct ero_msg *m)
{
    return ero_inv_(d, ERO_INV_PCALL, key, 0, m);
}

static inline uint32_t ero_preturn(struct ero_desc *d, unsigned key, struct ero_msg *m)
{
    return ero_inv_(d, ERO_INV_PRETURN, key, 0, m);
}

static inline uint32_t ero_psend(struct ero_desc *d, unsigned key, struct ero_msg *m)
{
    return ero_inv_(d, ERO_INV_PSEND, key, 0, m);
}

/* QPOST: queue a post of key's message on the gate red segment in register gate (string at
   most ERO_LIMIT_MAX_POST_STRING bytes); it fires when the gate opens (kernel.md §11). */
static inline uint32_t ero_qpost(struct ero_desc *d, unsigned key, unsigned gate, struct ero_msg *m)
{
    return ero_inv_(d, ERO_INV_QPOST, key, gate, m);
}

/* ---- Keeper protocols (kernel.md §9) ----------------------------------------------------
 * A process keeper receives PROCESS_FAULT (w1 = fault code, w2 = fault info), a process key
 * to the faulter as key 0, a fault resume key as key 3 and the register file as its string;
 * a segment keeper receives SEGMENT_FAULT (w1 = fault code, w2:w3 = offset in the red
 * segment), a node key to the red segment as key 2 and a fault resume key as key 3. Either
 * answers through the fault resume key: result 0 restarts the faulting instruction, any
 * other result declines (a segment keeper's decline goes on to the process keeper). */

/* Set up *d to receive a process keeper's upcall: the faulter's process key into register
   process_reg, the fault resume key into fault_reg, the register file into *regs. */
static inline void ero_process_keeper_desc(struct ero_desc *d, unsigned process_reg, unsigned fault_reg,
                                           struct ero_regfile *regs)
{
    ero_rcv_keys(d, process_reg, 0, 0, fault_reg);
    ero_rcv_string(d, regs, sizeof *regs);
}

/* Set up *d to receive a segment keeper's upcall: the node key to the red segment into
   register node_reg, the fault resume key into fault_reg. */
static inline void ero_segment_keeper_desc(struct ero_desc *d, unsigned node_reg, unsigned fault_reg)
{
    ero_rcv_keys(d, 0, 0, node_reg, fault_reg);
    ero_rcv_string(d, 0, 0);
}

/* Wait for the first upcall (RETURN on void); returns its order (PROCESS_FAULT or SEGMENT_FAULT). */
static inline uint32_t ero_keeper_wait(struct ero_desc *d, struct ero_msg *m)
{
    return ero_return(d, 0, m);
}

/* Answer the fault whose resume key is in fault_reg with result (0: restart, else decline)
   and wait for the next upcall; returns its order. */
static inline uint32_t ero_keeper_reply(struct ero_desc *d, unsigned fault_reg, uint32_t result, struct ero_msg *m)
{
    ero_msg_set(m, result, 0, 0, 0);
    return ero_return(d, fault_reg, m);
}

/* ---- Conveniences ---------------------------------------------------------------------- */

/* Write len bytes to the console key in register console; returns the result code. */
static inline uint32_t ero_console_write(unsigned console, const void *s, uint32_t len)
{
    struct ero_desc d = {0};
    struct ero_msg m = {{ERO_OC_CONSOLE_WRITE, 0, 0, 0}, 0, 0};
    ero_send_string(&d, s, len);
    return ero_call(&d, console, &m);
}

/* SYSTRACE READ_COUNTERS through the systrace key in register systrace into *c; returns the
   result code (the counters cover ERO_CTR_SIZE bytes on OK). */
static inline uint32_t ero_read_counters(unsigned systrace, struct ero_counters *c)
{
    struct ero_desc d = {0};
    struct ero_msg m = {{ERO_OC_SYSTRACE_READ_COUNTERS, 0, 0, 0}, 0, 0};
    ero_rcv_string(&d, c, sizeof *c);
    return ero_call(&d, systrace, &m);
}

/* SLEEP_FOR through the sleep key in register sleep: the caller sleeps for `cycles` emulated
   cycles and returns the result code when it wakes. */
static inline uint32_t ero_sleep_for(unsigned sleep, uint64_t cycles)
{
    struct ero_desc d = {0};
    struct ero_msg m = {{ERO_OC_SLEEP_FOR, (uint32_t) cycles, (uint32_t) (cycles >> 32), 0}, 0, 0};
    return ero_call(&d, sleep, &m);
}

/* The time-stamp counter: emulated cycles, guest instructions and kernel costs included. */
static inline uint64_t ero_rdtsc(void)
{
    uint32_t lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return ((uint64_t) hi << 32) | lo;
}
#endif /* !__ASSEMBLER__ */

#endif /* EROSIM_H */
