package io.cloudconnector.scalez.blob;

import java.time.Duration;

/** Waits for a while; the decorators take one so that tests can record waits instead of spending them. */
@FunctionalInterface
public interface Sleeper {

    /** The real thing: {@link Thread#sleep(Duration)}. */
    Sleeper THREAD = Thread::sleep;

    /** Blocks for the given time. */
    void sleep(Duration duration) throws InterruptedException;
}
