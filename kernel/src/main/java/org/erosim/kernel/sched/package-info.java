/**
 * Scheduling (kernel.md §6, §13): the {@link org.erosim.kernel.sched.ActivityTable}, the
 * {@link org.erosim.kernel.sched.Scheduler} with its ready queue, stall queues (wake-all and
 * wake-one), sleep queue and time slices, the deadlock report, and the
 * {@link org.erosim.kernel.sched.SchedulerChecker}.
 */
package org.erosim.kernel.sched;
