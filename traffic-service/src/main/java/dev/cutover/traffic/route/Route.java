package dev.cutover.traffic.route;

import dev.cutover.platform.router.HostnameRoute;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;

/** A hostname and the environment that answers it. */
@Entity
@Table(name = "route")
public class Route extends PanacheEntityBase {
    @Id
    public String hostname;
    public String environment;
    @Column(name = "forward_until")
    public OffsetDateTime forwardUntil;
    @Column(name = "moved_to")
    public String movedTo;

    /** What the router is given. */
    public HostnameRoute view() {
        return new HostnameRoute(hostname, environment, forwardUntil, movedTo);
    }
}
