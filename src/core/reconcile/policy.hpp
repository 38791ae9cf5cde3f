// The municipality's policy (`--policy FILE` of reconcile, worklist and cak; docs/reconcile.md):
// which months are billable for the abonnementstarief, the monthly amounts per year (in euros
// in the file), the TR318 evidence switch, the optional local rejection of before-start /
// in-pause claims (deviates from OP364) and the worklist's terms.
//
// Format: one `key = value` per line; `#` starts a comment; blank lines ignored; keys are
// case-sensitive; a key may appear once. Unknown keys and bad values are ConfigErrors
// "FILE:LINE: ...".
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>

namespace istd::reconcile {

enum class Trigger { delivery, allocation, declaration };
std::string_view to_string(Trigger t);

struct Policy {
  Trigger trigger = Trigger::delivery;
  bool pause_suspends = true;
  bool start_month_billed = false;
  /// Product categories that never make a month billable (exempt from the abonnementstarief):
  /// 11 wheelchairs, 15–18 beschermd wonen / opvang. Category 08 (vervoer) is relevant unless
  /// listed here.
  std::set<std::string> exempt_categories{"11", "15", "16", "17", "18"};
  bool minors_exempt = true;
  /// Categories charged to minors too (13 woonvoorzieningen: fixed home adaptations).
  std::set<std::string> minors_charged_categories{"13"};
  bool einddatum_inclusive = true;
  /// Monthly AT per household in cents by year (the CAK's maximum: EUR 19,00 a month in
  /// 2020–2023, 20,60 in 2024, 21,00 in 2025); the file writes euros (`amount.2025 = 21,00`).
  /// A year missing here is "unknown": the check then reports `amount-unknown` instead of
  /// guessing.
  std::map<int, std::int64_t> amounts{{2020, 1900}, {2021, 1900}, {2022, 1900},
                                      {2023, 1900}, {2024, 2060}, {2025, 2100}};
  /// TR318: delivery intervals count as evidence of care in skipped months.
  bool tr318_delivery_evidence = true;
  /// Local rejection codes (a retourcode of the 325 code list) for claims with these signals;
  /// nullopt = off (default, OP364).
  std::optional<std::string> reject_before_start, reject_in_pause;
  /// Worklist (`istd worklist`): a 305 is overdue this many working days after the
  /// Ingangsdatum, or after the 301 when that came later (a retroactive allocation).
  int start_overdue_days = 5;
  /// Worklist: a pause (307 reden 20) with neither a restart (305) nor a definitive stop is
  /// followed up this many calendar days after it began.
  int pause_followup_days = 30;

  /// Parses a policy file's text; keys not given keep their defaults.
  /// @throws ConfigError "FILE:LINE: ..." on unknown keys, bad values, repeated keys.
  static Policy parse(std::string_view text, const std::string& file);
  /// The defaults as a policy file (for --help and docs).
  static std::string defaults_text();
};

}  // namespace istd::reconcile
