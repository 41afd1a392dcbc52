package org.harbour.web;

import java.util.Optional;
import java.util.function.Supplier;

import jakarta.persistence.PersistenceException;

/**
 * Creates keyed by a client reference stay safe when two retries race: the one that loses the insert
 * (unique key) answers like a retry, with what the winner stored.
 */
public final class Idempotency {

    private Idempotency() {
    }

    public static <T> Saved<T> create(String externalRef, Supplier<Saved<T>> create, Supplier<Optional<Saved<T>>> stored) {
        try {
            return create.get();
        } catch (PersistenceException e) {
            if (externalRef == null) {
                throw e;
            }
            return stored.get().orElseThrow(() -> e);
        }
    }
}
