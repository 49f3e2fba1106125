/**
 * The image builder: a Java API (used by the {@code .erosys} front end, tests and the storm
 * profiler) that assembles nodes, pages, processes, red segments and program address
 * spaces in compact int-handle tables and writes them as a store file
 * ({@link org.erosim.kernel.store}).
 */
package org.erosim.kernel.image;
