/*
 * Start-up, the Multiboot command line, and the reporting convention every kernel uses:
 *   PASS <name>            on COM1, then 0x10 to isa-debug-exit (exit status 33)
 *   FAIL <name>: <reason>  on COM1, then 0x11 to isa-debug-exit (exit status 35)
 * After the isa-debug-exit write the kernel also sends "Shutdown" to port 0x8900, which
 * ends a Bochs run (Bochs has no isa-debug-exit; its shutdown port quits the simulation).
 * QEMU and erosim never get that far: both end the run at the 0xF4 write. On a machine
 * with neither device the CPU halts with interrupts off.
 */
#include "rt.h"

struct boot_state boot_state;
char cmdline[256];

static void __attribute__((noreturn)) finish(u8 code) {
    serial_flush();
    outb(DEBUG_EXIT_PORT, code);
    for (const char *s = "Shutdown"; *s; s++)
        outb(BOCHS_SHUTDOWN_PORT, (u8)*s);
    for (;;)
        __asm__ volatile("cli; hlt");
}

void pass(void) {
    printf("PASS %s\n", test_name);
    finish(EXIT_PASS);
}

void fail(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    printf("FAIL %s: ", test_name);
    vprintf(fmt, ap);
    putchar('\n');
    va_end(ap);
    finish(EXIT_FAIL);
}

/* Prints one checked value in hex; a mismatch fails the kernel. */
void check(const char *what, u32 got, u32 want) {
    if (got != want)
        fail("%s is %x, expected %x", what, got, want);
    printf("  %s: 0x%x\n", what, got);
}

/* check() for counts and distances, printed in decimal. */
void check_u(const char *what, u32 got, u32 want) {
    if (got != want)
        fail("%s is %u, expected %u", what, got, want);
    printf("  %s: %u\n", what, got);
}

void check_true(const char *what, int ok) {
    if (!ok)
        fail("%s: no", what);
    printf("  %s: yes\n", what);
}

/*
 * Some hardware behaviour is not modelled by QEMU's TCG (segment limit checks on data
 * accesses, the accessed bit on a CS load, ...). Kernels check it only when "strict" is
 * on the command line, so that by default they pass under QEMU and the outputs can be
 * compared line by line; otherwise they print that the check was skipped.
 */
int strict(const char *what) {
    if (cmdline_has("strict"))
        return 1;
    printf("  %s: skipped (needs \"strict\")\n", what);
    return 0;
}

/*
 * Checks the vector try_call returned (got) and the recorded error code against the
 * expected exception and, when eip is given, that the saved EIP is that address (the
 * faulting instruction for a fault, the next one for a trap).
 */
void check_trap(const char *what, u32 got, u32 vector, u32 error, const void *eip) {
    if (got == 0xFFFFFFFF)
        fail("%s: no exception", what);
    if (got != vector)
        fail("%s: vector %u (error %x), expected %u", what, got, last_trap.error, vector);
    if (last_trap.error != error)
        fail("%s: error code %x, expected %x", what, last_trap.error, error);
    if (eip && last_trap.eip != (u32)eip)
        fail("%s: saved EIP %x, expected %x", what, last_trap.eip, (u32)eip);
    printf("  %s: vector %u, error code 0x%x%s\n", what, vector, error,
           eip ? ", saved EIP right" : "");
}

/* Runs fn(arg), which must raise the exception check_trap describes. */
void expect_trap(const char *what, void (*fn)(u32), u32 arg, u32 vector, u32 error,
                 const void *eip) {
    check_trap(what, try_call(fn, arg), vector, error, eip);
}

/* True if the command line holds word as a whole space-separated token. */
int cmdline_has(const char *word) {
    size_t n = strlen(word);
    for (const char *p = cmdline; *p; p++) {
        int starts = p == cmdline || p[-1] == ' ';
        if (starts && memcmp(p, word, n) == 0 && (p[n] == ' ' || p[n] == 0))
            return 1;
    }
    return 0;
}

static void copy_cmdline(const struct mb_info *mbi) {
    if (!(mbi->flags & 4) || !mbi->cmdline)
        return;
    const char *s = (const char *)mbi->cmdline;
    size_t i = 0;
    for (; s[i] && i < sizeof cmdline - 1; i++)
        cmdline[i] = s[i];
    cmdline[i] = 0;
}

void rt_main(u32 magic, const struct mb_info *mbi) {
    serial_init();
    if (magic != MB_BOOT_MAGIC)
        fail("not started by a Multiboot loader (EAX %x)", magic);
    copy_cmdline(mbi);
    test_main();
    pass();
}
