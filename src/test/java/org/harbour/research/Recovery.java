package org.harbour.research;

import java.util.ArrayList;
import java.util.List;

/**
 * An attacker's view of a published two-way table whose last row and column are the totals: which hidden
 * cells (null) are determined by the published numbers? A hidden cell is determined when its unit vector
 * lies in the row space of the linear system (each row and each column adds up to its total), that is when
 * adding it as an equation does not raise the rank. Written independently of CellSuppression's graph.
 */
final class Recovery {

    private Recovery() {
    }

    /** The hidden cells, as "row,column", that can be recomputed. */
    static List<String> determined(Long[][] table) {
        int rows = table.length;
        int columns = table[0].length;
        List<int[]> unknowns = new ArrayList<>();
        int[][] index = new int[rows][columns];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < columns; c++) {
                index[r][c] = -1;
                if (table[r][c] == null) {
                    index[r][c] = unknowns.size();
                    unknowns.add(new int[] {r, c});
                }
            }
        }
        if (unknowns.isEmpty()) {
            return List.of();
        }
        List<double[]> equations = new ArrayList<>();
        for (int r = 0; r < rows; r++) {
            double[] e = new double[unknowns.size()];
            for (int c = 0; c < columns; c++) {
                if (index[r][c] >= 0) {
                    e[index[r][c]] += c == columns - 1 ? -1 : 1;
                }
            }
            equations.add(e);
        }
        for (int c = 0; c < columns; c++) {
            double[] e = new double[unknowns.size()];
            for (int r = 0; r < rows; r++) {
                if (index[r][c] >= 0) {
                    e[index[r][c]] += r == rows - 1 ? -1 : 1;
                }
            }
            equations.add(e);
        }
        int rank = rank(equations);
        List<String> found = new ArrayList<>();
        for (int u = 0; u < unknowns.size(); u++) {
            List<double[]> with = new ArrayList<>(equations);
            double[] unit = new double[unknowns.size()];
            unit[u] = 1;
            with.add(unit);
            if (rank(with) == rank) {
                found.add(unknowns.get(u)[0] + "," + unknowns.get(u)[1]);
            }
        }
        return found;
    }

    private static int rank(List<double[]> rows) {
        double[][] m = rows.stream().map(double[]::clone).toArray(double[][]::new);
        int rank = 0;
        int width = m.length == 0 ? 0 : m[0].length;
        for (int col = 0; col < width && rank < m.length; col++) {
            int pivot = -1;
            for (int r = rank; r < m.length; r++) {
                if (Math.abs(m[r][col]) > 1e-9 && (pivot < 0 || Math.abs(m[r][col]) > Math.abs(m[pivot][col]))) {
                    pivot = r;
                }
            }
            if (pivot < 0) {
                continue;
            }
            double[] t = m[pivot];
            m[pivot] = m[rank];
            m[rank] = t;
            for (int r = 0; r < m.length; r++) {
                if (r != rank && Math.abs(m[r][col]) > 1e-9) {
                    double f = m[r][col] / m[rank][col];
                    for (int c = col; c < width; c++) {
                        m[r][c] -= f * m[rank][c];
                    }
                }
            }
            rank++;
        }
        return rank;
    }
}
