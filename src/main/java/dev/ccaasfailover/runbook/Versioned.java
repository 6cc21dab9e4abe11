package dev.ccaasfailover.runbook;

/** A value read from the store with the version a conditional write must name; version 0 = absent. */
public record Versioned<T>(T value, long version) {
}
