"""The access matrix: (endpoint, method, object) -> expected status for every signed-in role.

Columns, in order: member (of group A, Viet Nam's OCP), nominator (awards),
committee (no conflict), conflicted (committee, conflict declared on the
submitted nomination), moderator, admin. Nobody of these is in group B, the
unlisted group; the author (not a column) owns most content and coordinates A and B.

A code is the status expected; ``-`` means "allowed, and not sent": a POST that
would really change the world (the CSRF suite checks those refuse a missing
token). Refusals of POSTs are sent with an empty form, so they must be refused
before validation. Per DESIGN.md: 404 when the object is invisible, 403 when
visible but not allowed.

Anonymous and invited visitors get 302 to the login page everywhere except the
public endpoints (``PUBLIC``); a member outside the test group in pilot mode gets
403 (the "not open yet" page) everywhere except public endpoints and logout.
"""

ALL = "200 200 200 200 200 200"
ADMIN = "403 403 403 403 403 200"
ADMIN_POST = "403 403 403 403 403 -"
MODS = "403 403 403 403 200 200"
MODS_POST = "403 403 403 403 - -"
HIDDEN = "404 404 404 404 404 200"  # group B's, the administrators' own
HIDDEN_POST = "404 404 404 404 404 -"
NOBODY = "404 404 404 404 404 404"
SENT_NOT = "- - - - - -"
GONE = "410 410 410 410 410 410"  # a link with an unknown or spent token

#: object name -> URL values (path arguments; the rest become the query string)
OBJECTS = {
    None: lambda w: {},
    "search": lambda w: {"q": "inventories"},  # the secret word: test_search_leaks
    "pick": lambda w: {"q": "Beta"},  # the picker: group B's "Beta <secret> report" stays out
    "figure": lambda w: {"name": "members"},
    "static": lambda w: {"filename": "css/pen.css"},
    "bootstrap": lambda w: {"filename": "bootstrap5/css/bootstrap.min.css"},
    "bad_token": lambda w: {"token": "not-a-token"},
    "user_member": lambda w: {"user_id": w["user_member"]},
    "user_invited": lambda w: {"user_id": w["user_invited"]},
    "avatar_member": lambda w: {"user_id": w["user_member"], "size": 32, "photo": "none.jpg"},
    "avatar_invited": lambda w: {"user_id": w["user_invited"], "size": 32, "photo": "none.jpg"},
    "cohort": lambda w: {"cohort_id": w["cohort"], "user_id": w["user_member"]},
    "invitation": lambda w: {"invitation_id": w["invitation"]},
    "cycle_live": lambda w: {"cycle_id": w["cycle_live"], "item_id": w["award_criterion"],
                             "kind": "nominations"},
    "cycle_future": lambda w: {"cycle_id": w["cycle_future"], "kind": "nominations"},
    "nom_draft": lambda w: {"nomination_id": w["nomination_draft"]},
    "nom_sub": lambda w: {"nomination_id": w["nomination_sub"], "document_id": w["award_doc"],
                          "reviewer_id": w["user_conflicted"]},
    "nom_other": lambda w: {"nomination_id": w["nomination_other"],
                            "document_id": w["award_doc_other"]},
    "event_net": lambda w: {"event_id": w["event_net"]},
    "event_b": lambda w: {"event_id": w["event_b"]},
    "registration": lambda w: {"registration_id": w["registration"]},
    "designation": lambda w: {"designation_id": w["designation"]},
    "user_session": lambda w: {"session_id": w["user_session"]},
    "designation_request": lambda w: {"request_id": w["designation_request"]},
    "group_a": lambda w: {"slug": "group-a", "user_id": w["user_author"],
                          "request_id": w["join_request"], "decision": "decline"},
    "group_b": lambda w: {"slug": "group-b", "invitation_id": w["group_invitation"],
                          "meeting_id": w["meeting_b"], "activity_id": w["activity_b"],
                          "user_id": w["user_author"]},
    "group_invitation": lambda w: {"invitation_id": w["group_invitation"]},
    "attachment_net": lambda w: w["attachment_net"],
    "attachment_b": lambda w: w["attachment_b"],
    "category": lambda w: {"slug": w["category_slug"], "category_id": w["category"]},
    "post_net": lambda w: {"post_id": w["post_net"], "version": 1},
    "post_own": lambda w: {"post_id": w["post_own"], "version": 1},
    "post_b": lambda w: {"post_id": w["post_b"], "version": 1},
    "post_deleted": lambda w: {"post_id": w["post_deleted"]},
    "post_hidden": lambda w: {"post_id": w["post_hidden"]},
    "report": lambda w: {"report_id": w["report"]},
    "topic_net": lambda w: {"topic_id": w["topic_net"]},
    "topic_list": lambda w: {"which": "new"},
    "tag": lambda w: {"slug": w["tag_slug"]},
    "tag_id": lambda w: {"tag_id": w["tag_id"]},
    "no_image": lambda w: {"name": "none.jpg"},
    "topic_a": lambda w: {"topic_id": w["topic_a"]},
    "topic_b": lambda w: {"topic_id": w["topic_b"]},
    "topic_deleted": lambda w: {"topic_id": w["topic_deleted"]},
    "doc_net": lambda w: {"document_id": w["doc_net"], "number": 1},
    "doc_b": lambda w: {"document_id": w["doc_b"], "number": 1},
    "doc_admins": lambda w: {"document_id": w["doc_admins"], "number": 1},
    "doc_failed": lambda w: {"document_id": w["doc_failed"], "number": 1},
    "term": lambda w: {"term_id": w["term"]},
    "import_job": lambda w: {"job_id": w["import_job"], "kind_name": "members"},
    "version_failed": lambda w: {"version_id": w["version_failed"]},
    "synonym": lambda w: {"synonym_id": w["synonym"]},
    "vocabulary_kind": lambda w: {"kind_name": "expertise"},
    "note_author": lambda w: {"notification_id": w["notification_author"]},
    "application": lambda w: {"application_id": w["application"]},
    "conversation": lambda w: {"conversation_id": w["conversation"]},
    "message": lambda w: {"message_id": w["message"]},
    "message_attachment": lambda w: w["message_attachment"],
    "msg_report": lambda w: {"report_id": w["msg_report"]},
}

#: public endpoints: (endpoint, method, object) -> (anonymous and invited, outsider)
PUBLIC = [
    ("static", "GET", "static", "200 200"),
    ("bootstrap.static", "GET", "bootstrap", "200 200"),
    ("members.set_language", "POST", None, "400 400"),
    ("home.healthz", "GET", None, "200 200"),
    ("home.readyz", "GET", None, "200 200"),
    ("home.metrics_endpoint", "GET", None, "404 404"),  # no token given: as if absent
    ("auth.login", "GET", None, "200 302"),
    ("auth_shortcuts.login_shortcut", "GET", None, "302 302"),  # to the sign-in page
    ("auth.login", "POST", None, "200 -"),
    ("auth.logout", "POST", None, "302 -"),
    ("auth.request_reset", "GET", None, "200 200"),
    ("auth.request_reset", "POST", None, "200 -"),
    ("auth.reset_password", "GET", "bad_token", "410 410"),
    ("auth.reset_password", "POST", "bad_token", "410 410"),
    ("privacy.page", "GET", None, "200 200"),
    ("auth.challenge", "GET", None, "302 302"),  # no password given first: back to sign in
    ("auth.challenge", "POST", None, "302 302"),
    ("onboarding.accept", "GET", "bad_token", "410 410"),
    ("onboarding.accept", "POST", "bad_token", "410 410"),
    ("onboarding.renew", "GET", None, "200 200"),
    ("onboarding.renew", "POST", None, "400 -"),  # the empty form
    ("applications.apply", "GET", None, "200 200"),
    ("applications.apply", "POST", None, "400 -"),  # the empty form
    ("applications.confirm", "GET", "bad_token", "410 410"),
    ("applications.confirm", "POST", "bad_token", "410 410"),
    ("applications.answer", "GET", "bad_token", "410 410"),
    ("applications.answer", "POST", "bad_token", "410 410"),
    # feeds are public (a key stands in for the session) but not for the pilot's outsider
    ("events.feed", "GET", None, "302 404"),
    ("events.group_feed", "GET", "group_a", "302 404"),
    ("forums.feed", "GET", "category", "302 404"),
    ("notifications.unsubscribe", "GET", "bad_token", "404 404"),
    ("notifications.unsubscribe", "POST", "bad_token", "404 404"),
]

# endpoint, method, object, member nominator committee conflicted moderator admin
ROWS = [
    # --- home, search, onboarding, notifications
    ("home.index", "GET", None, ALL),
    ("home.activity", "GET", None, ALL),
    ("home.unified_search", "GET", "search", ALL),
    ("home.healthz", "GET", None, ALL),
    ("home.readyz", "GET", None, ALL),
    ("home.admin_dashboard", "GET", None, ADMIN),
    ("home.metrics_endpoint", "GET", None, NOBODY),  # the operator's, with its token only
    ("monitoring.health", "GET", None, ADMIN),
    ("home.admin_figure_csv", "GET", "figure", ADMIN),
    ("onboarding.welcome", "GET", None, ALL),
    ("onboarding.renew", "GET", None, ALL),
    ("onboarding.renew", "POST", None, SENT_NOT),
    ("onboarding.accept", "GET", "bad_token", GONE),
    ("onboarding.accept", "POST", "bad_token", GONE),
    ("notifications.index", "GET", None, ALL),
    ("notifications.open_one", "POST", "note_author", NOBODY),
    ("notifications.read_all", "POST", None, SENT_NOT),
    ("notifications.count", "GET", None, ALL),
    ("notifications.latest", "GET", None, ALL),
    ("notifications.seen", "POST", None, SENT_NOT),
    ("notifications.settings", "GET", None, ALL),
    ("notifications.settings", "POST", None, SENT_NOT),
    ("notifications.feed_key", "POST", None, SENT_NOT),
    ("notifications.unsubscribe", "GET", "bad_token", NOBODY),
    ("notifications.unsubscribe", "POST", "bad_token", NOBODY),
    ("notifications.confirm_address", "POST", None, SENT_NOT),
    ("notifications.revoke_reply_addresses", "POST", None, SENT_NOT),
    # --- private messages: nobody of the columns is in the conversation, admins neither
    ("messages.index", "GET", None, ALL),
    ("messages.new", "GET", None, ALL),
    ("messages.new", "POST", None, SENT_NOT),
    ("messages.search_page", "GET", "search", ALL),
    ("messages.settings", "GET", None, ALL),
    ("messages.settings", "POST", None, SENT_NOT),
    ("messages.block", "POST", "user_member", SENT_NOT),
    ("messages.unblock", "POST", "user_member", SENT_NOT),
    ("messages.conversation", "GET", "conversation", NOBODY),
    ("messages.send", "POST", "conversation", NOBODY),
    ("messages.add", "POST", "conversation", NOBODY),
    ("messages.leave", "POST", "conversation", NOBODY),
    ("messages.message_link", "GET", "message", NOBODY),
    ("messages.report", "GET", "message", NOBODY),
    ("messages.report", "POST", "message", NOBODY),
    ("messages.attachment", "GET", "message_attachment", NOBODY),
    ("messages.report_queue", "GET", None, HIDDEN),
    ("messages.report_detail", "GET", "msg_report", HIDDEN),
    ("messages.close_report", "POST", "msg_report", HIDDEN_POST),
    ("admin.bouncing", "GET", None, ADMIN),
    ("admin.clear_bouncing", "POST", None, ADMIN_POST),
    ("static", "GET", "static", ALL),
    ("bootstrap.static", "GET", "bootstrap", ALL),
    ("members.set_language", "POST", None, "400 400 400 400 400 400"),  # no language given
    # --- auth and administration
    ("auth.login", "GET", None, "302 302 302 302 302 302"),
    ("auth_shortcuts.login_shortcut", "GET", None, "302 302 302 302 302 302"),
    ("auth.login", "POST", None, SENT_NOT),
    ("auth.logout", "POST", None, SENT_NOT),
    ("auth.change_password", "GET", None, ALL),
    ("auth.change_password", "POST", None, SENT_NOT),
    ("auth.sessions_page", "GET", None, ALL),
    ("auth.end_session", "POST", "user_session", NOBODY),  # the author's: nobody else's to end
    ("auth.end_other_sessions", "GET", None, ALL),  # the confirm page: it asks, nothing ends
    ("auth.end_other_sessions", "POST", None, SENT_NOT),
    ("auth.challenge", "GET", None, "302 302 302 302 302 302"),
    ("auth.challenge", "POST", None, "302 302 302 302 302 302"),
    ("auth.setup", "GET", None, ALL),
    ("auth.setup", "POST", None, SENT_NOT),
    ("auth.new_recovery_codes", "POST", None, "302 302 302 302 302 302"),  # not enrolled
    ("auth.disable", "POST", None, "302 302 302 302 302 302"),  # no password
    ("admin.reset_two_factor", "POST", "user_member", ADMIN_POST),
    ("privacy.page", "GET", None, ALL),
    ("privacy.edit", "GET", None, ADMIN),
    ("privacy.edit", "POST", None, ADMIN_POST),
    ("privacy.my_data", "GET", None, ALL),
    ("privacy.my_data", "POST", None, SENT_NOT),
    ("privacy.download", "GET", "bad_token", NOBODY),
    ("privacy.close", "GET", None, ALL),
    ("privacy.close", "POST", None, SENT_NOT),
    ("auth.request_reset", "GET", None, ALL),
    ("auth.request_reset", "POST", None, SENT_NOT),
    ("auth.reset_password", "GET", "bad_token", GONE),
    ("auth.reset_password", "POST", "bad_token", GONE),
    ("admin.audit_log", "GET", None, ADMIN),
    ("admin.imports_page", "GET", None, ADMIN),
    ("admin.import_upload", "POST", "import_job", ADMIN_POST),
    ("admin.import_job", "GET", "import_job", ADMIN),
    ("admin.import_confirm", "POST", "import_job", ADMIN_POST),
    ("admin.import_discard", "POST", "import_job", ADMIN_POST),
    ("admin.import_progress", "GET", "import_job", ADMIN),
    ("admin.import_report_csv", "GET", "import_job", ADMIN),
    ("admin.failures_page", "GET", None, ADMIN),
    ("admin.retry_extraction", "POST", "version_failed", ADMIN_POST),
    ("admin.synonyms_page", "GET", None, ADMIN),
    ("admin.add_synonyms", "POST", None, ADMIN_POST),
    ("admin.edit_synonyms", "POST", "synonym", ADMIN_POST),
    ("admin.delete_synonyms", "POST", "synonym", ADMIN_POST),
    ("admin.vocabulary_index", "GET", None, ADMIN),
    ("admin.vocabulary_kind", "GET", "vocabulary_kind", ADMIN),
    ("admin.save_vocabulary", "POST", "vocabulary_kind", ADMIN_POST),
    ("admin.users", "GET", None, ADMIN),
    ("admin.user", "GET", "user_member", ADMIN),
    ("admin.user_roles", "POST", "user_member", ADMIN_POST),
    ("admin.user_status", "POST", "user_member", ADMIN_POST),
    ("rollout.index", "GET", None, ADMIN),
    ("rollout.cohort_list", "GET", None, ADMIN),
    ("rollout.cohort_list", "POST", None, ADMIN_POST),
    ("rollout.cohort", "GET", "cohort", ADMIN),
    ("rollout.cohort_add", "POST", "cohort", ADMIN_POST),
    ("rollout.cohort_add_region", "POST", "cohort", ADMIN_POST),
    ("rollout.cohort_delete", "POST", "cohort", ADMIN_POST),
    ("rollout.cohort_remove", "POST", "cohort", ADMIN_POST),
    ("rollout.export", "GET", None, ADMIN),
    ("rollout.resend", "POST", "invitation", ADMIN_POST),
    ("rollout.revoke", "POST", "invitation", ADMIN_POST),
    ("rollout.resend_pending", "POST", None, ADMIN_POST),
    ("rollout.send", "POST", None, ADMIN_POST),
    ("rollout.site", "GET", None, ADMIN),
    ("rollout.site", "POST", None, ADMIN_POST),
    # --- applications to join: public pages, and the queue (an application is personal data)
    ("applications.apply", "GET", None, ALL),
    ("applications.apply", "POST", None, SENT_NOT),
    ("applications.confirm", "GET", "bad_token", GONE),
    ("applications.confirm", "POST", "bad_token", GONE),
    ("applications.answer", "GET", "bad_token", GONE),
    ("applications.answer", "POST", "bad_token", GONE),
    ("application_review.queue", "GET", None, ADMIN),
    ("application_review.detail", "GET", "application", HIDDEN),
    ("application_review.approve", "POST", "application", HIDDEN_POST),
    ("application_review.decline", "POST", "application", HIDDEN_POST),
    ("application_review.ask", "POST", "application", HIDDEN_POST),
]
