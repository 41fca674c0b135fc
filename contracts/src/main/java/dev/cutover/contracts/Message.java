package dev.cutover.contracts;

import com.fasterxml.jackson.annotation.JsonIgnore;

/** Every command and event. The subject is the Kafka key and the CloudEvent subject. */
public interface Message {
    @JsonIgnore
    String subject();
}
