package org.erosim.cpu;

/** IA-32 exception vectors. */
public final class Vector {
    private Vector() {
    }

    public static final int DE = 0;
    public static final int DB = 1;
    public static final int NMI = 2;
    public static final int BP = 3;
    public static final int OF = 4;
    public static final int BR = 5;
    public static final int UD = 6;
    public static final int NM = 7;
    public static final int DF = 8;
    public static final int TS = 10;
    public static final int NP = 11;
    public static final int SS = 12;
    public static final int GP = 13;
    public static final int PF = 14;
    public static final int MF = 16;
    public static final int AC = 17;
    public static final int MC = 18;

    /** True for exceptions that push an error code. */
    public static boolean hasErrorCode(int v) {
        return v == DF || (v >= TS && v <= PF) || v == AC;
    }

    /** Double-fault classes: 0 benign, 1 contributory, 2 page fault. */
    static int faultClass(int v) {
        switch (v) {
            case DE:
            case TS:
            case NP:
            case SS:
            case GP:
                return 1;
            case PF:
                return 2;
            default:
                return 0;
        }
    }

    public static String name(int v) {
        String[] n = {"#DE", "#DB", "NMI", "#BP", "#OF", "#BR", "#UD", "#NM", "#DF", "CSO", "#TS", "#NP", "#SS",
            "#GP", "#PF", "15", "#MF", "#AC", "#MC"};
        return v >= 0 && v < n.length ? n[v] : Integer.toString(v);
    }
}
