package org.erosim.kernel.space;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.erosim.kernel.object.SlotWriteListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DependencyTableTest {
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void edgesAgreeWithAModelUnderRandomAddsAndRemovals(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        // Few buckets for many locations: long chains, many collisions.
        DependencyTable table = new DependencyTable(64, 256);
        Map<Integer, Set<Integer>> byMapping = new HashMap<>();
        for (int step = 0; step < 5000; step++) {
            int mapping = rnd.nextInt(256);
            if (rnd.nextInt(3) > 0 && table.free() > 0 && !byMapping.containsKey(mapping)) {
                int edges = 1 + rnd.nextInt(Math.min(6, table.free()));
                Set<Integer> locations = new HashSet<>();
                for (int e = 0; e < edges; e++) {
                    int location = rnd.nextInt(100) * 32 + rnd.nextInt(4);
                    table.add(location, mapping);
                    locations.add(location);
                }
                byMapping.put(mapping, locations);
                assertEquals(edges, table.edgeCount(mapping));
            } else {
                // Invalidate a location the way the cache does: mapping by mapping.
                int location = rnd.nextInt(100) * 32 + rnd.nextInt(4);
                for (int m = table.firstMapping(location); m != DependencyDescriptor.NONE; m = table.firstMapping(location)) {
                    assertTrue(byMapping.get(m).contains(location), "mapping " + m + " does not depend on " + location);
                    table.removeMapping(m);
                    byMapping.remove(m);
                }
                for (Set<Integer> locations : byMapping.values()) {
                    assertFalse(locations.contains(location), "a dependent mapping was missed");
                }
            }
            int used = 0;
            for (int m = 0; m < 256; m++) {
                assertEquals(byMapping.containsKey(m), table.hasEdges(m));
                used += table.edgeCount(m);
            }
            assertEquals(used, table.used());
        }
        table.clear();
        assertEquals(0, table.used());
        assertEquals(64, table.free());
    }

    @Test
    void addingToAFullTableIsAnErrorTheCacheNeverMakes() {
        DependencyTable table = new DependencyTable(2, 4);
        table.add(1, 0);
        table.add(2, 0);
        assertThrows(IllegalStateException.class, () -> table.add(3, 1));
        assertThrows(IllegalArgumentException.class, () -> new DependencyTable(0, 4));
    }

    @Test
    void fanOutCallsEveryListenerInOrderWithTheSameArguments() {
        List<String> calls = new ArrayList<>();
        SlotWriteFanout fanout = new SlotWriteFanout(2)
            .add((l, ot, ob, o2, nt, c) -> calls.add("a " + l + " " + ot + " " + ob + " " + o2 + " " + nt + " " + c))
            .add((l, ot, ob, o2, nt, c) -> calls.add("b " + l + " " + c));
        fanout.slotWritten(5, 6, 7L, 8, 9, SlotWriteListener.CAUSE_VOID);
        assertEquals(List.of("a 5 6 7 8 9 1", "b 5 1"), calls);
        assertEquals(2, fanout.size());
        assertThrows(IllegalStateException.class, () -> fanout.add(SlotWriteListener.NONE));
    }
}
