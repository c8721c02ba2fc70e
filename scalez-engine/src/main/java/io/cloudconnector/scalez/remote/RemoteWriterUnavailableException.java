package io.cloudconnector.scalez.remote;

/**
 * The remote writer is draining (stopping, e.g. on a spot interruption) or no longer answers, and took nothing
 * more. Whatever it took before may well be durable: {@link RemoteSession#handOff()} and the repository's index
 * files tell, and the backup continues by itself if all of it is.
 */
public class RemoteWriterUnavailableException extends RemoteWriterException {

    public RemoteWriterUnavailableException(String message) {
        super(message);
    }

    public RemoteWriterUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
