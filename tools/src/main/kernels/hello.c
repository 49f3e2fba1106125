/*
 * hello: the smallest end-to-end run. Proves that the loader honoured the Multiboot
 * contract (magic in EAX, information in EBX, 32-bit protected mode with paging off
 * and interrupts disabled), that COM1 output reaches the console and that
 * isa-debug-exit ends the run with the PASS status.
 */
#include "rt.h"

const char test_name[] = "hello";

void test_main(void) {
    const struct mb_info *mbi = (const struct mb_info *)boot_state.mbi;
    printf("hello, world\n");
    check("multiboot magic", boot_state.magic, MB_BOOT_MAGIC);
    check("CR0.PE", boot_state.cr0 & CR0_PE, CR0_PE);
    check("CR0.PG", boot_state.cr0 & CR0_PG, 0);
    check("EFLAGS.IF", boot_state.eflags & EFLAGS_IF, 0);
    check("memory info flag", mbi->flags & 1, 1);
    printf("  memory: lower %u KiB, upper %u KiB\n", mbi->mem_lower, mbi->mem_upper);
    printf("  command line: %s\n", cmdline);
    check_true("upper memory of at least 31 MiB", mbi->mem_upper >= 31 * 1024);
}
