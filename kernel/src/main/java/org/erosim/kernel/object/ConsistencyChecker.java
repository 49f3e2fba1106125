package org.erosim.kernel.object;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import org.erosim.kernel.abi.KeyType;
import org.erosim.kernel.abi.Restriction;
import org.erosim.kernel.key.KeyDescriptor;

/**
 * The in-memory part of the consistency checker (kernel.md §12) that applies to the object
 * layer: key rings, prepared keys, key shapes, counts and the OID indexes. It reads
 * everything and changes nothing; it allocates (it is not on any hot path). Each finding is
 * one line naming the object (OID), the slot and the problem; an empty list means consistent.
 *
 * <p>Checks:
 * <ul>
 *   <li>every ring is well formed: prev and next agree, it returns to its anchor within
 *   (keys in memory + 1) steps, every member is a prepared key whose handle and type name
 *   the ring's object, resume keys form the tail segment;</li>
 *   <li>every prepared key is on some ring (so, by the above, on its own object's ring);</li>
 *   <li>every key has a defined type, defined restriction bits, PREPARED only if it is an
 *   object key, a void key has a zero body and keyData;</li>
 *   <li>an unprepared key naming an object in memory carries a count no greater than the
 *   object's (a greater count is impossible: counts only grow);</li>
 *   <li>the OID index finds every in-use record at its own index and holds nothing else;
 *   in-use plus free records make the capacity.</li>
 * </ul>
 */
public final class ConsistencyChecker {
    private final ObjectCache cache;
    private final NodeTable nodes;
    private final FrameTable frames;
    private final Keys keys;

    public ConsistencyChecker(ObjectCache cache) {
        this.cache = cache;
        this.nodes = cache.nodes();
        this.frames = cache.frames();
        this.keys = cache.keys();
    }

    public List<String> check() {
        List<String> findings = new ArrayList<>();
        BitSet onRing = new BitSet();
        BitSet onRingScratch = new BitSet();
        int maxSteps = nodes.capacity() * NodeDescriptor.SLOT_COUNT + Keys.SCRATCH_REGISTERS + 1;
        for (int i = 0; i < nodes.capacity(); i++) {
            if (nodes.isInUse(i)) {
                checkRing(KeyLocation.nodeAnchor(i), false, i, nodes.oid(i), maxSteps, onRing, onRingScratch, findings);
            }
        }
        for (int i = 0; i < frames.capacity(); i++) {
            if (frames.isInUse(i)) {
                checkRing(KeyLocation.frameAnchor(i), true, i, frames.oid(i), maxSteps, onRing, onRingScratch, findings);
            }
        }
        for (int i = 0; i < nodes.capacity(); i++) {
            if (!nodes.isInUse(i)) {
                continue;
            }
            if ((nodes.flags(i) & ~NodeDescriptor.FLAGS_DEFINED) != 0) {
                findings.add(node(i) + ": undefined flags 0x" + Integer.toHexString(nodes.flags(i)));
            }
            if (nodes.pinCount(i) < 0) {
                findings.add(node(i) + ": negative pin count " + nodes.pinCount(i));
            }
            for (int s = 0; s < NodeDescriptor.SLOT_COUNT; s++) {
                int location = KeyLocation.nodeSlot(i, s);
                checkKey(location, node(i) + " slot " + s, onRing.get(location), findings);
            }
        }
        for (int r = 0; r < Keys.SCRATCH_REGISTERS; r++) {
            checkKey(KeyLocation.scratch(r), "scratch key " + r, onRingScratch.get(r), findings);
        }
        checkIndex(nodes, findings);
        checkIndex(frames, findings);
        return findings;
    }

    private void checkRing(int anchor, boolean page, int handle, long oid, int maxSteps, BitSet onRing,
        BitSet onRingScratch, List<String> findings) {
        String object = (page ? "page 0x" : "node 0x") + Long.toHexString(oid);
        int prev = anchor;
        int k = keys.ringNext(anchor);
        boolean resumeSeen = false;
        int steps = 0;
        while (k != anchor) {
            if (++steps > maxSteps) {
                findings.add(object + ": key ring does not return to its anchor");
                return;
            }
            if (!isKeyLocation(k)) {
                findings.add(object + ": key ring links to " + KeyLocation.describe(k) + ", which holds no key");
                return;
            }
            String where = KeyLocation.describe(k) + where(k);
            if (keys.ringPrev(k) != prev) {
                findings.add(object + ": ring member " + where + " has prev " + KeyLocation.describe(keys.ringPrev(k))
                    + " but follows " + KeyLocation.describe(prev));
            }
            BitSet seen = KeyLocation.tag(k) == KeyLocation.SCRATCH ? onRingScratch : onRing;
            int bit = KeyLocation.index(k);
            if (seen.get(bit)) {
                findings.add(object + ": " + where + " is on a key ring twice");
                return;
            }
            seen.set(bit);
            int tail = keys.tailAt(k);
            int type = KeyDescriptor.type(tail);
            if (!KeyDescriptor.isPrepared(tail)) {
                findings.add(object + ": ring member " + where + " is not prepared");
            } else if (!KeyType.isObjectKey(type) || (type == KeyType.PAGE) != page || keys.word2At(k) != handle) {
                findings.add(object + ": ring member " + where + " (" + KeyType.name(type) + " key, handle "
                    + keys.word2At(k) + ") names another object");
            }
            if (type == KeyType.RESUME) {
                resumeSeen = true;
            } else if (resumeSeen) {
                findings.add(object + ": " + KeyType.name(type) + " key at " + where
                    + " follows a resume key (resume keys must form the ring's tail)");
            }
            prev = k;
            k = keys.ringNext(k);
        }
        if (keys.ringPrev(anchor) != prev) {
            findings.add(object + ": ring anchor's tail is " + KeyLocation.describe(keys.ringPrev(anchor))
                + " but the last member is " + KeyLocation.describe(prev));
        }
    }

    private boolean isKeyLocation(int location) {
        int tag = KeyLocation.tag(location);
        if (location < 0) {
            return false;
        }
        if (tag == KeyLocation.NODE_SLOT) {
            return nodes.isInUse(KeyLocation.node(location));
        }
        return tag == KeyLocation.SCRATCH && KeyLocation.index(location) < Keys.SCRATCH_REGISTERS;
    }

    private String where(int location) {
        return KeyLocation.tag(location) == KeyLocation.NODE_SLOT
            ? " (node 0x" + Long.toHexString(nodes.oid(KeyLocation.node(location))) + ")" : "";
    }

    private void checkKey(int location, String where, boolean onRing, List<String> findings) {
        int tail = keys.tailAt(location);
        int type = KeyDescriptor.type(tail);
        if (!KeyType.isValid(type)) {
            findings.add(where + ": undefined key type " + type);
            return;
        }
        if ((KeyDescriptor.restrictions(tail) & ~Restriction.ALL) != 0) {
            findings.add(where + ": undefined restriction bits 0x" + Integer.toHexString(KeyDescriptor.restrictions(tail)));
        }
        boolean prepared = KeyDescriptor.isPrepared(tail);
        if (prepared && !KeyType.isObjectKey(type)) {
            findings.add(where + ": " + KeyType.name(type) + " key marked prepared");
            return;
        }
        if (type == KeyType.VOID && (keys.oidAt(location) != 0 || keys.word2At(location) != 0
            || KeyDescriptor.keyData(tail) != 0 || KeyDescriptor.restrictions(tail) != 0)) {
            findings.add(where + ": void key with a non-zero body, keyData or restrictions");
        }
        if (prepared) {
            int handle = keys.word2At(location);
            boolean live = type == KeyType.PAGE ? frames.isInUse(handle) : nodes.isInUse(handle);
            if (!live) {
                findings.add(where + ": prepared " + KeyType.name(type) + " key names free record " + handle);
            } else if (!onRing) {
                findings.add(where + ": prepared " + KeyType.name(type) + " key is not on the key ring of "
                    + (type == KeyType.PAGE ? "page 0x" + Long.toHexString(frames.oid(handle))
                        : "node 0x" + Long.toHexString(nodes.oid(handle))));
            }
        } else if (KeyType.isObjectKey(type)) {
            long oid = keys.oidAt(location);
            int count = keys.word2At(location);
            int object = type == KeyType.PAGE ? frames.find(oid) : nodes.find(oid);
            if (object != NodeDescriptor.NONE) {
                int current = keys.objectCount(type, object);
                if (Integer.compareUnsigned(count, current) > 0) {
                    findings.add(where + ": unprepared " + KeyType.name(type) + " key to 0x" + Long.toHexString(oid)
                        + " has count " + Integer.toUnsignedString(count) + " above the object's "
                        + Integer.toUnsignedString(current));
                }
            }
        }
    }

    private static void checkIndex(ObjectTable records, List<String> findings) {
        String kind = records.kind();
        int capacity = records.capacity();
        int inUse = records.inUse();
        OidIndex index = records.index();
        int freeHead = records.freeHead();
        int chained = 0;
        for (int b = 0; b < index.buckets(); b++) {
            int steps = 0;
            for (int i = index.head(b); i != NodeDescriptor.NONE; i = records.linkOf(i)) {
                if (++steps > capacity) {
                    findings.add(kind + " OID index: bucket " + b + " chain does not end");
                    break;
                }
                if (i < 0 || i >= capacity) {
                    findings.add(kind + " OID index: bucket " + b + " links to record " + i + " out of range");
                    break;
                }
                chained++;
                long oid = records.oidOf(i);
                if ((OidIndex.hash(oid) & (index.buckets() - 1)) != b) {
                    findings.add(kind + " 0x" + Long.toHexString(oid) + ": indexed in the wrong bucket");
                }
                if (index.find(oid) != i) {
                    findings.add(kind + " 0x" + Long.toHexString(oid) + ": OID index finds record " + index.find(oid)
                        + " instead of " + i);
                }
            }
        }
        if (chained != inUse) {
            findings.add(kind + " OID index holds " + chained + " records but " + inUse + " are in use");
        }
        int free = 0;
        for (int i = freeHead; i != NodeDescriptor.NONE && free <= capacity; i = records.linkOf(i)) {
            free++;
        }
        if (free + inUse != capacity) {
            findings.add(kind + " table: " + free + " free + " + inUse + " in use records, capacity " + capacity);
        }
    }

    private String node(int i) {
        return "node 0x" + Long.toHexString(nodes.oid(i));
    }
}
