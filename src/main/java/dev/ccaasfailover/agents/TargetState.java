package dev.ccaasfailover.agents;

/**
 * What an agent's state should be on the target platform. NICE: {@code Available}, or {@code Unavailable} with an
 * unavailable code's name as {@code reason}. Genesys: a system presence ({@code ON_QUEUE}, {@code BREAK}, ...), no reason.
 */
public record TargetState(String state, String reason) {

    public static TargetState of(String state) {
        return new TargetState(state, null);
    }

    @Override
    public String toString() {
        return reason == null ? state : state + "/" + reason;
    }
}
