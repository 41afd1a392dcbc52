package org.harbour.note;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(name = "NoteHit", description = "A note found by a search; the full note is read from its organization's endpoint when visible.")
public record NoteHit(UUID id, @Schema(description = "The organization that shared it.") String organization, String title,
        NoteEnums.Language language, NoteEnums.Theme theme, NoteEnums.Kind kind, List<String> tags,
        NoteEnums.Visibility visibility, Instant createdAt,
        @Schema(description = "Relevance to q (absent without q).") BigDecimal rank,
        @Schema(description = "An excerpt of the body; with q, the matched words are marked **like this** (Markdown bold).")
        String snippet) {
}
