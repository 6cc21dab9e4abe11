package dev.ccaasfailover.health;

import java.util.Locale;

/** The two layers a platform is watched on: its authenticated REST API and its SIP trunk. */
public enum Layer {
    API, SIP;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
