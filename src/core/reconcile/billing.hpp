// The billing list (`--billing CSV`): the abonnementstarief lines the CAK billed on behalf of the
// municipality. Header `bsn,month,amount` plus optional `household` (any order), separated by
// ',', ';' or TAB (csv::read); month YYYY-MM, amount in euros as people write them ("21,00",
// "21.00", "€ 21,00", "21"). Two lines for one household-month are data (duplicate-household),
// not an error.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace istd::reconcile {

/// The largest monthly amount istd accepts, in cents (EUR 1.000,00), in a billing CSV and in the
/// policy: a bound against typing errors (the abonnementstarief is about EUR 21,00).
inline constexpr std::int64_t kMaxMonthlyAmount = 100000;

struct BillingLine {
  std::string bsn;
  int year = 0, month = 0;
  std::int64_t amount = 0;   ///< cents (the file has euros)
  std::string household;     ///< "" when not given (the person is the household)
  int line = 0;              ///< line in the file
};

/// Parses a billing CSV. Checks: the header (exactly bsn, month, amount and optionally
/// household), field count, BSN (9 digits, 11-proof), month (YYYY-MM, 2019..2099), amount
/// (euros with at most two decimals, 0,00..1.000,00), one household per BSN.
/// @throws ConfigError "FILE:LINE: ..." on the first bad line.
std::vector<BillingLine> parse_billing(std::string_view text, const std::string& file);

}  // namespace istd::reconcile
