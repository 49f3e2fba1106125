package org.erosim.kernel.post;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.erosim.kernel.object.NodeTable;
import org.erosim.kernel.sched.ActivityDescriptor;
import org.erosim.kernel.sched.ActivityTable;
import org.junit.jupiter.api.Test;

/** Each kind of post corruption is reported by {@link PostChecker} (kernel.md §12). */
class PostCheckerTest {
    private final ActivityTable activities = new ActivityTable(8);
    private final NodeTable nodes = new NodeTable(8);
    private final PostTable posts = new PostTable(4, 8);
    private final int gate = nodes.allocate(0x100, 1, 0);

    /** A post and its activity, as QPOST makes them. */
    private int post() {
        int p = posts.allocate();
        posts.setActivity(p, activities.allocate(ActivityDescriptor.KIND_POST, p));
        return p;
    }

    private List<String> check(boolean recheck) {
        return new PostChecker(posts, activities, nodes, recheck).check();
    }

    private static void assertFinds(List<String> findings, String fragment) {
        assertTrue(findings.stream().anyMatch(f -> f.contains(fragment)), "expected '" + fragment + "' in " + findings);
    }

    /** A stray store into post {@code p}'s header. */
    private void header(int p, int offset, int value) {
        posts.headers().putInt(p * PostDescriptor.HEADER_LENGTH + offset, value);
    }

    @Test
    void wellFormedPostsPass() {
        int a = post();
        int b = post();
        posts.gate(a, gate);
        posts.gate(b, gate);
        assertEquals(List.of(), check(false));
        posts.ungate(a);
        posts.setPassed(a);
        assertEquals(List.of(), check(false), "a passed post waits on its target, on no gate list");
        activities.free(posts.activity(a));
        posts.free(a);
        assertEquals(List.of(), check(false));
    }

    @Test
    void anUngatedPostThatHasNotPassedIsWrongOnlyInTheDefaultMode() {
        post();
        assertFinds(check(false), "has not passed its gate and is on no gate list");
        assertEquals(List.of(), check(true), "recheck mode: an eviction unlinks posts and they keep waiting");
    }

    @Test
    void aPassedPostStillGatedIsReported() {
        int a = post();
        posts.gate(a, gate);
        posts.setPassed(a);
        assertFinds(check(false), "passed its gate but is still gated");
    }

    @Test
    void aGateListOnANodeNotInMemoryIsReported() {
        int a = post();
        posts.gate(a, gate + 1); // never allocated
        assertFinds(check(false), "the node is not in memory");
    }

    @Test
    void brokenLinksAreReported() {
        int a = post();
        int b = post();
        posts.gate(a, gate);
        posts.gate(b, gate);
        header(b, PostDescriptor.PREV_OFFSET, 3);
        assertFinds(check(false), "links back to 3");
    }

    @Test
    void aGatedPostMissingFromItsListIsReported() {
        int a = post();
        posts.gate(a, gate);
        int b = post();
        header(b, PostDescriptor.GATE_NODE_OFFSET, gate);
        assertFinds(check(false), "2 posts name a gate but the gate lists hold 1");
    }

    @Test
    void unknownFlagsAreReported() {
        int a = post();
        posts.gate(a, gate);
        header(a, PostDescriptor.FLAGS_OFFSET, PostDescriptor.FLAG_IN_USE | 0x40);
        assertFinds(check(false), "unknown flags 0x41");
    }

    @Test
    void aPostAndItsActivityThatDisagreeAreReported() {
        int a = post();
        posts.gate(a, gate);
        int activity = posts.activity(a);
        posts.setActivity(a, 5);
        List<String> findings = check(false);
        assertFinds(findings, "post " + a + " names activity 5");
        assertFinds(findings, "post activity " + activity + " belongs to post " + a);
    }

    @Test
    void anActivityWhosePostIsFreeIsReported() {
        int a = post();
        posts.gate(a, gate);
        posts.free(a); // the activity is left in use: a leak
        assertFinds(check(false), "which is not in use with it");
    }

    @Test
    void aBrokenFreeListIsReported() {
        int a = post();
        post();
        posts.gate(a, gate);
        int free = posts.firstFree();
        header(free, PostDescriptor.NEXT_OFFSET, a); // the free list runs into a post in use
        assertFinds(check(false), "which is no free post");
    }
}
