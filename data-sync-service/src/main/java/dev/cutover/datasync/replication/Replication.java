package dev.cutover.datasync.replication;

import dev.cutover.contracts.datasync.SyncData;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.util.Objects;
import java.util.UUID;

/**
 * A replication of one database: forward (source to target), from the end of a live migration's initial copy until it is
 * removed after the final sync or by the compensation; or reverse, the way back (target to source), from the switch
 * point until a rollback, the end of the rollback window, or the compensation removes it.
 */
@Entity
@Table(name = "replication")
@IdClass(Replication.Key.class)
public class Replication extends PanacheEntityBase {
    @Id
    @Column(name = "migration_id")
    public UUID migrationId;
    @Id
    public String database;
    @Id
    public boolean reverse;
    @Column(name = "source_environment")
    public String sourceEnvironment;
    @Column(name = "target_environment")
    public String targetEnvironment;
    public String traceparent;
    /** The WAL-retention warning went out: once per replication. */
    @Column(name = "wal_warned")
    public boolean walWarned;
    /** The final sync is done: the subscription, slot and publication are to be removed (outside the freeze). */
    public boolean ending;
    /** The subscription exists. A reverse one is made only once the forward replication is gone, else the two would loop. */
    public boolean subscribed;
    /** {@code postgresql} or {@code redis}: a Redis replication is its target's {@code REPLICAOF}, nothing on the source. */
    public String kind = "postgresql";

    public boolean redis() {
        return "redis".equals(kind);
    }

    /**
     * Records a replication the sync {@code c} started: forward, from its environment to its target environment, or
     * reverse (the way back), the other way.
     */
    public static Replication record(SyncData c, String database, String kind, boolean reverse, boolean subscribed, String trace) {
        Replication r = new Replication();
        r.migrationId = c.migrationId();
        r.database = database;
        r.kind = kind;
        r.reverse = reverse;
        r.sourceEnvironment = reverse ? c.targetEnvironment() : c.environment();
        r.targetEnvironment = reverse ? c.environment() : c.targetEnvironment();
        r.traceparent = trace;
        r.subscribed = subscribed;
        r.persist();
        return r;
    }

    /** The name its slot, publication and subscription share. */
    public String name() {
        return LiveReplication.name(migrationId, database, reverse);
    }

    public static class Key implements Serializable {
        public UUID migrationId;
        public String database;
        public boolean reverse;

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Objects.equals(migrationId, k.migrationId) && Objects.equals(database, k.database)
                    && reverse == k.reverse;
        }

        @Override
        public int hashCode() {
            return Objects.hash(migrationId, database, reverse);
        }
    }
}
