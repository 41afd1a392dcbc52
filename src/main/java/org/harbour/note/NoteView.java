package org.harbour.note;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(name = "Note")
public record NoteView(UUID id, String author, String title, String body, NoteEnums.Language language, NoteEnums.Theme theme,
        NoteEnums.Kind kind, List<String> tags, NoteEnums.Visibility visibility, Instant createdAt, Instant updatedAt,
        long version) {

    static NoteView of(Note n) {
        return new NoteView(n.id, n.authorSubject, n.title, n.body, n.language, n.theme, n.kind, n.tags, n.visibility, n.createdAt,
                n.updatedAt, n.version);
    }
}
