package org.harbour.research;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Small-cell suppression of a two-way table of counts published with its row, column and grand totals.
 * Primary: every cell (margins included) from 1 to k-1. Secondary: with the totals published, a suppressed
 * cell can be recomputed exactly when, in the bipartite graph of rows and columns whose edges are the
 * suppressed cells of the table with its margins, its edge is a bridge (on no cycle). Each bridge is put on
 * a cycle by suppressing the cheapest rectangle through it, smallest non-zero counts first, until none is
 * left: then no suppressed cell is determined by the published numbers.
 */
final class CellSuppression {

    private CellSuppression() {
    }

    /** The table with its margins: [rows + 1][columns + 1], the last row and column the totals. */
    static long[][] withTotals(long[][] cells, int columns) {
        int rows = cells.length;
        long[][] t = new long[rows + 1][columns + 1];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < columns; c++) {
                t[r][c] = cells[r][c];
                t[r][columns] += cells[r][c];
                t[rows][c] += cells[r][c];
                t[rows][columns] += cells[r][c];
            }
        }
        return t;
    }

    static boolean[][] suppress(long[][] table, int k) {
        boolean[][] primary = new boolean[table.length][table[0].length];
        for (int r = 0; r < table.length; r++) {
            for (int c = 0; c < table[0].length; c++) {
                primary[r][c] = table[r][c] > 0 && table[r][c] < k;
            }
        }
        return suppress(table, primary);
    }

    /** Secondary suppression around the cells already hidden (primary, which it fills in). */
    static boolean[][] suppress(long[][] table, boolean[][] primary) {
        int rows = table.length;
        int columns = table[0].length;
        boolean[][] hidden = primary;
        int[] bridge;
        while ((bridge = bridge(hidden)) != null) {
            int r = bridge[0];
            int c = bridge[1];
            long best = Long.MAX_VALUE;
            int bestR = -1;
            int bestC = -1;
            for (int r2 = 0; r2 < rows; r2++) {
                for (int c2 = 0; c2 < columns; c2++) {
                    if (r2 == r || c2 == c) {
                        continue;
                    }
                    long cost = cost(table, hidden, r, c2) + cost(table, hidden, r2, c) + cost(table, hidden, r2, c2);
                    if (cost < best) {
                        best = cost;
                        bestR = r2;
                        bestC = c2;
                    }
                }
            }
            if (bestR < 0) {
                throw new IllegalStateException("a table with one row or column has no totals to protect");
            }
            hidden[r][bestC] = true;
            hidden[bestR][c] = true;
            hidden[bestR][bestC] = true;
        }
        return hidden;
    }

    /** What suppressing one more cell costs: nothing if it already is, a lot if it is a zero (which protects little). */
    private static long cost(long[][] table, boolean[][] hidden, int r, int c) {
        if (hidden[r][c]) {
            return 0;
        }
        return table[r][c] == 0 ? 1L << 40 : table[r][c];
    }

    /** A suppressed cell on no cycle of the rows-columns graph, or null. */
    static int[] bridge(boolean[][] hidden) {
        int rows = hidden.length;
        int columns = hidden[0].length;
        int nodes = rows + columns;
        List<List<int[]>> adjacent = new ArrayList<>();
        for (int i = 0; i < nodes; i++) {
            adjacent.add(new ArrayList<>());
        }
        int edge = 0;
        List<int[]> edges = new ArrayList<>();
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < columns; c++) {
                if (hidden[r][c]) {
                    adjacent.get(r).add(new int[] {rows + c, edge});
                    adjacent.get(rows + c).add(new int[] {r, edge});
                    edges.add(new int[] {r, c});
                    edge++;
                }
            }
        }
        int[] order = new int[nodes];
        int[] low = new int[nodes];
        Arrays.fill(order, -1);
        int[] counter = {0};
        for (int start = 0; start < nodes; start++) {
            if (order[start] < 0) {
                int found = dfs(start, -1, adjacent, order, low, counter);
                if (found >= 0) {
                    return edges.get(found);
                }
            }
        }
        return null;
    }

    private static int dfs(int node, int viaEdge, List<List<int[]>> adjacent, int[] order, int[] low, int[] counter) {
        order[node] = low[node] = counter[0]++;
        for (int[] next : adjacent.get(node)) {
            if (next[1] == viaEdge) {
                continue;
            }
            if (order[next[0]] < 0) {
                int found = dfs(next[0], next[1], adjacent, order, low, counter);
                if (found >= 0) {
                    return found;
                }
                low[node] = Math.min(low[node], low[next[0]]);
                if (low[next[0]] > order[node]) {
                    return next[1];
                }
            } else {
                low[node] = Math.min(low[node], order[next[0]]);
            }
        }
        return -1;
    }
}
