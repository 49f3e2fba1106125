/*
 * taskswitch: hardware task switching. A CALL to a TSS descriptor must save the current
 * state in the current TSS, load the new task's registers from its TSS, set NT and the
 * back link, mark both tasks busy and set CR0.TS; IRET with NT=1 must return to the
 * back-linked task and clear the callee's busy bit. A JMP to a TSS must not nest (no NT,
 * the old task's busy bit cleared). INT n through a task gate, and an exception through
 * a task gate (which pushes the error code on the new task's stack), must switch tasks
 * the same way; the handler task resumes the faulting one past the instruction.
 */
#include "rt.h"

const char test_name[] = "taskswitch";

#define SEL_TSS_B ((GDT_FREE + 0) << 3)
#define SEL_TSS_C ((GDT_FREE + 1) << 3)
#define SEL_TSS_D ((GDT_FREE + 2) << 3)

void call_task(const u32 *far);
void jump_task(const u32 *far);
void fault_in_task(void);
void task_b_entry(void);
void task_c_entry(void);
void task_d_entry(void);
extern char call_task_ret[], jump_task_ret[], task_b_resume[], fault_in_task_at[];
extern u32 main_esi, main_edi, b_eax, d_error;

u32 main_ptr[2] = { 0, TSS_SEL };
static const u32 b_ptr[2] = { 0, SEL_TSS_B };

static struct tss tss_b, tss_c, tss_d;
static u32 stack_b[1024], stack_c[1024], stack_d[1024];

/* What a task saw while it ran. */
struct seen { u32 tr, eflags, link, cr0, main_type, self_type; };
static struct seen seen_b_called, seen_b_jumped, seen_c, seen_d;

static void init_task(struct tss *t, int index, void (*entry)(void), u32 *stack_top) {
    t->eip = (u32)entry;
    t->esp = (u32)stack_top;
    t->eflags = 0x2;
    t->cs = KCODE;
    t->ss = t->ds = t->es = t->fs = t->gs = KDATA;
    t->cr3 = read_cr3();
    t->iomap_base = sizeof(struct tss);
    gdt_set(index, (u32)t, sizeof(struct tss) - 1, ACC_TSS, 0);
}

static struct seen look(const struct tss *self) {
    u16 tr = str();
    return (struct seen){ tr, read_eflags(), self->link, read_cr0(),
                          gdt_access(TSS_SEL), gdt_access(tr) };
}

void task_b_called(void) { seen_b_called = look(&tss_b); }
void task_b_jumped(void) { seen_b_jumped = look(&tss_b); }
void task_c_body(void) { seen_c = look(&tss_c); }

static u32 d_saw_main_eip;

void task_d_body(void) {
    seen_d = look(&tss_d);
    d_saw_main_eip = ktss.tss.eip;
    ktss.tss.eip += 2;   /* resume the main task after its faulting MOV DS */
}

static void check_nested(const struct seen *s, u16 self) {
    check("TR", s->tr, self);
    check("EFLAGS.NT", s->eflags & EFLAGS_NT, EFLAGS_NT);
    check("back link", s->link, TSS_SEL);
    check("main TSS type (still busy)", s->main_type, ACC_TSS_BUSY);
    check("own TSS type (busy)", s->self_type, ACC_TSS_BUSY);
}

static void check_back_in_main(u16 other) {
    check("TR", str(), TSS_SEL);
    check("EFLAGS.NT", read_eflags() & EFLAGS_NT, 0);
    check("main TSS type", gdt_access(TSS_SEL), ACC_TSS_BUSY);
    check("other TSS type (not busy)", gdt_access(other), ACC_TSS);
}

static void call(void) {
    printf("CALL to task B\n");
    tss_b.eax = 0xB0B0B0B0;
    call_task(b_ptr);
    check("EAX loaded from B's TSS", b_eax, 0xB0B0B0B0);
    check_nested(&seen_b_called, SEL_TSS_B);
    check("CR0.TS set by the switch", seen_b_called.cr0 & CR0_TS, CR0_TS);
    printf("IRET back to the main task\n");
    check_back_in_main(SEL_TSS_B);
    check("ESI restored from the main TSS", main_esi, 0x5E5E5E5E);
    check("EDI restored from the main TSS", main_edi, 0xD1D1D1D1);
    check_true("main TSS saved EIP after the CALL", ktss.tss.eip == (u32)call_task_ret);
    check_true("B's TSS saved EIP after its IRET", tss_b.eip == (u32)task_b_resume);
    __asm__ volatile("clts");
}

static void jump(void) {
    printf("JMP to task B\n");
    jump_task(b_ptr);
    check("TR in B", seen_b_jumped.tr, SEL_TSS_B);
    check("EFLAGS.NT in B", seen_b_jumped.eflags & EFLAGS_NT, 0);
    check("main TSS type in B (no longer busy)", seen_b_jumped.main_type, ACC_TSS);
    check("B's TSS type in B", seen_b_jumped.self_type, ACC_TSS_BUSY);
    printf("JMP back to the main task\n");
    check_back_in_main(SEL_TSS_B);
    check("ESI restored from the main TSS", main_esi, 0x5E5E5E5E);
    check_true("main TSS saved EIP after the JMP", ktss.tss.eip == (u32)jump_task_ret);
    __asm__ volatile("clts");
}

static void task_gates(void) {
    printf("INT 0x50 through a task gate\n");
    idt_set_gate(0x50, SEL_TSS_C, 0, ACC_TASKGATE);
    __asm__ volatile("int $0x50");
    check_nested(&seen_c, SEL_TSS_C);
    printf("IRET back to the main task\n");
    check_back_in_main(SEL_TSS_C);
    printf("#GP through a task gate\n");
    idt_set_gate(13, SEL_TSS_D, 0, ACC_TASKGATE);
    fault_in_task();
    check_nested(&seen_d, SEL_TSS_D);
    check("error code on the handler task's stack", d_error, GDT_ENTRIES << 3);
    check_true("main TSS saved EIP is the faulting instruction",
               d_saw_main_eip == (u32)fault_in_task_at);
    printf("IRET back to the main task, past the instruction\n");
    check_back_in_main(SEL_TSS_D);
    __asm__ volatile("clts");
}

void test_main(void) {
    cpu_init();
    init_task(&tss_b, GDT_FREE + 0, task_b_entry, stack_b + 1024);
    init_task(&tss_c, GDT_FREE + 1, task_c_entry, stack_c + 1024);
    init_task(&tss_d, GDT_FREE + 2, task_d_entry, stack_d + 1024);
    call();
    jump();
    task_gates();
}
