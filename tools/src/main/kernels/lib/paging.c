/*
 * Two-level 32-bit paging with 4 KiB pages. paging_init identity-maps the first
 * IDENTITY_LIMIT bytes (where the kernel, its stacks and buffers live); map_page adds
 * or changes single mappings anywhere, taking page tables from a small pool.
 */
#include "rt.h"

#define IDENTITY_TABLES (IDENTITY_LIMIT >> 22)
#define POOL_TABLES 8

static u32 page_dir[1024] __attribute__((aligned(4096)));
static u32 tables[IDENTITY_TABLES + POOL_TABLES][1024] __attribute__((aligned(4096)));
static int tables_used;

void invlpg(u32 va) {
    __asm__ volatile("invlpg (%0)" : : "r"(va) : "memory");
}

static u32 *new_table(void) {
    if (tables_used == IDENTITY_TABLES + POOL_TABLES)
        fail("page table pool exhausted");
    return tables[tables_used++];
}

void paging_init(u32 flags) {
    for (u32 t = 0; t < IDENTITY_TABLES; t++) {
        u32 *pt = new_table();
        for (u32 i = 0; i < 1024; i++)
            pt[i] = ((t << 22) | (i << 12)) | flags;
        page_dir[t] = (u32)pt | PTE_P | PTE_W | PTE_U;
    }
    write_cr3((u32)page_dir);
}

void paging_enable(u32 extra_cr0) {
    write_cr0(read_cr0() | CR0_PG | extra_cr0);
}

u32 *pde_of(u32 va) {
    return &page_dir[va >> 22];
}

/* The PTE for va, creating its page table if needed (va must not be in a 4 MiB page). */
u32 *pte_of(u32 va) {
    u32 *pde = pde_of(va);
    if (!(*pde & PTE_P))
        *pde = (u32)new_table() | PTE_P | PTE_W | PTE_U;
    return (u32 *)(*pde & ~0xFFFu) + ((va >> 12) & 0x3FF);
}

void map_page(u32 va, u32 pa, u32 flags) {
    *pte_of(va) = (pa & ~0xFFFu) | flags;
    invlpg(va);
}
