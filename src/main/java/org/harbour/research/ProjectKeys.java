package org.harbour.research;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Each project's secret: 32 random bytes, stored only encrypted (AES-GCM under the key-encryption key from
 * configuration) and never returned. Pseudonyms are HMAC-SHA256 of an id under that secret, so they are
 * stable within a project and unrelated between two; rotating the secret changes every one of them.
 */
@ApplicationScoped
public class ProjectKeys {

    private static final int NONCE_BYTES = 12;
    private final SecureRandom random = new SecureRandom();
    private final SecretKeySpec keyEncryptionKey;

    ProjectKeys(@ConfigProperty(name = "harbour.research.key-encryption-key") String keyEncryptionKey) {
        byte[] key = Base64.getDecoder().decode(keyEncryptionKey.trim());
        if (key.length != 32) {
            throw new IllegalStateException("harbour.research.key-encryption-key must be 32 bytes, base64");
        }
        this.keyEncryptionKey = new SecretKeySpec(key, "AES");
    }

    /** A new project secret, encrypted: what the project row stores. */
    public byte[] newSecret() {
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, keyEncryptionKey, new GCMParameterSpec(128, nonce));
            byte[] sealed = cipher.doFinal(secret);
            return ByteBuffer.allocate(NONCE_BYTES + sealed.length).put(nonce).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The project's pseudonymizer, from its stored secret. */
    public Pseudonyms pseudonyms(byte[] stored) {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, keyEncryptionKey, new GCMParameterSpec(128, stored, 0, NONCE_BYTES));
            return new Pseudonyms(cipher.doFinal(stored, NONCE_BYTES, stored.length - NONCE_BYTES));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("a project secret cannot be decrypted with the configured key", e);
        }
    }

    /** Keyed pseudonyms of one project. Not thread-safe: one per job. */
    public static final class Pseudonyms {
        private final Mac mac;

        Pseudonyms(byte[] secret) {
            try {
                mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }

        /** 80 bits of the HMAC of "kind:id", with a prefix saying what it stands for (S-, O-, T-). */
        public String of(String prefix, String kind, String id) {
            byte[] digest = mac.doFinal((kind + ":" + id).getBytes(StandardCharsets.UTF_8));
            return prefix + HexFormat.of().formatHex(digest, 0, 10);
        }

        /** A salt for ordering rows by something no other project shares (so two files cannot be aligned row by row). */
        public String orderSalt() {
            return HexFormat.of().formatHex(mac.doFinal("order".getBytes(StandardCharsets.UTF_8)), 0, 16);
        }
    }
}
