/**
 * The kernel's cycle-approximate cost model ({@code kernel.md} §14): {@link
 * org.erosim.kernel.cost.CostModel}, an immutable table of named step costs loaded from
 * {@code costs-pentium.properties} and optionally overridden by a file, and {@link
 * org.erosim.kernel.cost.CostAccount}, the allocation-free per-step counters a run charges
 * into. See {@code docs/cost-model.md} for how the defaults add up to EROS's measured null
 * round trip.
 */
package org.erosim.kernel.cost;
