// Amounts of money as people write and read them: euros with two decimals ("21,00", "21.00",
// "€ 21,00", "21"), kept inside istd as integer cents.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace istd::util {

/// Parses an amount in euros as a person writes it: `21,00`, `21.00`, `21,5`, `21`, `€ 21,00`,
/// `EUR 21,00`, `1.234,56`, `1,234.56`, `-3,50`. A separator followed by one or two digits is the
/// decimal separator; thousands separators must group by three and come before a decimal
/// separator of the other kind. More than two decimals (`21,005`), a lone separator followed by
/// three digits (`1.234`: thousands or decimals?) and anything else are errors.
/// Returns the amount in cents, or nullopt with `*error` saying what is wrong (in English, for a
/// message "FILE:LINE: amount ...: <error>").
std::optional<std::int64_t> parse_euros(std::string_view text, std::string* error = nullptr);

struct EuroFormat {
  char decimal = ',';  ///< ',' (Dutch) or '.'
  char thousands = 0;  ///< 0: none; '.' (Dutch) or ','
};
inline constexpr EuroFormat kEuroCsv{',', 0};        ///< "2825,00": Dutch spreadsheets
inline constexpr EuroFormat kEuroDutch{',', '.'};    ///< "2.825,00"
inline constexpr EuroFormat kEuroEnglish{'.', ','};  ///< "2,825.00"

/// Formats cents as euros with two decimals, without a currency sign: -282500 -> "-2.825,00".
std::string format_euros(std::int64_t cents, EuroFormat format = kEuroCsv);

}  // namespace istd::util
