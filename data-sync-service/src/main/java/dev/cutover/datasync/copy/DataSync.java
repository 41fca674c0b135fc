package dev.cutover.datasync.copy;

import dev.cutover.contracts.MalformedMessageException;
import dev.cutover.contracts.Message;
import dev.cutover.contracts.Step;
import dev.cutover.contracts.Strategy;
import dev.cutover.contracts.datasync.DataSyncCompensated;
import dev.cutover.contracts.datasync.DataSyncFailed;
import dev.cutover.contracts.datasync.DataSynced;
import dev.cutover.contracts.datasync.SyncData;
import dev.cutover.contracts.datasync.TableComparison;
import dev.cutover.contracts.datasync.TargetVerified;
import dev.cutover.contracts.datasync.UndoSyncData;
import dev.cutover.contracts.datasync.VerificationFailed;
import dev.cutover.contracts.datasync.VerifyTarget;
import dev.cutover.contracts.migration.StepProgressed;
import dev.cutover.contracts.migration.StepStarted;
import dev.cutover.kit.inbox.Inbox;
import dev.cutover.kit.outbox.Outbox;
import dev.cutover.platform.DatabaseCredentials;
import dev.cutover.platform.Environment;
import dev.cutover.platform.Platform;
import dev.cutover.platform.PlatformException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/** Moves and compares the databases of an environment. Credentials come from the platform and are never logged or sent. */
@ApplicationScoped
public class DataSync {

    private static final String CONSUMER = "data-sync-service";

    @Inject
    Inbox inbox;

    @Inject
    Outbox outbox;

    @Inject
    Platform platform;

    @Transactional
    public void handle(String messageId, Message message) {
        if (!inbox.firstDelivery(CONSUMER, messageId)) {
            return;
        }
        if (message instanceof SyncData c) {
            sync(c);
        } else if (message instanceof VerifyTarget c) {
            verify(c);
        } else if (message instanceof UndoSyncData c) {
            undo(c);
        } else {
            throw new MalformedMessageException("data-sync-service does not handle " + message.getClass().getSimpleName());
        }
    }

    private void sync(SyncData c) {
        Step step = c.finalSync() ? Step.FINAL_SYNC : Step.SYNC;
        outbox.send(new StepStarted(c.migrationId(), step));
        long started = System.nanoTime();
        if (c.strategy() == Strategy.MANUAL) {
            outbox.send(new DataSynced(c.migrationId(), c.finalSync(), 0, 0, 0, 0));
            return;
        }
        int tables = 0;
        long rows = 0;
        long bytes = 0;
        List<String> differing = new ArrayList<>();
        try {
            CopiedTable.delete("migrationId", c.migrationId());
            for (Environment.Database db : databases(c.environment())) {
                try (Connection source = connect(platform.credentials(c.environment(), db.name()));
                     Connection target = connect(platform.credentials(c.targetEnvironment(), db.name()))) {
                    SnapshotCopy.Result result = SnapshotCopy.copy(source, target, copied -> outbox.send(new StepProgressed(
                            c.migrationId(), step, db.name() + "." + copied.table() + ": " + copied.rows() + " rows copied",
                            Map.of("rows", copied.rows(), "bytes", copied.bytes()))));
                    for (SnapshotCopy.TableCopied copied : result.tables()) {
                        remember(c, db.name(), copied);
                    }
                    tables += result.tables().size();
                    rows += result.rows();
                    bytes += result.bytes();
                    if (c.finalSync()) {
                        // Inside the freeze the source is still: it and the target must now be equal.
                        differing.addAll(describe(SnapshotCopy.compare(db.name(), source, target)));
                    }
                }
            }
            if (!differing.isEmpty()) {
                outbox.send(new DataSyncFailed(c.migrationId(), "after the final copy, tables differ: " + String.join(", ", differing)));
                return;
            }
            outbox.send(new DataSynced(c.migrationId(), c.finalSync(), tables, rows, bytes, (System.nanoTime() - started) / 1_000_000));
        } catch (SQLException | PlatformException e) {
            outbox.send(new DataSyncFailed(c.migrationId(), "copying the data failed: " + reason(e)));
        }
    }

    /**
     * Before the confirmation the source keeps changing, so the target is compared with the snapshot the copy took:
     * every table it copied holds exactly the rows copied, and the target environment runs.
     */
    private void verify(VerifyTarget c) {
        outbox.send(new StepStarted(c.migrationId(), Step.VERIFY));
        try {
            Environment target = platform.environment(c.targetEnvironment())
                    .orElseThrow(() -> new PlatformException(404, "target " + c.targetEnvironment() + " does not exist"));
            if (!target.running()) {
                outbox.send(new VerificationFailed(c.migrationId(), List.of(), "target " + target.name() + " is " + target.status()));
                return;
            }
            List<TableComparison> tables = new ArrayList<>();
            for (CopiedTable copied : CopiedTable.<CopiedTable>list("migrationId", c.migrationId())) {
                try (Connection connection = connect(platform.credentials(c.targetEnvironment(), copied.database))) {
                    long rows = SnapshotCopy.count(connection, copied.tableName);
                    tables.add(new TableComparison(copied.database, copied.tableName, copied.rowCount, rows, rows == copied.rowCount));
                }
            }
            List<String> differing = describe(tables);
            outbox.send(differing.isEmpty()
                    ? new TargetVerified(c.migrationId(), tables)
                    : new VerificationFailed(c.migrationId(), tables, "tables differ: " + String.join(", ", differing)));
        } catch (SQLException | PlatformException e) {
            outbox.send(new VerificationFailed(c.migrationId(), List.of(), "verification could not run: " + reason(e)));
        }
    }

    private void undo(UndoSyncData c) {
        try {
            if (platform.environment(c.targetEnvironment()).isPresent()) {
                for (Environment.Database db : databases(c.targetEnvironment())) {
                    try (Connection target = connect(platform.credentials(c.targetEnvironment(), db.name()))) {
                        SnapshotCopy.truncate(target);
                    }
                }
            }
            outbox.send(new DataSyncCompensated(c.migrationId()));
        } catch (SQLException | PlatformException e) {
            throw new IllegalStateException("dropping the target copy of migration " + c.migrationId() + " failed: " + reason(e), e);
        }
    }

    private static void remember(SyncData c, String database, SnapshotCopy.TableCopied copied) {
        CopiedTable row = new CopiedTable();
        row.migrationId = c.migrationId();
        row.database = database;
        row.tableName = copied.table();
        row.rowCount = copied.rows();
        row.persist();
    }

    private static List<String> describe(List<TableComparison> tables) {
        return tables.stream().filter(t -> !t.matches())
                .map(t -> t.database() + "." + t.table() + " (source " + t.sourceRows() + " rows, target " + t.targetRows() + ")")
                .toList();
    }

    private List<Environment.Database> databases(String environment) {
        return platform.environment(environment)
                .orElseThrow(() -> new PlatformException(404, "environment " + environment + " does not exist"))
                .databases().stream().filter(d -> "postgresql".equals(d.kind())).toList();
    }

    private static Connection connect(DatabaseCredentials credentials) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", credentials.user());
        props.setProperty("password", credentials.password());
        props.setProperty("connectTimeout", "5");
        return DriverManager.getConnection(credentials.jdbcUrl(), props);
    }

    /** A reason without the connection details a driver message may carry. */
    private static String reason(Exception e) {
        return e instanceof SQLException sql ? "database error " + sql.getSQLState() + ": " + firstLine(sql.getMessage()) : e.getMessage();
    }

    private static String firstLine(String message) {
        return message == null ? "" : message.lines().findFirst().orElse("");
    }
}
