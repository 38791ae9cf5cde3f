// Small pieces shared by istd's HTML reports (report.html of reconcile, the batch report of
// ingest): escaping, amounts and months in the reader's language, the page frame with its inline
// style and script. Every report is one self-contained file: no network request, no external
// script, font or image; readable without JavaScript.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/explain/catalogue.hpp"
#include "core/model.hpp"

namespace istd::report::html {

using explain::Lang;

/// Escapes text for HTML element content and (double-quoted) attribute values.
std::string esc(std::string_view text);

/// The explanation block of a catalogue key (meaning, usual cause, what to do); "" when the
/// catalogue has no entry.
std::string explanation(std::string_view key, Lang lang);

/// "€ 2.825,00" (nl) or "€ 2,825.00" (en).
std::string euros(std::int64_t cents, Lang lang);
/// "1.234" (nl) or "1,234" (en).
std::string count(std::int64_t n, Lang lang);
/// "juni 2025" / "June 2025" for YYYY-MM; the text itself when it is not a month.
std::string month_name(std::string_view yyyy_mm, Lang lang);
/// "jun '25" / "Jun '25".
std::string month_short(int year, int month, Lang lang);
/// "03-04-2025" (nl) or "2025-04-03" (en).
std::string date(const model::Date& d, Lang lang);

/// Picks the text of the reader's language.
inline std::string_view t(Lang lang, std::string_view nl, std::string_view en) {
  return lang == Lang::nl ? nl : en;
}

/// `<span data-figure="NAME" data-value="VALUE">shown</span>`: a figure the tests compare with
/// summary.json (VALUE: integer, cents for amounts).
std::string figure(std::string_view name, std::int64_t value, std::string_view shown);

/// The start of the page up to and including `<body>`: doctype, meta, title, inline CSS.
std::string page_begin(std::string_view title, Lang lang);
/// The inline script (table sorting, filter boxes) and `</body></html>`.
std::string page_end();

/// A BSN as the report shows it: as is, or masked ("******006").
std::string bsn(std::string_view value, bool mask);

/// An anchor id for a catalogue key ("retourcode 9321" -> "uitleg-retourcode-9321").
std::string explain_id(std::string_view key);

}  // namespace istd::report::html
