/**
 * Keys as 16-byte records: {@link org.erosim.kernel.key.KeyDescriptor} fixes the layout
 * shared by the node table, kernel key holders and the store file.
 */
package org.erosim.kernel.key;
