package org.erosim.kernel.post;

import static org.erosim.kernel.post.PostDescriptor.NONE;

import java.util.ArrayList;
import java.util.List;
import org.erosim.kernel.object.NodeTable;
import org.erosim.kernel.sched.ActivityDescriptor;
import org.erosim.kernel.sched.ActivityTable;

/**
 * The post part of the consistency checker (kernel.md §12: "post records are well-formed").
 * Verifies:
 * <ul>
 *   <li>the pool: the free list holds exactly the posts not in use, which have no flags and
 *   no gate, and the in-use count is right;</li>
 *   <li>posts and activities: every post in use names an activity of kind POST whose subject
 *   is that post, and every activity of kind POST belongs to a post in use that names it;</li>
 *   <li>the header: only known flags; a post that passed its gate is on no gate list; in
 *   the default mode a post that has not passed is on one (eviction fires it, which marks it
 *   passed), while in recheck mode it may have lost its list to an eviction;</li>
 *   <li>the gate lists: each is headed at a node in memory, prev and next agree, the walk from
 *   the head ends at the tail, every member is a post in use whose gate node is that node,
 *   and every gated post is met on its node's list exactly once.</li>
 * </ul>
 * Findings are lines; an empty list means consistent. Allocates; not for hot paths.
 */
public final class PostChecker {
    private static final int KNOWN_FLAGS = PostDescriptor.FLAG_IN_USE | PostDescriptor.FLAG_PASSED
        | PostDescriptor.FLAG_VOID_TARGET;

    private final PostTable posts;
    private final ActivityTable activities;
    private final NodeTable nodes;
    private final boolean recheck;

    /**
     * Checks {@code posts}, whose activities are in {@code activities} and whose gates are
     * nodes of {@code nodes}; {@code recheck}: the run's --post-recheck mode.
     */
    public PostChecker(PostTable posts, ActivityTable activities, NodeTable nodes, boolean recheck) {
        this.posts = posts;
        this.activities = activities;
        this.nodes = nodes;
        this.recheck = recheck;
    }

    public List<String> check() {
        List<String> findings = new ArrayList<>();
        int gated = checkPosts(findings);
        checkActivities(findings);
        checkFreeList(findings);
        int listed = 0;
        boolean[] seen = new boolean[posts.capacity()];
        for (int node = 0; node < posts.nodeCapacity(); node++) {
            if (posts.firstGated(node) != NONE || posts.lastGated(node) != NONE) {
                listed += walk(node, seen, findings);
            }
        }
        if (listed != gated) {
            findings.add(gated + " posts name a gate but the gate lists hold " + listed);
        }
        return findings;
    }

    /** Every post in use against its activity and its flags; returns how many name a gate. */
    private int checkPosts(List<String> findings) {
        int inUse = 0;
        int gated = 0;
        for (int p = 0; p < posts.capacity(); p++) {
            if (!posts.isInUse(p)) {
                if (posts.flags(p) != 0 || posts.gateNode(p) != NONE) {
                    findings.add("free post " + p + " has flags 0x" + Integer.toHexString(posts.flags(p))
                        + " and gate node " + posts.gateNode(p));
                }
                continue;
            }
            inUse++;
            int a = posts.activity(p);
            if (!activities.isInUse(a) || activities.kind(a) != ActivityDescriptor.KIND_POST
                || activities.subject(a) != p) {
                findings.add("post " + p + " names activity " + a + ", which is not its post activity");
            }
            int flags = posts.flags(p);
            if ((flags & ~KNOWN_FLAGS) != 0) {
                findings.add("post " + p + " has unknown flags 0x" + Integer.toHexString(flags));
            }
            int node = posts.gateNode(p);
            if (node != NONE) {
                gated++;
                if (posts.passed(p)) {
                    findings.add("post " + p + " passed its gate but is still gated on node " + node);
                }
            } else if (!posts.passed(p) && !recheck) {
                findings.add("post " + p + " has not passed its gate and is on no gate list");
            }
        }
        if (inUse != posts.inUse()) {
            findings.add("post table counts " + posts.inUse() + " in use but holds " + inUse);
        }
        return gated;
    }

    /** Every activity of kind POST belongs to a post in use that names it. */
    private void checkActivities(List<String> findings) {
        for (int a = 0; a < activities.capacity(); a++) {
            if (activities.isInUse(a) && activities.kind(a) == ActivityDescriptor.KIND_POST) {
                int p = activities.subject(a);
                if (!posts.isInUse(p) || posts.activity(p) != a) {
                    findings.add("post activity " + a + " belongs to post " + p + ", which is not in use with it");
                }
            }
        }
    }

    private void checkFreeList(List<String> findings) {
        int free = 0;
        int limit = posts.capacity() - posts.inUse();
        for (int p = posts.firstFree(); p != NONE; p = posts.nextGated(p)) {
            if (p < 0 || p >= posts.capacity() || posts.isInUse(p)) {
                findings.add("post free list holds " + p + ", which is no free post");
                return;
            }
            if (++free > limit) {
                findings.add("post free list holds more than the " + limit + " free posts (a cycle?)");
                return;
            }
        }
        if (free != limit) {
            findings.add("post free list holds " + free + " posts, expected " + limit);
        }
    }

    /** Walks node {@code node}'s gate list from its head; returns its length. */
    private int walk(int node, boolean[] seen, List<String> findings) {
        String name = "gate list of node " + node;
        if (!nodes.isInUse(node)) {
            findings.add(name + ": the node is not in memory");
        }
        int head = posts.firstGated(node);
        int tail = posts.lastGated(node);
        if ((head == NONE) != (tail == NONE)) {
            findings.add(name + ": head " + head + " and tail " + tail + " disagree");
            return 0;
        }
        int prev = NONE;
        int length = 0;
        for (int p = head; p != NONE; p = posts.nextGated(p)) {
            if (!posts.isInUse(p)) {
                findings.add(name + ": holds " + p + ", which is no post in use");
                return length;
            }
            if (seen[p]) {
                findings.add(name + ": meets post " + p + " twice (or it is on two lists)");
                return length;
            }
            seen[p] = true;
            if (posts.previousGated(p) != prev) {
                findings.add(name + ": post " + p + " links back to " + posts.previousGated(p) + ", not " + prev);
            }
            if (posts.gateNode(p) != node) {
                findings.add(name + ": post " + p + " says its gate is node " + posts.gateNode(p));
            }
            prev = p;
            length++;
        }
        if (prev != tail) {
            findings.add(name + ": the walk ends at " + prev + " but the tail is " + tail);
        }
        return length;
    }
}
