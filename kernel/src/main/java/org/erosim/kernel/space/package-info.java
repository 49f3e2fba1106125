/**
 * Address spaces (kernel.md §7, §8): the {@link org.erosim.kernel.space.SegmentWalker}
 * translates an offset through a segment tree (red segments included), and the
 * {@link org.erosim.kernel.space.PageTableCache} caches its answers as IA-32 page tables
 * in a bounded pool of emulated frames, invalidating exactly the mappings built from a key
 * slot when that slot changes ({@link org.erosim.kernel.space.DependencyTable}). See
 * {@code docs/address-spaces.md}.
 */
package org.erosim.kernel.space;
