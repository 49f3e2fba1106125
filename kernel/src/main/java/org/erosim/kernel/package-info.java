/**
 * The capability kernel (IPC core): node table, keys and key rings, processes, invocation
 * (entry, dry run, commit, effect), stall queues, keepers, red segments, keeper rewake,
 * queued POST, the object cache and the cost model.
 *
 * <p>Empty until the kernel issues land; the module exists so the reactor has its final
 * shape and the dependency direction mmu &lt;- cpu &lt;- kernel &lt;- bench, tools holds.
 */
package org.erosim.kernel;
