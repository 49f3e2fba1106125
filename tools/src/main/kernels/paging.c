/*
 * paging: two-level 32-bit paging. Proves that translation follows the tables (aliases,
 * INVLPG and CR3 reloads pick up changed entries), that the CPU sets accessed and dirty
 * bits in PTEs and PDEs as hardware does, that #PF reports the right error code (P, W/R,
 * U/S bits), CR2 and saved EIP for reads, writes, instruction fetches and ring-3
 * accesses, that CR0.WP decides whether ring 0 may write a read-only page, and that
 * CR4.PSE maps 4 MiB pages.
 */
#include "rt.h"

const char test_name[] = "paging";

#define PROBE(name) void name(u32); extern char name##_at[]
PROBE(write32); PROBE(call_to);
u32 read32(u32 va);
extern char read32_at[];
void user_read(void);
void user_write(void);
extern char user_read_at[], user_write_at[];
extern u32 user_target;

/* Test pages live at TEST_VA and up, backed by frames in .bss (identity-mapped). */
#define TEST_VA  0x40000000u
#define PAGE(n)  (TEST_VA + (n) * 0x1000u)
#define BIG_VA   0x80000000u

static u8 frames[6][4096] __attribute__((aligned(4096)));
static u32 user_stack[256];

static u32 frame_addr(int n) { return (u32)frames[n]; }
static u32 pte_flags(u32 va) { return *pte_of(va) & (PTE_A | PTE_D); }
static u32 pde_flags(u32 va) { return *pde_of(va) & (PTE_A | PTE_D); }

static void fill_frames(void) {
    for (int n = 0; n < 6; n++)
        for (int i = 0; i < 4096; i += 4)
            *(u32 *)&frames[n][i] = 0xF0000000u + n;
}

static void accessed_dirty(void) {
    printf("accessed and dirty bits\n");
    map_page(PAGE(0), frame_addr(0), PTE_P | PTE_W);
    check("PTE A/D after mapping", pte_flags(PAGE(0)), 0);
    check("read through the page", read32(PAGE(0)), 0xF0000000);
    check("PTE A/D after a read", pte_flags(PAGE(0)), PTE_A);
    check("PDE A/D after a read (D is ignored in a PDE)", pde_flags(PAGE(0)), PTE_A);
    write32(PAGE(0));
    check("PTE A/D after a write", pte_flags(PAGE(0)), PTE_A | PTE_D);
    check("frame written through the mapping", *(u32 *)frames[0], 0x5A5A5A5A);
    map_page(PAGE(1), frame_addr(1), PTE_P | PTE_W);
    write32(PAGE(1));
    check("PTE A/D after a first access that writes", pte_flags(PAGE(1)), PTE_A | PTE_D);
}

static void translation(void) {
    printf("translation changes\n");
    map_page(PAGE(2), frame_addr(2), PTE_P | PTE_W);
    map_page(PAGE(3), frame_addr(2), PTE_P | PTE_W);
    write32(PAGE(2) + 8);
    check("write through one alias, read through the other", read32(PAGE(3) + 8), 0x5A5A5A5A);
    *pte_of(PAGE(2)) = frame_addr(3) | PTE_P | PTE_W;
    invlpg(PAGE(2));
    check("read after changing the PTE and INVLPG", read32(PAGE(2)), 0xF0000003);
    *pte_of(PAGE(2)) = frame_addr(4) | PTE_P | PTE_W;
    write_cr3(read_cr3());
    check("read after changing the PTE and reloading CR3", read32(PAGE(2)), 0xF0000004);
}

static void expect_pf(const char *what, void (*probe)(u32), u32 va, u32 error,
                      const char *at, u32 cr2) {
    expect_trap(what, probe, va, 14, error, at);
    check("  CR2", last_trap.cr2, cr2);
}

static void read_probe(u32 va) {
    read32(va);
}

static void supervisor_faults(void) {
    printf("page faults in ring 0\n");
    map_page(PAGE(4), 0, 0);
    expect_pf("read of a not-present page", read_probe, PAGE(4) + 0x10, 0x0, read32_at,
              PAGE(4) + 0x10);
    expect_pf("write to a not-present page", write32, PAGE(4) + 0x20, 0x2, write32_at,
              PAGE(4) + 0x20);
    expect_pf("call into a not-present page", call_to, PAGE(4) + 0x30, 0x0,
              (const char *)(PAGE(4) + 0x30), PAGE(4) + 0x30);
    map_page(PAGE(5), frame_addr(5), PTE_P | PTE_W);
    expect_pf("dword read straddling into a not-present page", read_probe, PAGE(5) + 0xFFE, 0x0,
              read32_at, PAGE(6));
}

static void write_protect(void) {
    printf("CR0.WP and read-only pages\n");
    map_page(PAGE(6), frame_addr(5), PTE_P);
    write32(PAGE(6) + 0x40);
    check("ring-0 write to a read-only page with WP=0", *(u32 *)(frames[5] + 0x40),
          0x5A5A5A5A);
    check("PTE A/D after that write", pte_flags(PAGE(6)), PTE_A | PTE_D);
    write_cr0(read_cr0() | CR0_WP);
    expect_pf("ring-0 write to a read-only page with WP=1", write32, PAGE(6) + 0x44, 0x3,
              write32_at, PAGE(6) + 0x44);
}

static void expect_user_pf(const char *what, void (*probe)(void), u32 va, u32 error,
                           const char *at) {
    user_target = va;
    check_trap(what, run_user(probe, user_stack + 256, 0x2), 14, error, at);
    check("  saved CS", last_trap.cs, UCODE);
    check("  CR2", last_trap.cr2, va);
}

static void user_faults(void) {
    printf("page faults in ring 3\n");
    map_page(PAGE(7), frame_addr(5), PTE_P | PTE_W);
    map_page(PAGE(8), frame_addr(5), PTE_P | PTE_U);
    expect_user_pf("read of a not-present page", user_read, PAGE(4), 0x4, user_read_at);
    expect_user_pf("read of a supervisor page", user_read, PAGE(7), 0x5, user_read_at);
    expect_user_pf("write to a supervisor page", user_write, PAGE(7), 0x7, user_write_at);
    expect_user_pf("write to a read-only user page", user_write, PAGE(8), 0x7, user_write_at);
    user_target = PAGE(8);
    check("read of a read-only user page (exit vector)", run_user(user_read, user_stack + 256,
          0x2), VEC_EXIT);
}

static void large_pages(void) {
    u32 r[4];
    static u32 marker = 0x4D4D4D4D;
    cpuid(1, r);
    printf("4 MiB pages\n");
    check("CPUID.1:EDX.PSE", r[3] & 0x8, 0x8);
    write_cr4(read_cr4() | CR4_PSE);
    *pde_of(BIG_VA) = 0x00000000 | PTE_P | PTE_W | PTE_PS;
    invlpg(BIG_VA);
    check("read through a 4 MiB page", read32(BIG_VA + (u32)&marker), 0x4D4D4D4D);
    check("PDE A/D after a read", pde_flags(BIG_VA), PTE_A);
    write32(BIG_VA + (u32)&marker);
    check("PDE A/D after a write", pde_flags(BIG_VA), PTE_A | PTE_D);
    check("value written through the 4 MiB page", marker, 0x5A5A5A5A);
}

void test_main(void) {
    cpu_init();
    fill_frames();
    paging_init(PTE_P | PTE_W | PTE_U);
    paging_enable(0);
    check("CR0.PG", read_cr0() & CR0_PG, CR0_PG);
    accessed_dirty();
    translation();
    supervisor_faults();
    write_protect();
    user_faults();
    large_pages();
}
