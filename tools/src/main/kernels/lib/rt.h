/*
 * The test-kernel runtime: constants shared by C and assembly, and the C interface.
 *
 * Every kernel is a Multiboot v1 ELF loaded at 1 MiB. The runtime gives it COM1 output,
 * a printf, a GDT with flat ring-0 and ring-3 segments plus a TSS, an IDT whose 256
 * vectors all enter one C dispatcher with a uniform frame, identity-mapped paging, and
 * pass()/fail() that report on COM1 and end the run through isa-debug-exit.
 */
#ifndef RT_H
#define RT_H

/* Multiboot v1 header: page-align modules (bit 0) and pass memory info (bit 1). */
#define MB_HEADER_MAGIC 0x1BADB002
#define MB_HEADER_FLAGS 0x00000003
#define MB_BOOT_MAGIC   0x2BADB002

/* GDT selectors set up by cpu_init(); indexes from GDT_FREE on are the kernels' own. */
#define KCODE    0x08
#define KDATA    0x10
#define UCODE    0x1B
#define UDATA    0x23
#define TSS_SEL  0x28
#define GDT_FREE 6
#define GDT_ENTRIES 16

/* The vector a ring-3 or virtual-8086 program uses to hand control back (see run_user). */
#define VEC_EXIT 0x80

/* isa-debug-exit: the run ends with status (v << 1) | 1. */
#define DEBUG_EXIT_PORT 0xF4
#define EXIT_PASS 0x10
#define EXIT_FAIL 0x11
/* Bochs's shutdown port: writing the bytes of "Shutdown" quits the simulation. */
#define BOCHS_SHUTDOWN_PORT 0x8900

#define EFLAGS_CF   0x00000001
#define EFLAGS_PF   0x00000004
#define EFLAGS_AF   0x00000010
#define EFLAGS_ZF   0x00000040
#define EFLAGS_SF   0x00000080
#define EFLAGS_TF   0x00000100
#define EFLAGS_IF   0x00000200
#define EFLAGS_DF   0x00000400
#define EFLAGS_OF   0x00000800
#define EFLAGS_IOPL 0x00003000
#define EFLAGS_NT   0x00004000
#define EFLAGS_RF   0x00010000
#define EFLAGS_VM   0x00020000
#define EFLAGS_AC   0x00040000

#define CR0_PE 0x00000001
#define CR0_MP 0x00000002
#define CR0_EM 0x00000004
#define CR0_TS 0x00000008
#define CR0_WP 0x00010000
#define CR0_AM 0x00040000
#define CR0_PG 0x80000000
#define CR4_PSE 0x00000010

#define PTE_P   0x001
#define PTE_W   0x002
#define PTE_U   0x004
#define PTE_A   0x020
#define PTE_D   0x040
#define PTE_PS  0x080

/* Descriptor access bytes (present, DPL, type). */
#define ACC_CODE      0x9A   /* execute/read code, DPL 0 */
#define ACC_DATA      0x92   /* read/write data, DPL 0 */
#define ACC_DPL3      0x60
#define ACC_TSS       0x89   /* available 32-bit TSS */
#define ACC_TSS_BUSY  0x8B
#define ACC_CALLGATE  0x8C
#define ACC_TASKGATE  0x85
#define ACC_INTGATE   0x8E
#define ACC_TRAPGATE  0x8F
/* Descriptor flags nibble: 4 KiB granularity, 32-bit default size. */
#define FLG_G  0x8
#define FLG_DB 0x4

#ifndef __ASSEMBLER__

typedef unsigned char u8;
typedef unsigned short u16;
typedef unsigned int u32;
typedef signed int s32;
typedef __SIZE_TYPE__ size_t;

#include <stdarg.h>

/* What isr_common pushes below the CPU's own frame (lowest address first). */
struct frame {
    u32 edi, esi, ebp, esp_pusha, ebx, edx, ecx, eax;   /* PUSHAD */
    u32 gs, fs, es, ds;                                  /* low 16 bits meaningful */
    u32 vector, error;                                   /* error is 0 if the CPU pushes none */
    u32 eip, cs, eflags;                                 /* pushed by the CPU */
    u32 esp, ss;                                         /* only on a privilege change */
    u32 v86_es, v86_ds, v86_fs, v86_gs;                  /* only when leaving V86 mode */
};

/* The state an exception (or a VEC_EXIT) unwound from, as try_call recorded it. */
struct trap {
    u32 vector, error, eip, cs, cr2;
};

struct mb_info {
    u32 flags, mem_lower, mem_upper, boot_device, cmdline;
    u32 mods_count, mods_addr, syms[4], mmap_length, mmap_addr;
};

/* Machine state captured by _start before the runtime touched anything. */
struct boot_state {
    u32 magic, mbi, eflags, cr0;
};

struct tss {
    u32 link, esp0, ss0, esp1, ss1, esp2, ss2, cr3;
    u32 eip, eflags, eax, ecx, edx, ebx, esp, ebp, esi, edi;
    u32 es, cs, ss, ds, fs, gs, ldt;
    u16 trap, iomap_base;
} __attribute__((packed));

typedef void (*isr_t)(struct frame *f);

/* Supplied by each kernel. */
extern const char test_name[];
void test_main(void);

/* console.c */
void serial_init(void);
void serial_flush(void);
void putchar(int c);
void puts(const char *s);
void printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void vprintf(const char *fmt, va_list ap);

/* test.c */
extern struct boot_state boot_state;
extern char cmdline[256];
int cmdline_has(const char *word);
int strict(const char *what);
void pass(void) __attribute__((noreturn));
void fail(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
void check(const char *what, u32 got, u32 want);
void check_u(const char *what, u32 got, u32 want);
void check_true(const char *what, int ok);
void check_trap(const char *what, u32 got, u32 vector, u32 error, const void *eip);
void expect_trap(const char *what, void (*fn)(u32), u32 arg, u32 vector, u32 error,
                 const void *eip);

/* cpu.c */
#define IO_BITMAP_BYTES 8192
struct kernel_tss {
    struct tss tss;
    u8 iomap[IO_BITMAP_BYTES + 1];   /* the byte after the bitmap must be all ones */
} __attribute__((packed));
extern u32 gdt[GDT_ENTRIES][2];
extern struct kernel_tss ktss;
extern struct trap last_trap;
void cpu_init(void);
void gdt_set(int index, u32 base, u32 limit, u8 access, u8 flags);
void gdt_set_gate(int index, u16 selector, u32 offset, u8 access, u8 params);
u8 gdt_access(u16 selector);
void idt_set(int vector, void (*entry)(void), u8 access);
void idt_set_gate(int vector, u16 selector, u32 offset, u8 access);
void *isr_entry(int vector);
void set_handler(int vector, isr_t handler);
void io_allow(u16 port);
void pic_mask_all(void);
void unwind(struct frame *f);
u32 run_user(void (*entry)(void), void *stack_top, u32 eflags);
u32 run_v86(u16 cs, u16 ip, u16 ss, u16 sp, u16 ds, u32 eflags);

/* trap.S */
u32 try_call(void (*fn)(u32), u32 arg);
void iret_to(const u32 *frame, u32 words, u16 data_selector) __attribute__((noreturn));

/* paging.c */
#define IDENTITY_LIMIT 0x01000000   /* paging_init identity-maps the first 16 MiB */
void paging_init(u32 flags);
void paging_enable(u32 extra_cr0);
u32 *pde_of(u32 va);
u32 *pte_of(u32 va);
void map_page(u32 va, u32 pa, u32 flags);
void invlpg(u32 va);

/* string.c: gcc may emit calls to these even in freestanding code. */
void *memset(void *d, int c, size_t n);
void *memcpy(void *d, const void *s, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);

static inline void outb(u16 port, u8 v) { __asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port)); }
static inline u8 inb(u16 port) { u8 v; __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port)); return v; }
static inline u32 read_cr0(void) { u32 v; __asm__ volatile("mov %%cr0, %0" : "=r"(v)); return v; }
static inline u32 read_cr2(void) { u32 v; __asm__ volatile("mov %%cr2, %0" : "=r"(v)); return v; }
static inline u32 read_cr3(void) { u32 v; __asm__ volatile("mov %%cr3, %0" : "=r"(v)); return v; }
static inline u32 read_cr4(void) { u32 v; __asm__ volatile("mov %%cr4, %0" : "=r"(v)); return v; }
static inline void write_cr0(u32 v) { __asm__ volatile("mov %0, %%cr0" : : "r"(v) : "memory"); }
static inline void write_cr3(u32 v) { __asm__ volatile("mov %0, %%cr3" : : "r"(v) : "memory"); }
static inline void write_cr4(u32 v) { __asm__ volatile("mov %0, %%cr4" : : "r"(v) : "memory"); }
static inline u32 read_eflags(void) { u32 v; __asm__ volatile("pushfl; popl %0" : "=r"(v)); return v; }
static inline void write_eflags(u32 v) { __asm__ volatile("pushl %0; popfl" : : "r"(v) : "memory", "cc"); }
static inline u16 str(void) { u16 v; __asm__ volatile("str %0" : "=r"(v)); return v; }
static inline void cpuid(u32 leaf, u32 r[4]) {
    __asm__ volatile("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3]) : "a"(leaf), "c"(0));
}

#endif /* __ASSEMBLER__ */
#endif /* RT_H */
