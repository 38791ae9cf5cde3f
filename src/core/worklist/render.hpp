// The worklist as people read it: a text list (BSNs masked) for the terminal, CSV for Dutch
// spreadsheets (`;`), JSON Lines for other systems; each item with the catalogue's explanation.
#pragma once

#include <cstddef>
#include <string>

#include "core/explain/catalogue.hpp"
#include "core/worklist/worklist.hpp"

namespace istd::worklist {

/// Counts per kind and per party, then the `limit` most overdue items (BSNs masked; 0 = all).
std::string to_text(const Worklist& w, explain::Lang lang, std::size_t limit = 0);
/// One row per item with a header row; full BSNs.
std::string to_csv(const Worklist& w, explain::Lang lang);
/// One JSON object per item; full BSNs.
std::string to_jsonl(const Worklist& w, explain::Lang lang);

}  // namespace istd::worklist
