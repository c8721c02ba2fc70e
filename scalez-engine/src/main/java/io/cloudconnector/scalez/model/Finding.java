package io.cloudconnector.scalez.model;

/** One thing check found, naming the object ({@code packs/3f/3f9a...}, {@code config}, ...). */
public record Finding(String object, String message) {

    @Override
    public String toString() {
        return object + ": " + message;
    }
}
