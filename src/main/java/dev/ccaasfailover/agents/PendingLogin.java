package dev.ccaasfailover.agents;

/**
 * A NICE agent's mapped state, kept until the agent logs in (NICE sets state only inside an agent session).
 *
 * @param agentId    the NICE agent id
 * @param agent      who, for the journal and logs (the e-mail the sync matched on)
 * @param state      Available or Unavailable
 * @param reason     the unavailable code's name; null for Available
 * @param outStateId the code's id on the agent's team; 0 for Available
 */
public record PendingLogin(String agentId, String agent, String state, String reason, int outStateId) {

    public TargetState target() {
        return new TargetState(state, reason);
    }
}
