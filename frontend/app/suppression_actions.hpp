#pragma once
// Named actions of the suppression list (docs/design.md §11, permission 390): list
// and search the suppressed addresses, page through them, export them as
// CSV, and lift a suppression after confirmation (the server audits it).
// Reached through Actions::suppressions().

#include "app/send_actions.hpp"  // ApiCaller
#include "app/state.hpp"

#include <functional>
#include <string>

namespace invites::app {

class SuppressionActions {
 public:
  using UrlOpener = std::function<void(const std::string& url)>;
  SuppressionActions(State& state, ApiCaller api, UrlOpener open_url);
  SuppressionActions(const SuppressionActions&) = delete;
  SuppressionActions& operator=(const SuppressionActions&) = delete;

  void open();                        // the tab was opened: the first page
  void set_search(std::string text);  // a new search from the first page
  void set_include_lifted(bool on);
  void next_page();
  void previous_page();
  void reload();                            // the page shown, again
  void export_csv();                        // GET /api/suppressions.csv with the same search
  void ask_lift(const std::string& email);  // opens the confirmation
  void cancel_lift();
  void confirm_lift();  // POST /api/suppressions/lift, then the page again
  void reset();

 private:
  void load();
  std::string query() const;  // "q=...&include_lifted=..."

  State& state_;
  ApiCaller api_;
  UrlOpener open_url_;
  std::uint64_t generation_ = 0;  // answers to an older query are dropped
};

}  // namespace invites::app
