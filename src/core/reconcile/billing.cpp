#include "core/reconcile/billing.hpp"

#include <algorithm>
#include <map>

#include <fmt/format.h>

#include "core/errors.hpp"
#include "core/model.hpp"
#include "core/reconcile/csv.hpp"
#include "core/util/money.hpp"

namespace istd::reconcile {

namespace {

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}
}  // namespace

std::vector<BillingLine> parse_billing(std::string_view text, const std::string& file) {
  const auto table = csv::read(text, file, {"bsn", "month", "amount"}, {"household"});
  const auto& col = table.columns;
  std::vector<BillingLine> out;
  out.reserve(table.rows.size());
  std::map<std::string, std::pair<std::string, int>> household_of;  // bsn -> (household, line)
  for (const auto& row : table.rows) {
    const std::string where = fmt::format("{}:{}", file, row.line);
    auto err = [&](const std::string& what) {
      return ConfigError(fmt::format("{}: {}", where, what));
    };
    auto f = [&](int i) -> const std::string& { return row.fields[static_cast<std::size_t>(i)]; };
    BillingLine b;
    b.line = row.line;
    b.bsn = f(col[0]);
    if (b.bsn.size() != 9 || !all_digits(b.bsn) || !model::bsn_eleven_proof(b.bsn))
      throw err(fmt::format("bad BSN \"{}\" (9 digits passing the 11-proof)", b.bsn));
    const std::string& m = f(col[1]);
    if (m.size() != 7 || m[4] != '-' || !all_digits(m.substr(0, 4)) || !all_digits(m.substr(5)))
      throw err(fmt::format("bad month \"{}\" (YYYY-MM)", m));
    b.year = std::stoi(m.substr(0, 4));
    b.month = std::stoi(m.substr(5));
    if (b.month < 1 || b.month > 12 || b.year < 2019 || b.year > 2099)
      throw err(fmt::format("impossible month \"{}\"", m));
    const std::string& a = f(col[2]);
    b.amount = csv::euros(a, "amount", where);
    if (b.amount < 0)
      throw err(fmt::format("negative amount \"{}\" (a billed amount is 0,00 or more)", a));
    if (b.amount > kMaxMonthlyAmount)
      throw err(fmt::format(
          "impossible amount \"{}\" (EUR {}: more than EUR {} in a month; amounts are in euros, "
          "e.g. 21,00)",
          a, util::format_euros(b.amount, util::kEuroDutch),
          util::format_euros(kMaxMonthlyAmount, util::kEuroDutch)));
    if (col[3] >= 0) b.household = f(col[3]);
    if (!b.household.empty()) {
      auto [it, fresh] = household_of.emplace(b.bsn, std::make_pair(b.household, b.line));
      if (!fresh && it->second.first != b.household)
        throw err(fmt::format("BSN {} is in household \"{}\" here but in \"{}\" on line {}",
                              model::mask_bsn(b.bsn), b.household, it->second.first,
                              it->second.second));
    }
    out.push_back(std::move(b));
  }
  return out;
}

}  // namespace istd::reconcile
