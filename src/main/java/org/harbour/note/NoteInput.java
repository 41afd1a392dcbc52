package org.harbour.note;

import java.util.List;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(name = "NoteInput", description = "A practice note. The body is plain text or Markdown, stored as given and never rendered by the API.")
public record NoteInput(
        @NotBlank @Size(max = 300) @Schema(examples = "Hot debriefs after every overdose") String title,
        @NotBlank @Size(max = 20000) String body,
        @NotNull @Schema(description = "The note's language: en or fr.") NoteEnums.Language language,
        @NotNull NoteEnums.Theme theme,
        @NotNull NoteEnums.Kind kind,
        @Size(max = 20) List<@NotNull @Pattern(regexp = "[\\p{L}\\p{N}][\\p{L}\\p{N}_-]{0,39}", message = "{harbour.tag}") String> tags,
        @NotNull NoteEnums.Visibility visibility) {
}
