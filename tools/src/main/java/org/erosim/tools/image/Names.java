package org.erosim.tools.image;

import java.util.Collection;

/** "Did you mean" suggestions: the closest candidate by edit distance, if close enough. */
final class Names {
    private Names() {
    }

    /**
     * {@code "; did you mean 'x'?"} for the candidate nearest to {@code name} (at most a third of
     * its length, and at least 1, edits away; ties go to the first candidate), or "".
     */
    static String suggestion(String name, Collection<String> candidates) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        int limit = Math.max(1, Math.min(3, name.length() / 3));
        for (String c : candidates) {
            if (c.equals(name) || Math.abs(c.length() - name.length()) > limit) {
                continue;
            }
            int d = distance(name, c);
            if (d <= limit && d < bestDistance) {
                best = c;
                bestDistance = d;
            }
        }
        return best == null ? "" : "; did you mean '" + best + "'?";
    }

    /** Levenshtein distance (insert, delete, substitute; names are short). */
    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
