package dev.ccaasfailover.carrier;

/** One write of a {@link CarrierShape#plan}, applied in order to the carrier's trunk. */
public sealed interface TrunkWrite permits TrunkWrite.Create, TrunkWrite.Update {

    void applyTo(TwilioTrunk trunk);

    record Create(String friendlyName, String sipUrl, int priority, int weight, boolean enabled) implements TrunkWrite {
        @Override
        public void applyTo(TwilioTrunk trunk) {
            trunk.create(friendlyName, sipUrl, priority, weight, enabled);
        }
    }

    record Update(String sid, OriginationUrlChange change) implements TrunkWrite {
        @Override
        public void applyTo(TwilioTrunk trunk) {
            trunk.update(sid, change);
        }
    }
}
