package io.cloudconnector.common.web;

import java.util.List;
import org.springframework.http.HttpStatus;

/** The request's input is invalid (400); names every field at fault. */
public final class InvalidInputException extends ApiException {

    public InvalidInputException(String field, String message) {
        this(List.of(new FieldProblem(field, message)));
    }

    public InvalidInputException(List<FieldProblem> errors) {
        super(HttpStatus.BAD_REQUEST, "invalid-input", summary(errors), errors);
    }

    private static String summary(List<FieldProblem> errors) {
        if (errors.isEmpty()) {
            throw new IllegalArgumentException("An invalid-input problem names at least one field");
        }
        return errors.size() == 1
                ? errors.getFirst().field() + ": " + errors.getFirst().message()
                : errors.size() + " fields are invalid";
    }
}
