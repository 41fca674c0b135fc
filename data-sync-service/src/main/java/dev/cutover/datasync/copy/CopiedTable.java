package dev.cutover.datasync.copy;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.util.Objects;
import java.util.UUID;

/** How many rows the last copy of a migration put into one target table. */
@Entity
@Table(name = "copied_table")
@IdClass(CopiedTable.Key.class)
public class CopiedTable extends PanacheEntityBase {
    @Id
    @Column(name = "migration_id")
    public UUID migrationId;
    @Id
    public String database;
    @Id
    @Column(name = "table_name")
    public String tableName;
    @Column(name = "row_count")
    public long rowCount;

    public static class Key implements Serializable {
        public UUID migrationId;
        public String database;
        public String tableName;

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Objects.equals(migrationId, k.migrationId) && Objects.equals(database, k.database)
                    && Objects.equals(tableName, k.tableName);
        }

        @Override
        public int hashCode() {
            return Objects.hash(migrationId, database, tableName);
        }
    }
}
