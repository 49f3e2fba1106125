/**
 * Processes in memory (kernel.md §3): the off-heap {@link org.erosim.kernel.process.ProcessTable}
 * of loaded processes ({@link org.erosim.kernel.process.ProcessDescriptor} layout), loaded from
 * and written back to process root nodes through the object cache and the one slot-write path.
 */
package org.erosim.kernel.process;
