package dev.ccaasfailover.drill;
public class Drill { public Drill(java.io.PrintStream out) {} public int run() { return 0; } }
