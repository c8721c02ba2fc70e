package io.cloudconnector.common.web;

/** One invalid field of a request: its name (a JSON path or a query parameter) and what is wrong. */
public record FieldProblem(String field, String message) {}
