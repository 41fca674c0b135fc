package dev.cutover.contracts;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The steps of a migration, in saga order. */
public enum Step {
    @JsonProperty("preflight") PREFLIGHT,
    @JsonProperty("prepare") PREPARE,
    @JsonProperty("sync") SYNC,
    @JsonProperty("verify") VERIFY,
    /** The checks that can change run again, once the switch-over is confirmed. */
    @JsonProperty("recheck") RECHECK,
    /** Right before the freeze, the replication is caught up now: the freeze catches up only what is written meanwhile. */
    @JsonProperty("catch-up") CATCH_UP,
    /** Writes freeze: the router holds the environment's requests. */
    @JsonProperty("freeze") FREEZE,
    /** The last changes are copied, inside the freeze. */
    @JsonProperty("final-sync") FINAL_SYNC,
    /** Traffic is pointed at the target and the held requests go there. */
    @JsonProperty("switch-over") SWITCH_OVER,
    /** The target becomes protected and the default. */
    @JsonProperty("complete") COMPLETE,
    /** After the switch-over, on request: data written on the target flows back and traffic returns to the source. */
    @JsonProperty("rollback") ROLLBACK,
    /** Once the rollback is no longer wanted: the way back, the old address's forwarding and the source are removed. */
    @JsonProperty("finalize") FINALIZE;

    /** The name users see, the same as on the wire: {@code final-sync}. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
