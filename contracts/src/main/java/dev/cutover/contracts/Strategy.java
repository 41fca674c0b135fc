package dev.cutover.contracts;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How the data moves. */
public enum Strategy {
    /** Initial copy, then continuous replication while the source keeps serving. */
    @JsonProperty("live") LIVE,
    /** Source in maintenance, one consistent copy restored on the target. */
    @JsonProperty("snapshot") SNAPSHOT,
    /** No data step: the user moves data themselves. */
    @JsonProperty("manual") MANUAL
}
