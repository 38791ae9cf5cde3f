// The picture of one client's history in the month report: per allocation a row of bands
// (not started, delivered, paused, stopped, ended) over the months concerned, the months the CAK
// billed marked, refund months highlighted, each band numbered and listed with the message that
// proves it (identificatie and dates).
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "core/explain/catalogue.hpp"
#include "core/reconcile/abonnementstarief.hpp"

namespace istd::report {

struct ClientTimeline {
  std::string bsn;  ///< as shown (masked or not)
  std::vector<const reconcile::AtAllocation*> allocations;
  std::set<std::string> billed;   ///< YYYY-MM
  std::set<std::string> refund;   ///< YYYY-MM with a refund for the household
  int to_year = 0, to_month = 0;  ///< the evaluation month (last column)
};

/// `<svg class="timeline" data-bsn="...">...</svg>` and the numbered list of its bands.
std::string timeline_svg(const ClientTimeline& c, explain::Lang lang);

}  // namespace istd::report
