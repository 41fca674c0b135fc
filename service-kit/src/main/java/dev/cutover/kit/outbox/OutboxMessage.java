package dev.cutover.kit.outbox;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.util.UUID;

/** A message waiting to be published. Its insertion order ({@code seq}, filled by the database) is its publication order. */
@Entity
@Table(name = "outbox_message")
public class OutboxMessage extends PanacheEntityBase {
    @Id
    public UUID id;
    public String topic;
    @Column(name = "message_key")
    public String key;
    public String payload;
    public String traceparent;
}
