package org.harbour.web;

import java.io.IOException;

import jakarta.inject.Singleton;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.KeyDeserializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.module.SimpleModule;

import io.quarkus.jackson.ObjectMapperCustomizer;

/**
 * Text that PostgreSQL cannot store (the NUL character, refused in text and in jsonb) or that is not
 * Unicode (an unpaired surrogate, which the driver would silently turn into '?') is refused where it is
 * read, field by field, in every body and every import line: a 400 that names the field, never a 500.
 */
@Singleton
public class StorableText implements ObjectMapperCustomizer {

    /** A string no field may hold; FieldErrors reports it as such. */
    public static final class UnstorableTextException extends MismatchedInputException {
        UnstorableTextException(JsonParser parser) {
            super(parser, "text with a NUL character or an unpaired surrogate", String.class);
        }
    }

    @Override
    public void customize(ObjectMapper mapper) {
        SimpleModule module = new SimpleModule("storable-text");
        module.addDeserializer(String.class, new StringDeserializer() {
            @Override
            public String deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
                return checked(super.deserialize(p, ctxt), p);
            }
        });
        module.addKeyDeserializer(String.class, new KeyDeserializer() {
            @Override
            public Object deserializeKey(String key, DeserializationContext ctxt) throws IOException {
                return checked(key, ctxt.getParser());
            }
        });
        mapper.registerModule(module);
    }

    private static String checked(String text, JsonParser parser) throws UnstorableTextException {
        if (text != null && !storable(text)) {
            throw new UnstorableTextException(parser);
        }
        return text;
    }

    public static boolean storable(CharSequence text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\u0000') {
                return false;
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 == text.length() || !Character.isLowSurrogate(text.charAt(i + 1))) {
                    return false;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }
}
