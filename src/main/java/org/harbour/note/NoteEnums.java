package org.harbour.note;

/** The coded values of a practice note: the guidebook's themes. */
public final class NoteEnums {

    private NoteEnums() {
    }

    public enum Theme {
        EXPANDING_MODELS, REGULATORY, OPERATIONS, COMMUNITY_ENGAGEMENT, STAFF_RESILIENCY
    }

    public enum Kind {
        ISSUE, TIP
    }

    public enum Visibility {
        /** The organization's own staff. */
        ORGANIZATION,
        /** Every member organization and the coordinator. */
        NETWORK
    }

    public enum Language {
        en, fr
    }
}
