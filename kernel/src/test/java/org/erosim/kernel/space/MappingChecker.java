package org.erosim.kernel.space;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.erosim.kernel.abi.KeyType;
import org.erosim.kernel.key.KeyDescriptor;
import org.erosim.kernel.object.KeyLocation;
import org.erosim.kernel.object.SlotWriteListener;

/**
 * The §7 check: every present PTE of every directory agrees with a fresh walk of the
 * directory's space key (same page, writable only if the walk allows writing and the page is
 * dirty), has dependency edges, and the entry counts of tables and directories are right.
 */
final class MappingChecker {
    /** The scratch key register the checker rebuilds a directory's space key in. */
    static final int SCRATCH = 7;

    private final SpaceFixture f;
    private final PageTableCache tables;
    private final SegmentWalker walker;
    private final WalkResult r = new WalkResult();

    MappingChecker(SpaceFixture f, PageTableCache tables) {
        this.f = f;
        this.tables = tables;
        this.walker = new SegmentWalker(f.cache);
    }

    /** Returns the number of mappings checked. */
    int check(String when) {
        List<int[]> present = new ArrayList<>();
        int tablesSeen = 0;
        for (int t = 0; t < tables.frameCount(); t++) {
            if (tables.frameKind(t) == PageTableFrameDescriptor.DIRECTORY) {
                int pdes = 0;
                for (int e = 0; e < 1024; e++) {
                    if ((f.memory.read32(tables.frameAddress(t) + e * 4) & 1) != 0) {
                        pdes++;
                    }
                }
                assertEquals(tables.entries(t), pdes, when + ": PDE count of directory " + t);
            }
            if (tables.frameKind(t) != PageTableFrameDescriptor.TABLE) {
                continue;
            }
            tablesSeen++;
            int n = 0;
            for (int e = 0; e < 1024; e++) {
                int mapping = t * 1024 + e;
                int pte = tables.pte(mapping);
                if ((pte & 1) != 0) {
                    n++;
                    present.add(new int[] {mapping, t});
                    assertTrue(tables.dependencies().hasEdges(mapping), when + ": mapping without edges");
                } else {
                    assertTrue(!tables.dependencies().hasEdges(mapping), when + ": edges of an absent mapping");
                }
            }
            assertEquals(tables.entries(t), n, when + ": PTE count of table " + t);
            assertTrue(n > 0, when + ": an empty table is kept");
        }
        assertEquals(tables.tableCount(), tablesSeen, when + ": table count");
        int checked = 0;
        int scratch = KeyLocation.scratch(SCRATCH);
        for (int[] m : present) {
            int mapping = m[0];
            int table = m[1];
            int pte = tables.pte(mapping);
            if ((pte & 1) == 0) {
                continue; // invalidated by an eviction during this check: fine
            }
            int directory = tables.owner(table);
            int identity = tables.owner(directory);
            int handle = tables.index(directory);
            int type = KeyDescriptor.type(identity);
            if (type == KeyType.PAGE) {
                assertTrue(f.frames.isInUse(handle), when + ": a mapping survives its space page");
            } else {
                assertTrue(f.nodes.isInUse(handle), when + ": a mapping survives its space root node");
            }
            f.keys.store(scratch, identity | KeyDescriptor.FLAG_PREPARED << 8, 0L, handle, SlotWriteListener.CAUSE_WRITE);
            int linear = tables.index(table) << 22 | (mapping & 1023) << 12;
            long evictions = f.cache.evictions();
            boolean ok = walker.walk(scratch, linear, false, r);
            if ((tables.pte(mapping) & 1) == 0) {
                // The check's own walk faulted objects in and evicted part of this path: the
                // mapping was invalidated, as it must be. Only an eviction may do that here.
                assertTrue(f.cache.evictions() > evictions, when + ": a walk invalidated a mapping without an eviction");
                continue;
            }
            assertTrue(ok, when + ": mapping at 0x" + Integer.toHexString(linear) + " but the walk says "
                + r.status() + "/" + r.faultCode());
            assertEquals(f.frames.physicalAddress(r.frame()), pte & 0xFFFFF000L,
                when + ": mapping at 0x" + Integer.toHexString(linear) + " names another page");
            if ((pte & PageTableCache.PTE_RW) != 0) {
                assertTrue(SegmentWalker.writable(r.restrictions()), when + ": writable PTE through a read-only walk");
                assertTrue(f.frames.isDirty(r.frame()), when + ": writable PTE of a clean page");
            }
            assertEquals(PageTableCache.PTE_US, pte & PageTableCache.PTE_US);
            checked++;
        }
        f.keys.storeVoid(scratch);
        return checked;
    }
}
