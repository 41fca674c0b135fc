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

/**
 * One table of the last copy of a migration, compared with the snapshot it was copied from: verification before the
 * confirmation reports this, because by then the source has moved on.
 */
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
    @Column(name = "source_rows")
    public long sourceRows;
    @Column(name = "target_rows")
    public long targetRows;
    /** The first chunk that differs, or {@code null}. */
    public String difference;

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
