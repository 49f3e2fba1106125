/**
 * The object layer: nodes in an off-heap node table, pages in frames of emulated physical
 * memory, keys and key rings, preparation, and the bounded object cache in front of an
 * {@link org.erosim.kernel.object.ObjectSource}.
 */
package org.erosim.kernel.object;
