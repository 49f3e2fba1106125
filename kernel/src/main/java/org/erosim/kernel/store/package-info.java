/**
 * The store file (kernel.md §12, docs/store-format.md): its layout
 * ({@link org.erosim.kernel.store.StoreDescriptor}), the writer the image builder uses,
 * {@link org.erosim.kernel.store.StoreFile} (an {@link org.erosim.kernel.object.ObjectSource}
 * over a Chronicle Bytes mapping) and the offline consistency checker.
 */
package org.erosim.kernel.store;
