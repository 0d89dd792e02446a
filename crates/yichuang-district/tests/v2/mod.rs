//! Protocol v2 against the real district over real HTTP, once per store backend.

mod admin;
mod admin_forms;
mod admin_upload;
mod cases;
mod citizen;
mod citizen_codes;
mod downloads;
mod enroll;
mod evaluations;
mod handovers;
mod hardening;
mod harness;
mod materials;
mod pg_backend;

/// Runs every listed test once per backend. A new store adds one `mod` block here with its
/// [`harness::Backend`].
macro_rules! for_each_backend {
    ($($module:ident :: $test:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $test() {
                    crate::v2::$module::$test(&crate::v2::harness::Sqlite).await
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $test() {
                    let Some(backend) = crate::v2::pg_backend::Postgres::from_env(stringify!($test))
                    else {
                        return;
                    };
                    crate::v2::$module::$test(&backend).await;
                    // A failed test leaves its database for a look (yc_v2_*).
                    backend.drop_databases().await;
                }
            )*
        }
    };
}

for_each_backend!(
    enroll::a_good_code_gives_a_token_once,
    enroll::expired_unknown_and_wrong_station_codes_are_refused,
    enroll::revoked_tokens_get_401,
    enroll::a_qr_signed_offline_verifies_with_the_key_registered_at_enrollment,
    cases::one_batch_answers_new_duplicate_conflict_and_invalid,
    cases::whole_batch_refusals_touch_no_record,
    cases::a_batch_sent_twice_keeps_its_numbers,
    cases::acknowledged_records_survive_a_restart,
    cases::concurrent_resends_store_once,
    evaluations::evaluations_are_stored_once_per_case,
    handovers::handovers_are_stored_once_per_decided_case,
    handovers::a_courier_handover_of_a_mailed_case_carries_its_tracking_number,
    handovers::concurrent_handovers_of_one_case_store_once,
    citizen::the_evaluation_page_verifies_the_slip_and_rates_once,
    citizen::a_slip_rated_before_its_case_arrives_counts_once,
    citizen::the_progress_page_shows_the_status_and_no_personal_data,
    citizen::a_revoked_devices_slips_still_open_the_page,
    citizen_codes::ratings_are_recorded_with_the_configured_codes,
    materials::check_then_upload_in_two_pieces,
    materials::a_cut_connection_resumes_from_what_arrived,
    materials::a_client_that_breaks_off_resumes,
    materials::wrong_offset_and_corrupt_bytes,
    materials::a_50_mb_material_and_one_over_the_limit,
    downloads::reference_is_304_when_current,
    downloads::status_changes_by_cursor_and_only_the_station_own,
    downloads::station_report_shows_in_stations,
    hardening::errors_are_error_bodies_with_a_date,
    hardening::faults_by_path_and_captive_portals,
    hardening::overload_is_shed_with_retry_after,
    admin::admin_sign_in_refuses_a_wrong_token,
    admin::admin_posts_without_session_or_csrf_change_nothing,
    admin::admin_page_is_off_without_a_token,
    admin_forms::admin_issues_an_enrollment_code_that_enrolls,
    admin_forms::admin_publishes_what_stations_download,
    admin_forms::admin_moves_a_case_to_mailed,
    admin_upload::admin_publishes_an_uploaded_catalogue_file,
    admin_upload::admin_refuses_uploads_too_large_not_utf8_or_not_json,
);
