// The abonnementstarief check (docs/reconcile.md): eligible days per person under the policy's
// trigger (day states), billable months per household, episode start months, and — with a
// billing list — the comparison that finds refunds (`pause`, `before-start`, `after-stop`,
// `no-allocation`, and `not-claimed` for the declaration trigger) and informational findings
// (`start-month`, `not-billed`, `duplicate-household`, `amount-mismatch`, `amount-unknown`,
// `stop-expected`). Without a billing list: the episodes (WMO405 start/stop dates) and the
// billable months per household. Pure: inputs are plain structs.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/delivery/intervals.hpp"
#include "core/model.hpp"
#include "core/reconcile/billing.hpp"
#include "core/reconcile/policy.hpp"

namespace istd::reconcile {

/// One allocation of a person as the check sees it (current version).
struct AtAllocation {
  std::string bsn;
  std::string gemeente, agb;
  std::int64_t nummer = 0;
  std::string categorie;  ///< "" for a generic allocation (relevant)
  model::Date ingangsdatum;
  std::optional<model::Date> einddatum;
  bool deleted = false;
  std::vector<delivery::Interval> intervals;  ///< evidence filled
  std::string evidence;                       ///< the 301 ("WMO301:<id>")
  /// Deleted starts/stops: their Begindatum and the deleting message (evidence, F6).
  std::vector<std::pair<model::Date, std::string>> deletions;
  /// Approved, not credited debit lines' product periods (trigger declaration).
  std::vector<std::pair<model::Date, model::Date>> claimed;
};

struct AtInput {
  std::vector<AtAllocation> allocations;
  std::map<std::string, model::Date> geboortedatum;  ///< by Bsn
  /// The billing list; nullopt = no billing data (episodes and billable months only).
  std::optional<std::vector<BillingLine>> billing;
  int year = 0, month = 0;  ///< evaluation month: billing lines up to it are compared
};

struct AtFinding {
  std::string bsn, household;
  std::string month;   ///< YYYY-MM
  std::string reason;  ///< pause, before-start, after-stop, no-allocation, not-claimed,
                       ///< start-month, not-billed, duplicate-household, amount-mismatch,
                       ///< amount-unknown, stop-expected; without billing: episode-start,
                       ///< episode-stop, billable
  bool refund = false;             ///< a refund of `amount`
  std::int64_t amount = 0;         ///< billed (or, for not-billed/billable, expected) cents
  std::optional<std::int64_t> expected_amount;  ///< the year's amount when known
  std::vector<std::string> evidence;
  std::string detail;              ///< plain-language explanation
  std::string date;                ///< episode-start / episode-stop / stop-expected: the date
};

struct Episode {
  std::string bsn;
  model::Date start;
  std::optional<model::Date> stop;  ///< nullopt: still running at the end of the month
};

struct AtResult {
  std::vector<AtFinding> findings;  ///< sorted by (month, household, bsn, reason)
  std::vector<Episode> episodes;    ///< per person, by start
};

AtResult check_abonnementstarief(const AtInput& in, const Policy& policy);
/// The same without copying the inputs into an AtInput; `billing` nullptr = no billing data.
AtResult check_abonnementstarief(const std::vector<AtAllocation>& allocations,
                                 const std::map<std::string, model::Date>& geboortedatum,
                                 const std::vector<BillingLine>* billing, int year, int month,
                                 const Policy& policy);

}  // namespace istd::reconcile
