package dev.cutover.kit.inbox;

import dev.cutover.contracts.MalformedMessageException;
import dev.cutover.contracts.Message;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;

/**
 * A service's handlers: its public {@code on(SomeMessage)} methods (or {@code on(SomeMessage, String messageId)} for one
 * that needs the message's id), found once per class. A message goes to the method taking its most specific type; a
 * message no method takes is malformed for this consumer.
 */
final class Handlers {

    private static final ClassValue<Handlers> BY_CLASS = new ClassValue<>() {
        @Override
        protected Handlers computeValue(Class<?> type) {
            return new Handlers(type);
        }
    };

    private final List<Method> methods = new ArrayList<>();

    private Handlers(Class<?> type) {
        for (Method m : type.getMethods()) {
            Class<?>[] takes = m.getParameterTypes();
            if (m.getName().equals("on") && !Modifier.isStatic(m.getModifiers()) && takes.length >= 1 && takes.length <= 2
                    && Message.class.isAssignableFrom(takes[0]) && (takes.length == 1 || takes[1] == String.class)) {
                methods.add(m);
            }
        }
        if (methods.isEmpty()) {
            throw new IllegalArgumentException(type.getName() + " has no public on(Message) method");
        }
    }

    static Handlers of(Object handler) {
        return BY_CLASS.get(handler.getClass());
    }

    /** The method for this message, checked before anything is recorded for it; {@code consumer} names the refusal. */
    Method methodFor(Message message, String consumer) {
        Method best = null;
        for (Method m : methods) {
            Class<?> takes = m.getParameterTypes()[0];
            if (takes.isInstance(message) && (best == null || best.getParameterTypes()[0].isAssignableFrom(takes))) {
                best = m;
            }
        }
        if (best == null) {
            throw new MalformedMessageException(consumer + " does not handle " + message.getClass().getSimpleName());
        }
        return best;
    }

    static void invoke(Method method, Object handler, String messageId, Message message) {
        try {
            if (method.getParameterCount() == 2) {
                method.invoke(handler, message, messageId);
            } else {
                method.invoke(handler, message);
            }
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(e.getCause());
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }
}
