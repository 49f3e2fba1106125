/**
 * The numeric contract between guests and the kernel, one class per table of
 * {@code abi.md}: key types, restrictions, result, order and fault codes, the process
 * root-node layout, the red segment format key and the fixed limits. The guest SDK's C
 * header mirrors these; a test keeps the two in agreement.
 */
package org.erosim.kernel.abi;
