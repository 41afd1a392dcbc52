package org.harbour.web;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.Path;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;

/** Field errors named as the client wrote the field, from bean validation and from JSON binding. */
public final class FieldErrors {

    private FieldErrors() {
    }

    /** The field error a binding failure amounts to; empty when the JSON itself is malformed. */
    public static Optional<Problem.FieldError> of(JsonProcessingException e, Locale locale) {
        if (e instanceof UnrecognizedPropertyException u) {
            return Optional.of(new Problem.FieldError(path(u), Messages.get(locale, "field.unknown")));
        }
        if (e instanceof InvalidFormatException f && f.getTargetType() != null && f.getTargetType().isEnum()) {
            String allowed = Arrays.stream(f.getTargetType().getEnumConstants()).map(Object::toString)
                    .collect(Collectors.joining(", "));
            return Optional.of(new Problem.FieldError(path(f), Messages.get(locale, "field.enum", allowed)));
        }
        if (e instanceof StorableText.UnstorableTextException t) {
            return Optional.of(new Problem.FieldError(path(t), Messages.get(locale, "field.unstorable-text")));
        }
        if (e instanceof MismatchedInputException m && !m.getPath().isEmpty()) {
            return Optional.of(new Problem.FieldError(path(m), Messages.get(locale, "field.type")));
        }
        return Optional.empty();
    }

    public static Problem.FieldError of(ConstraintViolation<?> v) {
        return new Problem.FieldError(field(v), v.getMessage());
    }

    private static String path(JsonMappingException e) {
        StringBuilder out = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (!out.isEmpty()) {
                    out.append('.');
                }
                out.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                out.append('[').append(ref.getIndex()).append(']');
            }
        }
        return out.isEmpty() ? "body" : out.toString();
    }

    /** The body's property path, or the query or path parameter's name. */
    private static String field(ConstraintViolation<?> v) {
        StringBuilder out = new StringBuilder();
        String parameter = null;
        for (Path.Node node : v.getPropertyPath()) {
            switch (node.getKind()) {
                case PARAMETER -> parameter = node.getName();
                case PROPERTY, CONTAINER_ELEMENT -> {
                    if (node.getName() == null || node.getName().startsWith("<")) {
                        break;
                    }
                    if (!out.isEmpty()) {
                        out.append('.');
                    }
                    out.append(node.getName());
                    if (node.getIndex() != null) {
                        out.append('[').append(node.getIndex()).append(']');
                    }
                }
                default -> {
                }
            }
        }
        if (!out.isEmpty()) {
            return out.toString();
        }
        return parameter == null ? "body" : parameter;
    }
}
