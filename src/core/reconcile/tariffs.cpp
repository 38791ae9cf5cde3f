#include "core/reconcile/tariffs.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "core/errors.hpp"
#include "core/reconcile/csv.hpp"
#include "core/util/money.hpp"

namespace istd::reconcile {

namespace {
// The largest tariff accepted: EUR 999.999.999,99 (a ProductTarief in a message is at most
// EUR 999.999,99, LDT_Bedrag).
constexpr std::int64_t kMaxTarief = 99999999999;

bool digits(std::string_view s, std::size_t n) {
  return s.size() == n &&
         std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}
bool alnum(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
  });
}
}  // namespace

void Tariffs::add(Tariff t) {
  by_key_[{t.gemeente, t.agb, t.product_code}].push_back(std::move(t));
  ++count_;
}

const Tariff* Tariffs::find(std::string_view gemeente, std::string_view agb,
                            std::string_view code, model::Date day) const {
  auto it = by_key_.find({std::string(gemeente), std::string(agb), std::string(code)});
  if (it == by_key_.end()) return nullptr;
  for (const auto& t : it->second)
    if (t.begin <= day && (!t.end || day <= *t.end)) return &t;
  return nullptr;
}

Tariffs Tariffs::parse(std::string_view text, const std::string& file) {
  const auto table = csv::read(
      text, file, {"gemeente", "agb", "product_code", "eenheid", "tarief", "begindatum"},
      {"einddatum"});
  const auto& col = table.columns;
  Tariffs out;
  for (const auto& row : table.rows) {
    const std::string where = fmt::format("{}:{}", file, row.line);
    auto err = [&](const std::string& what) {
      return ConfigError(fmt::format("{}: {}", where, what));
    };
    auto f = [&](int i) -> const std::string& { return row.fields[static_cast<std::size_t>(i)]; };
    Tariff t;
    t.line = row.line;
    t.gemeente = f(col[0]);
    t.agb = f(col[1]);
    t.product_code = f(col[2]);
    t.eenheid = f(col[3]);
    if (!digits(t.gemeente, 4))
      throw err(fmt::format("bad gemeente \"{}\" (4 digits)", t.gemeente));
    if (!digits(t.agb, 8)) throw err(fmt::format("bad agb \"{}\" (8 digits)", t.agb));
    if (t.product_code.size() != 5 || !alnum(t.product_code))
      throw err(fmt::format("bad product_code \"{}\" (5 letters or digits)", t.product_code));
    if (!digits(t.eenheid, 2)) throw err(fmt::format("bad eenheid \"{}\" (2 digits)", t.eenheid));
    t.tarief = csv::euros(f(col[4]), "tarief", where);
    if (t.tarief < 0)
      throw err(fmt::format("negative tarief \"{}\" (a tariff is 0,00 or more)", f(col[4])));
    if (t.tarief > kMaxTarief)
      throw err(fmt::format("impossible tarief \"{}\" (more than EUR {})", f(col[4]),
                            util::format_euros(kMaxTarief, util::kEuroDutch)));
    auto b = model::parse_date(f(col[5]));
    if (!b) throw err(fmt::format("bad begindatum \"{}\" (YYYY-MM-DD)", f(col[5])));
    t.begin = *b;
    if (col[6] >= 0 && !f(col[6]).empty()) {
      auto e = model::parse_date(f(col[6]));
      if (!e) throw err(fmt::format("bad einddatum \"{}\" (YYYY-MM-DD)", f(col[6])));
      if (*e < *b) throw err("einddatum before begindatum");
      t.end = *e;
    }
    auto& list = out.by_key_[{t.gemeente, t.agb, t.product_code}];
    for (const auto& o : list) {
      const bool overlap = !(t.end && *t.end < o.begin) && !(o.end && *o.end < t.begin);
      if (overlap)
        throw err(fmt::format("tariff period overlaps line {} for {} {} {}", o.line, t.gemeente,
                              t.agb, t.product_code));
    }
    list.push_back(std::move(t));
    ++out.count_;
  }
  return out;
}

}  // namespace istd::reconcile
