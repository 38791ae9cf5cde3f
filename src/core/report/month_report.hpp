// report.html of `istd reconcile`: the month in front of the people who act on it. One
// self-contained page (inline CSS and SVG, a little optional script): the month at a glance,
// the providers, the abonnementstarief refunds with each client's timeline, every rejected line
// and signal with its explanation (from the catalogue) and evidence. Dutch by default.
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>

#include "core/explain/catalogue.hpp"
#include "core/reconcile/reconcile.hpp"

namespace istd::report {

struct MonthReportOptions {
  explain::Lang lang = explain::Lang::nl;
  bool mask_bsn = false;
  /// Rows shown per group of rejected lines or signals, and households shown with their
  /// timelines; the rest is counted and left to findings.csv / abonnementstarief.csv.
  std::size_t max_rows = 200;
  std::string generated_on;  ///< YYYY-MM-DD, shown in the header
};

/// The page. `summary` is reconcile::summary(r): every figure shown is taken from it, so the
/// page and summary.json agree.
std::string month_report_html(const reconcile::Result& r, const nlohmann::json& summary,
                              const MonthReportOptions& options);

}  // namespace istd::report
