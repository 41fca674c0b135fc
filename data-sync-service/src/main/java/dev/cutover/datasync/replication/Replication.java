package dev.cutover.datasync.replication;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.util.Objects;
import java.util.UUID;

/** A live replication, from the end of its initial copy until it is removed after the final sync or by the compensation. */
@Entity
@Table(name = "replication")
@IdClass(Replication.Key.class)
public class Replication extends PanacheEntityBase {
    @Id
    @Column(name = "migration_id")
    public UUID migrationId;
    @Id
    public String database;
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

    public static class Key implements Serializable {
        public UUID migrationId;
        public String database;

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Objects.equals(migrationId, k.migrationId) && Objects.equals(database, k.database);
        }

        @Override
        public int hashCode() {
            return Objects.hash(migrationId, database);
        }
    }
}
