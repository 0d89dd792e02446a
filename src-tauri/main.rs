//! The desktop shell: opens the window, holds the open station, and forwards IPC to the engine.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

mod account_commands;
mod commands;
mod credit_commands;
mod customer_commands;
mod delivery_commands;
mod handover_quarantine_commands;
mod home_commands;
mod intake_commands;
mod manager_commands;
mod print_commands;
mod queue_commands;
mod scan_commands;
mod settings_commands;
mod state;
mod sync_commands;
mod sync_events;
mod webview_drawing;

use tauri::Manager;

fn main() {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .init();
    let result = tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .setup(|app| {
            let config = state::station_config(app.handle())?;
            let app_state = state::AppState::open(config);
            app.manage(app_state);
            app.manage(scan_commands::ScanWatch::default());
            app.manage(customer_commands::CustomerScreen::default());
            webview_drawing::draw_clerk_window_without_compositing(app.handle());
            customer_commands::set_up_window(app.handle());
            sync_events::start_if_ready(app.handle());
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::startup,
            commands::provision,
            commands::recover_key,
            commands::login,
            commands::logout,
            intake_commands::form_options,
            intake_commands::search_items,
            intake_commands::item,
            intake_commands::start_intake,
            intake_commands::save_draft,
            intake_commands::drafts,
            intake_commands::discard_draft,
            intake_commands::check_intake,
            intake_commands::decide,
            intake_commands::complete_correction,
            intake_commands::correction_form,
            intake_commands::record_supplement,
            intake_commands::returning_applicant,
            intake_commands::search_cases,
            credit_commands::credit_check,
            credit_commands::acknowledge_black_list,
            customer_commands::customer_show,
            customer_commands::customer_view,
            customer_commands::customer_rate,
            scan_commands::scan_pages,
            scan_commands::scan_attach_file,
            scan_commands::scan_attach_arrived,
            scan_commands::scan_move_page,
            scan_commands::scan_remove_page,
            scan_commands::scan_page_image,
            scan_commands::scan_reusable,
            scan_commands::scan_reuse,
            scan_commands::scan_folder,
            scan_commands::scan_set_folder,
            scan_commands::scan_watch_start,
            scan_commands::scan_pick_files,
            scan_commands::scan_pick_folder,
            print_commands::print_options,
            print_commands::printers,
            print_commands::print_preview,
            print_commands::print_set_printer,
            print_commands::print_slip,
            print_commands::print_retry,
            print_commands::print_cancel,
            print_commands::print_history,
            commands::sync_status,
            commands::sync_now,
            sync_commands::district,
            sync_commands::set_district_url,
            sync_commands::set_district_ca,
            sync_commands::pick_district_ca,
            sync_commands::enroll,
            sync_commands::quarantined,
            sync_commands::release_quarantined,
            // login, accounts and roles (issue 8.1)
            commands::lock,
            commands::unlock,
            commands::session,
            commands::login_settings,
            account_commands::accounts,
            account_commands::add_local_clerk,
            account_commands::set_clerk_active,
            account_commands::reset_clerk_password,
            // home (issue 8.2)
            home_commands::home,
            home_commands::deadlines,
            // intake (issue 8.3)
            // queue (issue 8.4)
            queue_commands::queue_filters,
            queue_commands::queue_search,
            queue_commands::case_history,
            queue_commands::case_scans,
            queue_commands::case_page_image,
            // delivery (issue 8.5)
            delivery_commands::delivery_list,
            delivery_commands::delivery_case,
            delivery_commands::delivery_at_window,
            delivery_commands::delivery_by_courier,
            delivery_commands::delivery_mark_signed,
            // hall manager (issue 8.6)
            manager_commands::manager_case_stats,
            manager_commands::manager_evaluation_stats,
            manager_commands::manager_pick_export_path,
            manager_commands::manager_export,
            handover_quarantine_commands::refused_handovers,
            handover_quarantine_commands::release_refused_handover,
            // settings (issue 8.7)
            settings_commands::settings_station,
            settings_commands::settings_set_station,
            settings_commands::settings_printers,
            settings_commands::settings_set_slip_printer,
            settings_commands::settings_test_print,
            settings_commands::settings_evaluation_codes,
            settings_commands::settings_set_evaluation_codes,
            settings_commands::settings_prefs,
            settings_commands::settings_set_prefs,
            settings_commands::settings_login,
            settings_commands::settings_set_login,
        ])
        .run(tauri::generate_context!());
    if let Err(e) = result {
        eprintln!("一窗受理台无法启动：{e}");
        std::process::exit(1);
    }
}
