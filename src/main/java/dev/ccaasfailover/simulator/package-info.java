/**
 * Vendor HTTP simulators for drills and tests: {@link dev.ccaasfailover.simulator.GenesysSimulator},
 * {@link dev.ccaasfailover.simulator.NiceSimulator} and {@link dev.ccaasfailover.simulator.Route53Simulator},
 * started together with a demo organisation by {@link dev.ccaasfailover.simulator.Simulators}, and
 * {@link dev.ccaasfailover.simulator.TwilioSimulator} (the carrier trunk's origination URLs), started on its own.
 *
 * <p>They follow the real API shapes in {@code docs/vendor-apis.md} (paths, field names, limits) closely enough
 * for the product's platform routes and the real AWS SDK to talk to them, and they can be made to fail on
 * demand ({@link dev.ccaasfailover.simulator.Fault}). They ship in the jar for {@code --drill} mode but are
 * never on the production path. Only the JDK's HttpServer, Jackson and the JDK's XML APIs are used.
 */
package dev.ccaasfailover.simulator;
