// Contract tariffs (`--tariffs CSV`) for TR418, TR346 (hourly tariff H for minute claims) and
// TR341 without an Omvang. Format (docs/reconcile.md):
//   gemeente,agb,product_code,eenheid,tarief,begindatum[,einddatum]
// in any order, separated by ',', ';' or TAB (csv::read); tarief in euros per unit `eenheid` as
// people write them ("65,00", "65.00", "€ 65,00", "65"), kept in cents; validity
// [begindatum, einddatum] inclusive, open end when einddatum is empty. Keyed by (gemeente, agb,
// product_code); periods of one key may not overlap.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "core/model.hpp"

namespace istd::reconcile {

struct Tariff {
  std::string gemeente, agb, product_code, eenheid;
  std::int64_t tarief = 0;  ///< cents (the file has euros)
  model::Date begin;
  std::optional<model::Date> end;
  int line = 0;
};

class Tariffs {
 public:
  /// Parses a tariffs CSV. @throws ConfigError "FILE:LINE: ..." on any bad line.
  static Tariffs parse(std::string_view text, const std::string& file);
  /// Adds one tariff (tests). Overlap is not checked.
  void add(Tariff t);
  /// The tariff in force on `day`, if any.
  const Tariff* find(std::string_view gemeente, std::string_view agb, std::string_view code,
                     model::Date day) const;
  std::size_t size() const { return count_; }

 private:
  std::map<std::tuple<std::string, std::string, std::string>, std::vector<Tariff>> by_key_;
  std::size_t count_ = 0;
};

}  // namespace istd::reconcile
