package latchkey.events;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * What happened, told to whoever listens: the features publish their events here once their
 * transaction has committed (chat history, membership changes), in commit order; listeners
 * (realtime delivery) subscribe by event type. No feature knows who listens. Listeners run on the
 * publishing thread, so they must be quick: hand the event on, never block.
 */
public final class EventBus {
    private static final Logger LOG = LoggerFactory.getLogger(EventBus.class);

    private record Listener<E>(Class<E> type, Consumer<? super E> consumer) {
        void offer(Object event) {
            if (type.isInstance(event)) consumer.accept(type.cast(event));
        }
    }

    private final List<Listener<?>> listeners = new CopyOnWriteArrayList<>();

    public <E> void subscribe(Class<E> type, Consumer<? super E> consumer) {
        listeners.add(new Listener<>(type, consumer));
    }

    public void publish(Object event) {
        for (Listener<?> listener : listeners) {
            try {
                listener.offer(event);
            } catch (RuntimeException e) {
                LOG.error("a listener of {} failed", event.getClass().getSimpleName(), e);
            }
        }
    }
}
