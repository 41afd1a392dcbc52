package org.harbour.note;

import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.harbour.audit.AuditEntry;
import org.harbour.audit.AuditLog;
import org.harbour.tenancy.Roles;
import org.harbour.web.ETags;
import org.harbour.web.ProblemException;
import org.harbour.web.Saved;

import io.quarkus.security.identity.SecurityIdentity;

/** The organization's notes: authors edit their own, org-admins any of the organization's. */
@ApplicationScoped
public class NoteService {

    static final String ENTITY = "note";

    @Inject
    AuditLog audit;

    @Inject
    SecurityIdentity identity;

    @Transactional
    public Saved<NoteView> create(NoteInput input) {
        Note note = new Note();
        note.authorSubject = subject();
        apply(note, input);
        note.persistAndFlush();
        NoteView view = NoteView.of(note);
        audit.record(AuditEntry.Action.CREATE, ENTITY, note.id, null, view);
        return Saved.created(view, note.version);
    }

    @Transactional
    public NoteView get(UUID id) {
        return NoteView.of(find(id));
    }

    @Transactional
    public Saved<NoteView> update(UUID id, NoteInput input, String ifMatch) {
        Note note = find(id);
        mayEdit(note);
        ETags.check(ifMatch, note.version);
        NoteView before = NoteView.of(note);
        apply(note, input);
        note.persistAndFlush();
        NoteView after = NoteView.of(note);
        audit.record(AuditEntry.Action.UPDATE, ENTITY, id, before, after);
        return new Saved<>(after, Saved.Outcome.UPDATED, note.version);
    }

    @Transactional
    public void delete(UUID id, String ifMatch) {
        Note note = find(id);
        mayEdit(note);
        ETags.check(ifMatch, note.version);
        NoteView before = NoteView.of(note);
        note.delete();
        audit.record(AuditEntry.Action.DELETE, ENTITY, id, before, null);
    }

    private void mayEdit(Note note) {
        String me = subject();
        if (!identity.hasRole(Roles.ORG_ADMIN) && (me == null || !me.equals(note.authorSubject))) {
            throw new ProblemException(403, "forbidden", "problem.forbidden.not-author");
        }
    }

    /** The token's subject: stable, unlike a display name, so authorship survives a rename. */
    private String subject() {
        return identity.getPrincipal() instanceof JsonWebToken token ? token.getSubject() : identity.getPrincipal().getName();
    }

    private static Note find(UUID id) {
        return Note.<Note> findByIdOptional(id).orElseThrow(ProblemException::notFound);
    }

    private static void apply(Note note, NoteInput input) {
        note.title = input.title();
        note.body = input.body();
        note.language = input.language();
        note.theme = input.theme();
        note.kind = input.kind();
        note.tags = input.tags() == null ? List.of() : input.tags().stream().map(String::toLowerCase).distinct().toList();
        note.visibility = input.visibility();
    }
}
