"""The attack suite: where each attack of issue 7's "Done when" is tested.

Run it with `pytest tests/attacks` (the browser test needs Chromium, marker `browser`). The
attacks that live beside the code they attack are listed here too, so docs/security.md can
point at one place.

Access matrix, every URL and persona (other clinics' and patients' objects answer 404):
    tests/web/test_access_matrix.py::test_access (every URL x every persona),
    ::test_every_url_declares_an_access_rule, ::test_every_url_has_a_row_in_the_matrix,
    ::test_public_declarations_match_the_public_list;
    tests/web/test_outsiders.py::test_other_clinic_therapist_gets_404_without_the_patients_name,
    ::test_guessed_ids_answer_404_like_missing_ones, ::test_search_does_not_cross_clinics;
    tests/api/test_access.py::test_lists_hold_only_what_the_persona_may_see,
    ::test_every_api_view_enforces_the_rule_it_declares;
    tests/fhir/test_access.py::test_the_auditor_reads_but_every_write_is_403.

Stored XSS in every free-text field, rendered in a real browser (no script runs, no CSP
violation, the text shown escaped):
    tests/attacks/test_stored_xss_in_chromium.py::test_script_in_every_field_never_runs;
    tests/attacks/test_stored_text.py::test_every_text_field_is_attacked_or_explained,
    ::test_every_page_is_opened_or_explained,
    ::test_pages_with_script_in_every_field_answer_and_escape_it (no browser; both databases).
    Fields: tests/attacks/stored_text.py (found by walking the models); pages and the
    practice full of payloads: tests/attacks/xss_world.py. PDFs are made by WeasyPrint and
    never rendered by a browser; emails are plain text.

SQL fragments (and field paths, NUL bytes, long and odd text) in every filter and sort
parameter, of pages, the REST API, FHIR search and the audit report:
    tests/attacks/test_sql_fragments.py::test_fragments_in_every_parameter (one per URL),
    ::test_every_read_is_tied_to_a_url, ::test_the_discovery_finds_the_known_readers.
    The (URL, parameter) pairs are read from the code: tests/attacks/query_reads.py.
    Also: tests/api/test_querying.py (the API's allow-lists), tests/fhir/test_access.py::
    test_unknown_search_parameters_are_refused_not_ignored, tests/audit/test_report.py::
    test_any_other_sort_is_ignored.

Hostile input (extreme dates and times, 10,000 characters, NUL, emoji and right-to-left
text, wrong types, huge numbers, nested JSON) on every URL pattern as every kind of person,
in query strings, paths, form and JSON bodies, and every FHIR search parameter; never a 5xx:
    tests/attacks/test_hostile_input.py::test_every_url_survives_hostile_input,
    ::test_hostile_values_in_every_captured_part_of_a_path,
    ::test_every_fhir_search_parameter_survives_hostile_values; one test per finding of
    issue 13's probe, and the bad-input middleware: tests/attacks/test_bad_input.py;
    tests/api/test_schemathesis.py (the REST API's schema and FHIR's search parameters,
    fuzzed). The battery: tests/attacks/hostile.py.

CSRF:
    tests/attacks/test_csrf.py::test_a_post_without_a_token_is_refused_and_changes_nothing
    (every URL), ::test_the_session_must_send_a_token_to_the_rest_api,
    ::test_the_session_must_send_a_token_to_fhir, ::test_a_bearer_token_needs_no_csrf_token;
    tests/api/test_access.py::test_session_writes_need_the_csrf_token;
    tests/fhir/test_access.py::test_a_session_write_needs_the_csrf_token_but_a_bearer_write_does_not.

Session fixation and session limits:
    tests/accounts/test_sessions.py::test_the_session_key_changes_at_sign_in,
    ::test_the_session_key_changes_again_at_the_second_factor,
    ::test_sign_out_is_post_only_and_ends_the_session_on_the_server, ::test_an_idle_session_ends,
    ::test_a_busy_staff_session_still_ends_after_the_absolute_limit.

Brute force:
    tests/accounts/test_throttle.py::test_one_address_slows_down_after_the_free_failures,
    ::test_rotating_addresses_against_one_account_is_stopped,
    ::test_one_address_spraying_many_accounts_is_stopped,
    ::test_one_attacker_cannot_lock_the_whole_clinic_out,
    ::test_a_forged_forwarded_for_header_does_not_change_the_address,
    ::test_wrong_second_factor_codes_count_as_failures;
    tests/accounts/test_second_factor.py::test_wrong_codes_make_the_next_try_wait,
    ::test_too_many_wrong_codes_sign_the_session_out.

Username enumeration:
    tests/accounts/test_enumeration.py::test_unknown_and_known_usernames_get_the_same_page,
    ::test_an_inactive_account_gets_the_same_page_too,
    ::test_an_unknown_username_costs_one_argon2_hash_like_a_known_one;
    tests/accounts/test_throttle.py::test_unknown_usernames_are_throttled_exactly_like_real_ones.

TOTP replay:
    tests/accounts/test_second_factor.py::test_a_code_cannot_be_used_twice,
    ::test_an_older_code_is_refused_after_a_newer_one, ::test_a_recovery_code_works_once,
    ::test_an_app_cannot_be_swapped_before_the_code.

Audit tampering (update/delete refused on PostgreSQL, a forged row detected):
    tests/audit/test_append_only.py::test_raw_sql_changes_are_refused_by_postgres,
    ::test_truncate_is_refused_by_postgres, ::test_a_row_cannot_be_deleted,
    ::test_bulk_changes_are_refused;
    tests/audit/test_chain.py::test_a_forged_row_is_named,
    ::test_a_forged_row_with_a_wrong_parent_is_named, ::test_the_first_broken_row_is_named,
    ::test_rows_after_the_forgery_do_not_hide_it;
    tests/audit/test_recording.py::test_free_text_cannot_get_into_the_trail.

Break-glass expiry:
    tests/breakglass/test_opening.py::test_expiry_closes_the_record_again,
    ::test_the_expiry_setting_is_used, ::test_revoking_the_grant_closes_the_record,
    ::test_ending_early_closes_the_record.
"""
